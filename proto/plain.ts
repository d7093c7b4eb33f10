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

/** Decodes up to `end`; `base` is the field's value decoded before, into which this occurrence merges. */
type Decode = (r: protobuf.Reader, end: number, base?: Plain) => Plain;
const decoders = new Map<protobuf.Type, Decode>();

/**
 * The wire → plain decoder of one message type, compiled once and cached: fields are read into
 * locals and the plain object is built once, in field order, with `plainConverter`'s rules — no
 * protobufjs message instance in between to allocate and convert (issue 20: at 1 000 UAVs the
 * controller's ingest is bound by the garbage it makes per report).
 */
function plainDecoder(type: protobuf.Type): Decode {
  const hit = decoders.get(type);
  if (hit) return hit;
  let compiled: Decode | undefined;
  const lazy: Decode = (r, end, base) => (compiled ??= compileDecoder(type))(r, end, base);
  decoders.set(type, lazy);
  return lazy;
}

function compileDecoder(type: protobuf.Type): Decode {
  const nested: Decode[] = [];
  const defaults: unknown[] = [];
  const decl: string[] = [];
  const cases: string[] = [];
  const build: string[] = ['var o = {};'];
  const proto = type.ctor.prototype as Record<string, unknown>;
  type.fieldsArray.forEach((f, k) => {
    f.resolve();
    if (!IDENT.test(f.name)) throw new TypeError(`field name ${f.fullName} is not an identifier`);
    if (f.map) throw new TypeError(`map field ${f.fullName}: not supported by the plain decoder`);
    const v = `f${k}`;
    const isMsg = f.resolvedType instanceof protobuf.Type;
    const wireType = f.resolvedType instanceof protobuf.Enum ? 'int32' : f.type;
    if (!isMsg && !READ_METHODS.has(wireType)) throw new TypeError(`field ${f.fullName}: type ${f.type} not supported by the plain decoder`);
    // proto3 strings must be valid UTF-8 (protobufjs reads them with `stringVerify`): invalid UTF-8
    // is malformed input. Every contract file is proto3 (test/proto/plain.test.ts checks it), so
    // every string is verified — no need to read protobufjs's private per-field feature flags.
    let read = wireType === 'string' ? 'r.stringVerify()' : `r.${wireType}()`;
    if (isMsg) {
      nested.push(plainDecoder(f.resolvedType as protobuf.Type));
      // A message field seen again merges into what came before (protobuf semantics).
      read = f.repeated ? `d[${nested.length - 1}](r, sub(r))` : `d[${nested.length - 1}](r, sub(r), ${v})`;
    }
    // A field whose wire type is not its type's is an unknown field, skipped (as protobufjs does):
    // its bytes must not be read as the declared type.
    const wt = isMsg ? 2 : WIRE_TYPES[wireType]!;
    const conv = (x: string) => (LONG_TYPES.has(f.type) ? `L(${x}, ${UNSIGNED_LONG.has(f.type)})` : x); // x evaluated once
    if (f.repeated) {
      decl.push(`var ${v} = base !== undefined && base.${f.name}.length ? base.${f.name} : null;`);
      const packable = !isMsg && wt !== 2;
      const packed = packable ? `if ((t & 7) === 2) { var e${k} = sub(r); while (r.pos < e${k}) ${v}.push(${conv(read)}); if (r.pos !== e${k}) throw RangeError('index out of range'); } else ` : '';
      cases.push(`case ${f.id}: if (${packable ? `(t & 7) !== 2 && ` : ''}(t & 7) !== ${wt}) { r.skipType(t & 7, 0, t >>> 3); break; } if (${v} === null) ${v} = []; ${packed}${v}.push(${conv(read)}); break;`);
      build.push(`o.${f.name} = ${v} === null ? [] : ${v};`);
    } else if (isMsg || f.partOf) {
      decl.push(`var ${v} = base !== undefined ? base.${f.name} : undefined;`);
      cases.push(`case ${f.id}: if ((t & 7) !== ${wt}) { r.skipType(t & 7, 0, t >>> 3); break; } ${v} = ${read}; break;`);
      build.push(`if (${v} !== undefined) o.${f.name} = ${conv(v)};`);
    } else {
      defaults.push(proto[f.name]);
      decl.push(`var ${v} = base !== undefined ? base.${f.name} : D[${defaults.length - 1}];`);
      cases.push(`case ${f.id}: if ((t & 7) !== ${wt}) { r.skipType(t & 7, 0, t >>> 3); break; } ${v} = ${read}; break;`);
      build.push(`o.${f.name} = ${conv(v)};`);
    }
  });
  const src = [
    `return function ${type.name}Decode(r, end, base) {`,
    ...decl,
    'while (r.pos < end) {',
    'var t = r.tag();',
    'switch (t >>> 3) {',
    ...cases,
    'default: r.skipType(t & 7, 0, t >>> 3);',
    '}',
    '}',
    // A nested message or packed run whose fields overran its declared length is malformed.
    "if (r.pos !== end) throw RangeError('index out of range');",
    ...build,
    'return o;',
    '};',
  ].join('\n');
  return (new Function('d', 'D', 'L', 'sub', src) as (d: Decode[], D: unknown[], l: typeof longToNumber, s: typeof subEnd) => Decode)(nested, defaults, longToNumber, subEnd);
}

/** Reads a length prefix and returns where the length-delimited value ends; throws past the buffer's end. */
function subEnd(r: protobuf.Reader): number {
  const end = r.size() + r.pos;
  if (end > r.len) throw new RangeError(`index out of range: ${end} > ${r.len}`);
  return end;
}

/** The wire type each scalar type is encoded with (0 varint, 1 64-bit, 2 length-delimited, 5 32-bit). */
const WIRE_TYPES: Record<string, number> = {
  int32: 0, uint32: 0, sint32: 0, int64: 0, uint64: 0, sint64: 0, bool: 0,
  fixed64: 1, sfixed64: 1, double: 1, string: 2, bytes: 2, fixed32: 5, sfixed32: 5, float: 5,
};

/** Reader methods by field type (enums read as int32). */
const READ_METHODS = new Set(['double', 'float', 'int32', 'uint32', 'sint32', 'fixed32', 'sfixed32', 'int64', 'uint64', 'sint64', 'fixed64', 'sfixed64', 'bool', 'string', 'bytes']);

/** Decodes `bytes` as `type` into a plain object; throws on malformed input (as protobufjs does). */
export function decodePlain(type: protobuf.Type, bytes: Uint8Array): Plain {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const r = new NumberReader(buf);
  return plainDecoder(type)(r, r.len);
}
