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
  msgName: string,
  field: string,
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
        throw new MavlinkEncodeError(msgName, field, `not an integer: ${String(value)}`);
      }
      const lo = type === 'int64_t' ? -(1n << 63n) : 0n;
      const hi = type === 'int64_t' ? (1n << 63n) - 1n : (1n << 64n) - 1n;
      if (v < lo || v > hi) {
        throw new MavlinkEncodeError(msgName, field, `${v} out of range for ${type}`);
      }
      if (type === 'int64_t') buf.writeBigInt64LE(v, off);
      else buf.writeBigUInt64LE(v, off);
      return;
    }
  }
  const range = INT_RANGES[type];
  if (!range) {
    throw new MavlinkEncodeError(msgName, field, `unknown field type ${type}`);
  }
  const v = type === 'char' && typeof value === 'string' ? value.charCodeAt(0) || 0 : Number(value);
  if (!Number.isInteger(v) || v < range[0] || v > range[1]) {
    throw new MavlinkEncodeError(msgName, field, `${String(value)} is not a ${type}`);
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

type Writer = (buf: Buffer, at: number, value: unknown) => void;

/** Little-endian integer bytes (the value is range-checked first; `>>>`/`>>` keep the low bytes). */
function putInt(buf: Buffer, at: number, v: number, bytes: number): void {
  buf[at] = v & 0xff;
  if (bytes > 1) buf[at + 1] = (v >> 8) & 0xff;
  if (bytes > 2) {
    buf[at + 2] = (v >> 16) & 0xff;
    buf[at + 3] = (v >> 24) & 0xff;
  }
}

const INT_BYTES: Record<string, number> = { int8_t: 1, uint8_t: 1, char: 1, int16_t: 2, uint16_t: 2, int32_t: 4, uint32_t: 4 };

/** The writer of one scalar field: `writeScalar`'s checks and bytes, with the type resolved once. */
function scalarWriter(type: string, msgName: string, field: string): Writer {
  const range = INT_RANGES[type];
  const bytes = INT_BYTES[type];
  if (range && bytes && type !== 'char') {
    const [lo, hi] = range;
    return (buf, at, value) => {
      if (typeof value === 'number' && Number.isInteger(value) && value >= lo && value <= hi) putInt(buf, at, value, bytes);
      else writeScalar(buf, at, type, value, msgName, field); // unset, enum names, other types, errors
    };
  }
  if (type === 'float') return (buf, at, value) => (typeof value === 'number' ? void buf.writeFloatLE(value, at) : writeScalar(buf, at, type, value, msgName, field));
  return (buf, at, value) => writeScalar(buf, at, type, value, msgName, field);
}

/** Per-class field writers (name, offset, writer), built once. */
const WRITE_PLANS = new WeakMap<object, Array<[string, number, Writer]>>();

function writePlan(clazz: Ctor): Array<[string, number, Writer]> {
  let plan = WRITE_PLANS.get(clazz);
  if (plan) return plan;
  plan = clazz.FIELDS.map((f): [string, number, Writer] => {
    if (f.type === 'uint8_t_mavlink_version') return [f.name, f.offset, (buf, at) => void (buf[at] = 3)];
    if (!f.type.endsWith('[]')) return [f.name, f.offset, scalarWriter(f.type, clazz.MSG_NAME, f.name)];
    const base = f.type.slice(0, -2);
    if (base === 'char')
      return [
        f.name,
        f.offset,
        (buf, at, value) => {
          if (value === undefined || value === null) return;
          const s = typeof value === 'string' ? Buffer.from(value, 'latin1') : Buffer.from(value as ArrayLike<number>);
          s.copy(buf, at, 0, Math.min(s.length, f.length));
        },
      ];
    const w = scalarWriter(base, clazz.MSG_NAME, f.name);
    return [
      f.name,
      f.offset,
      (buf, at, value) => {
        if (value === undefined || value === null) return;
        const arr = value as ArrayLike<unknown>;
        const n = Math.min(arr.length ?? 0, f.length);
        for (let i = 0; i < n; i++) w(buf, at + i * f.size, arr[i]);
      },
    ];
  });
  WRITE_PLANS.set(clazz, plan);
  return plan;
}

/**
 * Writes `msg`'s fields into `buf` at `offset` (which must be zero-filled for PAYLOAD_LENGTH
 * bytes). `uint8_t_mavlink_version` fields are always 3 (MAVLINK.md §1).
 */
export function writePayload(msg: MavLinkData, buf: Buffer, offset: number): void {
  const rec = msg as unknown as Record<string, unknown>;
  for (const [name, at, write] of writePlan(msg.constructor as unknown as Ctor)) write(buf, offset + at, rec[name]);
}

type Reader = (buf: Buffer, off: number) => unknown;

const SCALAR_READERS: Record<string, Reader> = {
  char: (b, o) => String.fromCharCode(b[o]!),
  int8_t: (b, o) => b.readInt8(o),
  uint8_t: (b, o) => b[o]!,
  uint8_t_mavlink_version: (b, o) => b[o]!,
  int16_t: (b, o) => b.readInt16LE(o),
  uint16_t: (b, o) => b.readUInt16LE(o),
  int32_t: (b, o) => b.readInt32LE(o),
  uint32_t: (b, o) => b.readUInt32LE(o),
  int64_t: (b, o) => b.readBigInt64LE(o),
  uint64_t: (b, o) => b.readBigUInt64LE(o),
  float: (b, o) => b.readFloatLE(o),
  double: (b, o) => b.readDoubleLE(o),
};

/** Per-class field readers, built once. */
const READ_PLANS = new WeakMap<object, Array<[string, Reader]>>();

function readPlan(clazz: Ctor): Array<[string, Reader]> {
  let plan = READ_PLANS.get(clazz);
  if (plan) return plan;
  plan = clazz.FIELDS.map((f): [string, Reader] => {
    const at = f.offset;
    if (!f.type.endsWith('[]')) {
      const r = SCALAR_READERS[f.type] ?? (() => 0);
      return [f.name, (b) => r(b, at)];
    }
    const base = f.type.slice(0, -2);
    if (base === 'char')
      return [
        f.name,
        (b) => {
          const end = b.indexOf(0, at);
          return b.toString('latin1', at, end < 0 || end > at + f.length ? at + f.length : end);
        },
      ];
    const r = SCALAR_READERS[base] ?? (() => 0);
    return [f.name, (b) => Array.from({ length: f.length }, (_, i) => r(b, at + i * f.size))];
  });
  READ_PLANS.set(clazz, plan);
  return plan;
}

/**
 * Decodes a (possibly truncated) payload into an instance of `clazz`; missing bytes are zero.
 * The instance is created without running node-mavlink's constructor (which only sets defaults
 * that every field assignment below overwrites).
 */
export function readPayload<T extends MavLinkData>(clazz: MavLinkDataConstructor<T>, payload: Buffer): T {
  let buf = payload;
  if (buf.length < clazz.PAYLOAD_LENGTH) {
    buf = Buffer.alloc(clazz.PAYLOAD_LENGTH);
    payload.copy(buf);
  }
  const out = Object.create(clazz.prototype as object) as Record<string, unknown>;
  for (const [name, read] of readPlan(clazz as unknown as Ctor)) out[name] = read(buf, 0);
  return out as unknown as T;
}
