/**
 * Encoding and decoding of contract messages. `decode` never throws: bytes off the wire either
 * become a validated message or a `fail` with a reason that the caller logs, counts and drops.
 */
import { fail, ok, type Result } from '../core/result.ts';
import type { Messages } from './gen/types.ts';
import { CONTRACT_VERSION, lookupType } from './schema.ts';
import { decodePlain } from './plain.ts';
import { validateMessage } from './validate.ts';

export type MessageName = keyof Messages;

/** Input shape for encoding: every field optional (proto3 defaults fill the rest). */
export type MessageInput<T> = T extends Uint8Array
  ? T
  : T extends (infer E)[]
    ? MessageInput<E>[]
    : T extends object
      ? { [K in keyof T]?: MessageInput<T[K]> }
      : T;

export type DecodeFailure = 'undecodable' | 'invalid' | 'bad_version' | 'bad_header';

/** Encodes a message; throws `TypeError` on a shape protobufjs cannot represent (a bug, not input). */
export function encode<N extends MessageName>(name: N, msg: MessageInput<Messages[N]>): Uint8Array {
  const type = typeOf(name);
  const err = type.verify(msg as Record<string, unknown>);
  if (err) throw new TypeError(`cannot encode ${name}: ${err}`);
  return type.encode(type.fromObject(msg as Record<string, unknown>)).finish();
}

const types = new Map<string, ReturnType<typeof lookupType>>();
/** The reflected type of `name`, looked up once (a namespace lookup per message cost ~10 % of decode). */
function typeOf(name: MessageName): ReturnType<typeof lookupType> {
  let t = types.get(name);
  if (!t) types.set(name, (t = lookupType(name)));
  return t;
}

/** Decodes bytes into a message without semantic checks (for tools that inspect recordings). */
export function decodeRaw<N extends MessageName>(name: N, bytes: Uint8Array): Result<Messages[N], 'undecodable'> {
  const type = typeOf(name);
  try {
    return ok(decodePlain(type, bytes) as unknown as Messages[N]);
  } catch (e) {
    return fail('undecodable', (e as Error).message);
  }
}

/**
 * Decodes and validates: header present with the contract version, a sender and a time, then the
 * per-type semantic rules of `validate.ts`.
 */
export function decode<N extends MessageName>(name: N, bytes: Uint8Array): Result<Messages[N], DecodeFailure> {
  const raw = decodeRaw(name, bytes);
  if (!raw.ok) return raw;
  const header = (raw.value as { header?: Messages['Header'] }).header;
  if (name !== 'RecordedMessage' && name !== 'Header' && name !== 'Position' && name !== 'Velocity') {
    if (!header) return fail('bad_header', 'header missing');
    if (header.version !== CONTRACT_VERSION) {
      return fail('bad_version', `contract version ${header.version}, this build speaks ${CONTRACT_VERSION}`);
    }
    if (header.sender === '') return fail('bad_header', 'header.sender empty');
    if (!(header.t_us > 0)) return fail('bad_header', 'header.t_us missing');
  }
  const problem = validateMessage(name, raw.value);
  if (problem) return fail('invalid', problem);
  return raw;
}
