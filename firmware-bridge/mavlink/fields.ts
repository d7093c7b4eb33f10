/**
 * Payload (de)serialisation from node-mavlink's field tables (`clazz.FIELDS`, wire order,
 * little-endian). Same value conventions as node-mavlink's own DESERIALIZERS (char[] → string cut
 * at NUL, 64-bit ints → bigint) so decoded objects are ordinary node-mavlink instances; written
 * here so that encoding validates values (a typed `MavlinkEncodeError` naming the field instead
 * of a RangeError from deep inside Buffer) and decoding never throws on short payloads.
 */
import type { MavLinkData, MavLinkDataConstructor } from 'node-mavlink';

export class MavlinkEncodeError extends Error {
  constructor(
    readonly msgName: string,
    readonly field: string,
    detail: string,
  ) {
    super(`${msgName}.${field}: ${detail}`);
    this.name = 'MavlinkEncodeError';
  }
}

type Ctor = MavLinkDataConstructor<MavLinkData>;

const INT_RANGES: Record<string, [number, number]> = {
  int8_t: [-128, 127],
  uint8_t: [0, 255],
  uint8_t_mavlink_version: [0, 255],
  char: [0, 255],
  int16_t: [-32768, 32767],
  uint16_t: [0, 65535],
  int32_t: [-2147483648, 2147483647],
  uint32_t: [0, 4294967295],
};

function writeScalar(
  buf: Buffer,
  off: number,
  type: string,
  value: unknown,
  where: () => [string, string],
): void {
  if (value === undefined || value === null) return; // unset fields are zero (buffer is zeroed)
  // node-mavlink's constructors initialise enum fields to a member *name* (e.g. baseMode =
  // 'CUSTOM_MODE_ENABLED'), which its own serialiser writes as 0. Do the same for any string in
  // a numeric field, so a default-constructed message encodes identically with both.
  if (typeof value === 'string' && type !== 'char') return;
  switch (type) {
    case 'float':
      buf.writeFloatLE(Number(value), off);
      return;
    case 'double':
      buf.writeDoubleLE(Number(value), off);
      return;
    case 'int64_t':
    case 'uint64_t': {
      let v: bigint;
      try {
        v = typeof value === 'bigint' ? value : BigInt(value as number);
      } catch {
        const [m, f] = where();
        throw new MavlinkEncodeError(m, f, `not an integer: ${String(value)}`);
      }
      const lo = type === 'int64_t' ? -(1n << 63n) : 0n;
      const hi = type === 'int64_t' ? (1n << 63n) - 1n : (1n << 64n) - 1n;
      if (v < lo || v > hi) {
        const [m, f] = where();
        throw new MavlinkEncodeError(m, f, `${v} out of range for ${type}`);
      }
      if (type === 'int64_t') buf.writeBigInt64LE(v, off);
      else buf.writeBigUInt64LE(v, off);
      return;
    }
  }
  const range = INT_RANGES[type];
  if (!range) {
    const [m, f] = where();
    throw new MavlinkEncodeError(m, f, `unknown field type ${type}`);
  }
  const v = type === 'char' && typeof value === 'string' ? value.charCodeAt(0) || 0 : Number(value);
  if (!Number.isInteger(v) || v < range[0] || v > range[1]) {
    const [m, f] = where();
    throw new MavlinkEncodeError(m, f, `${String(value)} is not a ${type}`);
  }
  switch (type) {
    case 'int8_t':
      buf.writeInt8(v, off);
      return;
    case 'int16_t':
      buf.writeInt16LE(v, off);
      return;
    case 'uint16_t':
      buf.writeUInt16LE(v, off);
      return;
    case 'int32_t':
      buf.writeInt32LE(v, off);
      return;
    case 'uint32_t':
      buf.writeUInt32LE(v, off);
      return;
    default:
      buf[off] = v;
  }
}

/**
 * Writes `msg`'s fields into `buf` at `offset` (which must be zero-filled for PAYLOAD_LENGTH
 * bytes). `uint8_t_mavlink_version` fields are always 3 (MAVLINK.md §1).
 */
export function writePayload(msg: MavLinkData, buf: Buffer, offset: number): void {
  const clazz = msg.constructor as unknown as Ctor;
  const rec = msg as unknown as Record<string, unknown>;
  for (const f of clazz.FIELDS) {
    const where = (): [string, string] => [clazz.MSG_NAME, f.name];
    const at = offset + f.offset;
    if (f.type === 'uint8_t_mavlink_version') {
      buf[at] = 3;
      continue;
    }
    const value = rec[f.name];
    if (f.type.endsWith('[]')) {
      const base = f.type.slice(0, -2);
      if (value === undefined || value === null) continue;
      if (base === 'char') {
        const s = typeof value === 'string' ? Buffer.from(value, 'latin1') : Buffer.from(value as ArrayLike<number>);
        s.copy(buf, at, 0, Math.min(s.length, f.length));
        continue;
      }
      const arr = value as ArrayLike<unknown>;
      const n = Math.min(arr.length ?? 0, f.length);
      for (let i = 0; i < n; i++) writeScalar(buf, at + i * f.size, base, arr[i], where);
      continue;
    }
    writeScalar(buf, at, f.type, value, where);
  }
}

function readScalar(buf: Buffer, off: number, type: string): number | bigint | string {
  switch (type) {
    case 'char':
      return String.fromCharCode(buf[off]!);
    case 'int8_t':
      return buf.readInt8(off);
    case 'uint8_t':
    case 'uint8_t_mavlink_version':
      return buf[off]!;
    case 'int16_t':
      return buf.readInt16LE(off);
    case 'uint16_t':
      return buf.readUInt16LE(off);
    case 'int32_t':
      return buf.readInt32LE(off);
    case 'uint32_t':
      return buf.readUInt32LE(off);
    case 'int64_t':
      return buf.readBigInt64LE(off);
    case 'uint64_t':
      return buf.readBigUInt64LE(off);
    case 'float':
      return buf.readFloatLE(off);
    case 'double':
      return buf.readDoubleLE(off);
    default:
      return 0;
  }
}

/** Decodes a (possibly truncated) payload into a new instance of `clazz`; missing bytes are zero. */
export function readPayload<T extends MavLinkData>(clazz: MavLinkDataConstructor<T>, payload: Buffer): T {
  let buf = payload;
  if (buf.length < clazz.PAYLOAD_LENGTH) {
    buf = Buffer.alloc(clazz.PAYLOAD_LENGTH);
    payload.copy(buf);
  }
  const out = new clazz() as unknown as Record<string, unknown>;
  for (const f of clazz.FIELDS) {
    if (f.type.endsWith('[]')) {
      const base = f.type.slice(0, -2);
      if (base === 'char') {
        const end = buf.indexOf(0, f.offset);
        const stop = end < 0 || end > f.offset + f.length ? f.offset + f.length : end;
        out[f.name] = buf.toString('latin1', f.offset, stop);
      } else {
        const arr = new Array<unknown>(f.length);
        for (let i = 0; i < f.length; i++) arr[i] = readScalar(buf, f.offset + i * f.size, base);
        out[f.name] = arr;
      }
    } else {
      out[f.name] = readScalar(buf, f.offset, f.type);
    }
  }
  return out as unknown as T;
}
