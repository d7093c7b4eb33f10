/**
 * Fuzzing the contract decoders and validators: for one message type, `n` inputs — a mix of
 * random bytes, freshly generated well-formed messages (random values for every field, via the
 * protobufjs reflection, so the validators see in-range and out-of-range values) and mutations of
 * those — go through `decode` (decodeRaw + header + validate). Oracles:
 * - crash: `decode` throws, or returns something that is not a Result with a known reason;
 * - round trip: an accepted message must encode again and decode to an accepted message.
 */
import protobuf from 'protobufjs';
import { CONTRACT_VERSION, decode, encode, lookupType, type MessageName } from '../proto/index.ts';
import type { Rng } from '../core/rng.ts';
import { mutate, randomBytes } from './mutate.ts';

export interface FuzzCrash {
  type: string;
  kind: 'throw' | 'bad_result' | 'round_trip';
  detail: string;
  /** The input, hex (reproduce with decode(type, Buffer.from(hex, 'hex'))). */
  inputHex: string;
}

export interface FuzzReport {
  type: string;
  inputs: number;
  accepted: number;
  refused: Record<string, number>;
  crashes: FuzzCrash[];
}

const REASONS = new Set(['undecodable', 'invalid', 'bad_version', 'bad_header']);

const INT_TYPES = new Set(['int32', 'sint32', 'sfixed32', 'uint32', 'fixed32', 'int64', 'sint64', 'sfixed64', 'uint64', 'fixed64']);

function randomScalar(type: string, rng: Rng): unknown {
  const wild = rng.next() < 0.1;
  switch (type) {
    case 'double':
    case 'float':
      return wild ? rng.pick([NaN, Infinity, -Infinity, -0, 1e308, -1e6, 5e-324]) : rng.uniform(rng.next() < 0.1 ? -1 : 0.01, 1) * 10 ** rng.int(0, 4);
    case 'bool':
      return rng.next() < 0.5;
    case 'string':
      return wild ? '\u0000\uffff' + 'x'.repeat(rng.int(0, 300)) : rng.pick(['', 'controller', 'uav-1', 'cd-kkt', 's1', 'a/b']);
    case 'bytes':
      return randomBytes(rng, wild ? 80 : 70);
    default:
      if (INT_TYPES.has(type)) {
        const unsigned = type.startsWith('u') || type.startsWith('fixed');
        if (wild) return rng.pick(unsigned ? [0, 4294967295, 2 ** 53 - 1] : [-2147483648, 2147483647, 0, -1]);
        const v = rng.int(rng.next() < 0.1 ? 0 : 1, 10 ** rng.int(0, 6));
        return unsigned || rng.next() < 0.9 ? v : -v;
      }
      return 0;
  }
}

/** A random plain object for `type` (every field, nested messages to a small depth). */
export function randomMessage(type: protobuf.Type, rng: Rng, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of type.fieldsArray) {
    if (rng.next() < 0.05) continue;
    const r = f.resolvedType;
    const one = (): unknown => {
      if (r instanceof protobuf.Enum) {
        const vals = Object.values(r.values);
        return rng.next() < 0.95 ? rng.pick(vals.filter((v) => v !== 0).length ? vals.filter((v) => v !== 0) : vals) : rng.int(0, 40);
      }
      if (r instanceof protobuf.Type) return depth < 3 ? randomMessage(r, rng, depth + 1) : {};
      return randomScalar(f.type, rng);
    };
    out[f.name] = f.repeated ? Array.from({ length: rng.int(0, 4) }, one) : one();
  }
  if (type.fields.header && rng.next() < 0.85) {
    out.header = { version: rng.next() < 0.95 ? CONTRACT_VERSION : rng.int(0, 3), sender: rng.pick(['controller', 'uav-2', 'world', '']), t_us: rng.int(0, 2 ** 52), seq: rng.int(0, 1000) };
  }
  return out;
}

function tryEncode(name: MessageName, obj: Record<string, unknown>): Uint8Array | undefined {
  try {
    return encode(name, obj as never);
  } catch {
    return undefined; // shapes protobufjs refuses (e.g. NaN in an int) are generator noise
  }
}

/** Fuzzes one message type with `n` inputs. `decoder` is injectable so the oracles can be tested. */
export function fuzzProtoType(name: MessageName, n: number, rng: Rng, decoder: typeof decode = decode): FuzzReport {
  const type = lookupType(name);
  const rep: FuzzReport = { type: name, inputs: 0, accepted: 0, refused: {}, crashes: [] };
  const seeds: Uint8Array[] = [];
  for (let i = 0; seeds.length < 32 && i < 500; i++) {
    const b = tryEncode(name, randomMessage(type, rng));
    if (b) seeds.push(b);
  }
  const crash = (kind: FuzzCrash['kind'], detail: string, input: Uint8Array) => {
    if (rep.crashes.length < 20) rep.crashes.push({ type: name, kind, detail, inputHex: Buffer.from(input).toString('hex') });
    else rep.crashes.length++;
  };
  for (let i = 0; i < n; i++) {
    const r = rng.next();
    let input: Uint8Array;
    if (r < 0.1) input = randomBytes(rng, 256);
    else if (r < 0.25) input = tryEncode(name, randomMessage(type, rng)) ?? randomBytes(rng, 64);
    else input = mutate(rng.pick(seeds), rng, rng.pick(seeds));
    if (r >= 0.1 && r < 0.25 && seeds.length) seeds[rng.int(0, seeds.length - 1)] = input;
    rep.inputs++;
    let res;
    try {
      res = decoder(name, input);
    } catch (e) {
      crash('throw', (e as Error).stack ?? String(e), input);
      continue;
    }
    if (!res || typeof res !== 'object' || (res.ok !== true && res.ok !== false)) {
      crash('bad_result', JSON.stringify(res), input);
      continue;
    }
    if (!res.ok) {
      if (!REASONS.has(res.reason)) crash('bad_result', `unknown reason ${res.reason}`, input);
      rep.refused[res.reason] = (rep.refused[res.reason] ?? 0) + 1;
      continue;
    }
    rep.accepted++;
    try {
      const again = decode(name, encode(name, res.value as never));
      if (!again.ok) crash('round_trip', `${again.reason}: ${again.detail ?? ''}`, input);
    } catch (e) {
      crash('round_trip', (e as Error).message, input);
    }
  }
  return rep;
}

/** Every message type of the contract. */
export function protoMessageNames(): MessageName[] {
  return ['Header', 'Position', 'Velocity', 'TwinState', 'FleetMember', 'FleetState', 'Subtask', 'SubtaskEdge', 'TaskRequest', 'TaskCompletion', 'FlightCommand', 'ComputeAssignment', 'ScheduledSubtask', 'Plan', 'PlanAck', 'Event', 'Health', 'RecordedMessage'];
}
