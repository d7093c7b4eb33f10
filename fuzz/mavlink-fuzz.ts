/**
 * Fuzzing the MAVLink 2 decoder (firmware-bridge/mavlink): for one message class, `n` inputs —
 * random bytes, frames of random well-formed messages (signed or not, from the bridge's own
 * encoder) and mutations of them, with junk around — fed both as datagrams and as a byte stream in
 * random chunks to an accepting decoder and to a signing decoder (key required, unsigned
 * rejected). Oracles:
 * - crash: the decoder throws, or counts an internal decode error;
 * - every emitted frame's CRC checks with node-mavlink's own x25crc (not our crc.ts);
 * - the signing decoder emits only frames whose signature verified.
 */
import { x25crc, type MavLinkData, type MavLinkPacketField } from 'node-mavlink';
import { ManualClock } from '../core/clock.ts';
import type { Rng } from '../core/rng.ts';
import { crcExtraOf, MavlinkDecoder, MavlinkEncoder, REGISTRY, type DecodedPacket, type MessageClass } from '../firmware-bridge/mavlink/index.ts';
import { mutate, randomBytes } from './mutate.ts';
import type { FuzzCrash, FuzzReport } from './proto-fuzz.ts';

const KEY = Buffer.alloc(32, 0x42);

/** The messages the bridge and the SITL exchange (MAVLINK.md §1–5, §7), plus a few large ones. */
export const MAVLINK_FUZZ_MSGIDS = [0, 1, 11, 20, 21, 22, 23, 24, 30, 32, 33, 39, 40, 41, 42, 43, 44, 45, 46, 47, 51, 66, 73, 74, 75, 76, 77, 84, 85, 86, 87, 109, 111, 147, 148, 230, 242, 245, 253, 256, 300];

function randomField(f: MavLinkPacketField, rng: Rng): unknown {
  const base = f.type.replace('[]', '');
  const one = (): unknown => {
    switch (base) {
      case 'float':
        return rng.next() < 0.05 ? rng.pick([NaN, Infinity, -0]) : rng.uniform(-1e4, 1e4);
      case 'double':
        return rng.uniform(-1e9, 1e9);
      case 'int8_t': return rng.int(-128, 127);
      case 'uint8_t':
      case 'uint8_t_mavlink_version': return rng.int(0, 255);
      case 'int16_t': return rng.int(-32768, 32767);
      case 'uint16_t': return rng.int(0, 65535);
      case 'int32_t': return rng.int(-2147483648, 2147483647);
      case 'uint32_t': return rng.int(0, 4294967295);
      case 'int64_t': return BigInt(rng.int(-2147483648, 2147483647)) * 4096n;
      case 'uint64_t': return BigInt(rng.int(0, 4294967295)) * 4096n;
      default: return 0;
    }
  };
  if (base === 'char') return Array.from({ length: rng.int(0, f.length) }, () => String.fromCharCode(rng.int(32, 126))).join('');
  if (f.type.endsWith('[]')) return Array.from({ length: f.length }, one);
  return one();
}

export function randomMavlinkMessage(clazz: MessageClass, rng: Rng): MavLinkData {
  const m = new clazz() as unknown as Record<string, unknown>;
  for (const f of clazz.FIELDS) m[f.name] = randomField(f, rng);
  return m as unknown as MavLinkData;
}

function crcValid(p: DecodedPacket): boolean {
  const hdr = p.protocol === 2 ? 10 : 6;
  const len = p.raw[1]!;
  const extra = crcExtraOf(p.msgid);
  if (extra === undefined) return !p.crcChecked;
  return x25crc(p.raw.subarray(0, hdr + len + 2), 1, 2, extra) === p.raw.readUInt16LE(hdr + len);
}

export function fuzzMavlinkType(msgid: number, n: number, rng: Rng): FuzzReport {
  const clazz = REGISTRY[msgid];
  if (!clazz) throw new RangeError(`no MAVLink class for msgid ${msgid}`);
  const name = `MAVLink ${clazz.MSG_NAME} (${msgid})`;
  const rep: FuzzReport = { type: name, inputs: 0, accepted: 0, refused: {}, crashes: [] };
  const clock = new ManualClock(1_700_000_000_000_000);
  const plain = new MavlinkEncoder({ sysid: 1, compid: 1 });
  const signed = new MavlinkEncoder({ sysid: 2, compid: 191, signing: { key: KEY, linkId: 3, clock } });
  const open = new MavlinkDecoder({ unknownMessages: rng.next() < 0.5 ? 'emit' : 'drop' });
  const strict = new MavlinkDecoder({ signing: { key: KEY, unsigned: 'reject' } });
  const stream = new MavlinkDecoder({ signing: { key: KEY, unsigned: 'accept' } });
  const frame = (): Buffer => {
    clock.advance(rng.int(0, 3));
    const enc = rng.next() < 0.5 ? plain : signed;
    const r = enc.tryEncode(randomMavlinkMessage(clazz, rng));
    return r.ok ? r.value : Buffer.from(randomBytes(rng, 40));
  };
  const seeds: Uint8Array[] = Array.from({ length: 16 }, frame);
  const crash = (kind: FuzzCrash['kind'], detail: string, input: Uint8Array) => {
    if (rep.crashes.length < 20) rep.crashes.push({ type: name, kind, detail, inputHex: Buffer.from(input).toString('hex') });
    else rep.crashes.length++;
  };
  const check = (pkts: DecodedPacket[], requireVerified: boolean, input: Uint8Array) => {
    for (const p of pkts) {
      if (p.crcChecked && !crcValid(p)) crash('bad_result', `emitted a frame with a bad CRC (msgid ${p.msgid})`, input);
      if (requireVerified && !p.signatureVerified) crash('bad_result', 'signing decoder emitted an unverified frame', input);
      rep.accepted++;
    }
  };
  for (let i = 0; i < n; i++) {
    const r = rng.next();
    let input: Uint8Array;
    if (r < 0.1) input = randomBytes(rng, 300);
    else if (r < 0.3) {
      const f = frame();
      seeds[rng.int(0, seeds.length - 1)] = f;
      input = rng.next() < 0.5 ? f : Buffer.concat([randomBytes(rng, 8), f, randomBytes(rng, 8)]);
    } else input = mutate(rng.pick(seeds), rng, rng.pick(seeds));
    rep.inputs++;
    try {
      check(open.pushDatagram(input), false, input);
      check(strict.pushDatagram(input), true, input);
      // The same bytes as a stream in random chunks (state carries over between inputs).
      for (let o = 0; o < input.length; ) {
        const len = rng.int(1, 64);
        check(stream.push(input.subarray(o, o + len)), false, input);
        o += len;
      }
    } catch (e) {
      crash('throw', (e as Error).stack ?? String(e), input);
    }
  }
  for (const d of [open, strict, stream]) {
    const s = d.stats;
    if (s.decodeErrors > 0) crash('throw', `decoder caught ${s.decodeErrors} internal errors`, new Uint8Array());
    for (const [k, v] of Object.entries(s)) if (!['packets', 'bytes'].includes(k) && v > 0) rep.refused[k] = (rep.refused[k] ?? 0) + v;
  }
  return rep;
}
