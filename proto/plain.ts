/**
 * Bytes → the contract's plain objects, fast. The result is exactly what protobufjs `decode`, then
 * `toObject(m, { longs: Number, enums: Number, bytes: Uint8Array, defaults: true, arrays: true })`,
 * then dropping every null gives (unset message fields and unset `optional` fields absent, scalars
 * at their proto3 defaults, repeated fields as arrays, 64-bit integers as Numbers) — without the
 * costs that made decode + validate slower than `JSON.parse` (issue 20):
 *
 * - `uint64` fields (every header's t_us and seq) are read straight into Numbers by a reader
 *   subclass, instead of a `Long` object per field converted afterwards;
 * - the conversion is one straight-line function per message type, generated from the reflected
 *   schema the way protobufjs generates its own (de)coders, instead of toObject's `null`
 *   placeholders and a recursive `Object.entries` rebuild to strip them.
 *
 * `test/proto/plain.test.ts` checks the result against that reference on every message type.
 */
import protobuf from 'protobufjs';

type Plain = Record<string, unknown>;
type Convert = (m: Plain) => Plain;

const LONG_TYPES = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);
const UNSIGNED_LONG = new Set(['uint64', 'fixed64']);
const cache = new Map<protobuf.Type, Convert>();

/** 64-bit integers that still arrive as Long-like {low, high} (other than uint64) → Number. */
function longToNumber(v: unknown, unsigned: boolean): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return Number(v);
  const l = v as { low: number; high: number };
  return new protobuf.util.LongBits(l.low >>> 0, l.high >>> 0).toNumber(unsigned);
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The converter of one message type, compiled once and cached. Field names come from the `.proto`
 * files (checked to be identifiers before they are put into the generated source).
 */
export function plainConverter(type: protobuf.Type): Convert {
  const hit = cache.get(type);
  if (hit) return hit;
  // Registered before compiling so recursive message types find themselves.
  let compiled: Convert | undefined;
  const lazy: Convert = (m) => (compiled ??= compile(type))(m);
  cache.set(type, lazy);
  return lazy;
}

function compile(type: protobuf.Type): Convert {
  const nested: Convert[] = [];
  const lines: string[] = ['var o = {};', 'var v;'];
  for (const f of type.fieldsArray) {
    f.resolve();
    if (!IDENT.test(f.name)) throw new TypeError(`field name ${f.fullName} is not an identifier`);
    if (f.map) throw new TypeError(`map field ${f.fullName}: not supported by the plain converter`);
    const n = f.name;
    let one: (x: string) => string;
    if (f.resolvedType instanceof protobuf.Type) {
      nested.push(plainConverter(f.resolvedType));
      const k = nested.length - 1;
      one = (x) => `c[${k}](${x})`;
    } else if (LONG_TYPES.has(f.type)) {
      one = (x) => `(typeof ${x} === 'number' ? ${x} : L(${x}, ${UNSIGNED_LONG.has(f.type)}))`;
    } else {
      one = (x) => x;
    }
    if (f.repeated) {
      lines.push(`v = m.${n};`, `if (v == null) o.${n} = []; else { var a${n} = new Array(v.length); for (var i = 0; i < v.length; i++) a${n}[i] = ${one('v[i]')}; o.${n} = a${n}; }`);
    } else if (f.resolvedType instanceof protobuf.Type || f.partOf) {
      // Message fields and fields with presence: protobufjs leaves them null on the prototype when unset.
      lines.push(`v = m.${n};`, `if (v != null) o.${n} = ${one('v')};`);
    } else {
      lines.push(`v = m.${n};`, `o.${n} = ${one('v')};`);
    }
  }
  lines.push('return o;');
  const make = new Function('c', 'L', `return function ${type.name}ToPlain(m) {\n${lines.join('\n')}\n};`) as (c: Convert[], l: typeof longToNumber) => Convert;
  return make(nested, longToNumber);
}

/**
 * A protobufjs reader that returns `uint64` varints as Numbers (exact below 2^53, like
 * `LongBits.toNumber`) instead of allocating a `Long` for each one.
 */
class NumberReader extends protobuf.BufferReader {
  override uint64(): protobuf.Long {
    const buf = this.buf;
    let pos = this.pos;
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= this.len) throw new RangeError(`index out of range: ${pos} + 1 > ${this.len}`);
      const b = buf[pos++]!;
      value += (b & 0x7f) * scale;
      if (b < 0x80) {
        this.pos = pos;
        return value as unknown as protobuf.Long;
      }
      scale *= 128;
    }
    throw new Error('invalid varint encoding');
  }
}

/** Decodes `bytes` as `type` into a plain object; throws on malformed input (as protobufjs does). */
export function decodePlain(type: protobuf.Type, bytes: Uint8Array): Plain {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const m = type.decode(new NumberReader(buf)) as unknown as Plain;
  return plainConverter(type)(m);
}
