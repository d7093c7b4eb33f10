/**
 * On-disk record format of the outbox segments (little-endian):
 *
 *   magic u16 = 0x4258 | type u8 (1 message, 2 tombstone) | class u8 (0 telemetry, 1 completion)
 *   seq u32 lo | seq u32 hi | topicLen u16 | payloadLen u32 | crc32 u32 | topic utf-8 | payload
 *
 * The CRC-32 covers every header byte before it plus topic and payload, so a torn or
 * bit-flipped record is detected and the scan stops there. A tombstone has no topic and its
 * payload is the 8-byte seq of the dropped message (in `seq`; payloadLen 0).
 */
import { crc32 } from 'node:zlib';

export const MAGIC = 0x4258;
export const HEADER_BYTES = 24;
export const MAX_TOPIC_BYTES = 0xffff;

export type MessageClass = 'telemetry' | 'completion';

export type DecodedRecord =
  | { type: 'message'; seq: number; cls: MessageClass; topic: string; payload: Uint8Array; size: number }
  | { type: 'tombstone'; seq: number; size: number };

export function encodeRecord(r: { type: 'message'; seq: number; cls: MessageClass; topic: string; payload: Uint8Array } | { type: 'tombstone'; seq: number }): Buffer {
  const topic = r.type === 'message' ? Buffer.from(r.topic, 'utf8') : Buffer.alloc(0);
  const payload = r.type === 'message' ? r.payload : new Uint8Array(0);
  if (topic.length > MAX_TOPIC_BYTES) throw new RangeError(`topic longer than ${MAX_TOPIC_BYTES} bytes`);
  const buf = Buffer.alloc(HEADER_BYTES + topic.length + payload.length);
  buf.writeUInt16LE(MAGIC, 0);
  buf.writeUInt8(r.type === 'message' ? 1 : 2, 2);
  buf.writeUInt8(r.type === 'message' && r.cls === 'completion' ? 1 : 0, 3);
  buf.writeUInt32LE(r.seq % 2 ** 32, 4);
  buf.writeUInt32LE(Math.floor(r.seq / 2 ** 32), 8);
  buf.writeUInt16LE(topic.length, 12);
  buf.writeUInt32LE(payload.length, 14);
  topic.copy(buf, HEADER_BYTES);
  buf.set(payload, HEADER_BYTES + topic.length);
  buf.writeUInt32LE(checksum(buf), 18);
  return buf;
}

function checksum(buf: Buffer): number {
  return crc32(buf.subarray(HEADER_BYTES), crc32(buf.subarray(0, 18)));
}

/**
 * Decodes the record at `off`; `undefined` when the bytes there are not a whole valid record
 * (truncated, wrong magic, bad CRC) — the scan treats that as the end of the good data.
 */
export function decodeRecord(buf: Buffer, off: number): DecodedRecord | undefined {
  if (off + HEADER_BYTES > buf.length) return undefined;
  if (buf.readUInt16LE(off) !== MAGIC) return undefined;
  const type = buf.readUInt8(off + 2);
  const clsByte = buf.readUInt8(off + 3);
  const seq = buf.readUInt32LE(off + 4) + buf.readUInt32LE(off + 8) * 2 ** 32;
  const tl = buf.readUInt16LE(off + 12);
  const pl = buf.readUInt32LE(off + 14);
  const size = HEADER_BYTES + tl + pl;
  if (off + size > buf.length) return undefined;
  const rec = buf.subarray(off, off + size);
  if (rec.readUInt32LE(18) !== checksum(rec)) return undefined;
  if (type === 1 && clsByte <= 1) {
    return {
      type: 'message', seq, cls: clsByte === 1 ? 'completion' : 'telemetry',
      topic: rec.subarray(HEADER_BYTES, HEADER_BYTES + tl).toString('utf8'),
      payload: new Uint8Array(rec.subarray(HEADER_BYTES + tl)), size,
    };
  }
  if (type === 2 && tl === 0 && pl === 0) return { type: 'tombstone', seq, size };
  return undefined;
}
