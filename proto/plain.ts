/**
 * Decoded protobufjs messages → the contract's plain objects, one converter compiled per type from
 * the reflected schema. The result is what `type.toObject(m, { longs: Number, enums: Number,
 * bytes: Uint8Array, defaults: true, arrays: true })` followed by dropping every null gives (unset
 * message fields and unset `optional`/oneof fields absent, scalars at their proto3 defaults, repeated
 * fields as arrays), built in one pass: no `null` placeholders to strip afterwards and no
 * `Object.entries` rebuild of every nested object. `test/proto/plain.test.ts` checks the two agree
 * on every message type.
 */
import protobuf from 'protobufjs';

type Plain = Record<string, unknown>;
type Convert = (m: Plain) => Plain;

/** How one field is copied. */
const enum Kind {
  /** Scalar with a proto3 default: always present. */
  Scalar,
  /** 64-bit integer with a default: always present, as a Number. */
  Long,
  /** Message field or singular field with presence (`optional`, oneof member): present only when set. */
  Optional,
  Repeated,
}

interface FieldPlan {
  name: string;
  kind: Kind;
  /** Converts one value (a nested message or a 64-bit integer); undefined = copy as is. */
  value: ((v: unknown) => unknown) | undefined;
}

const LONG_TYPES = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);
const cache = new Map<protobuf.Type, Convert>();

/** 64-bit integers arrive as numbers or as Long-like {low, high}; the contract carries Numbers. */
function longToNumber(unsigned: boolean): (v: unknown) => number {
  return (v) => {
    if (typeof v === 'number') return v;
    if (typeof v === 'string') return Number(v);
    const l = v as { low: number; high: number };
    return new protobuf.util.LongBits(l.low >>> 0, l.high >>> 0).toNumber(unsigned);
  };
}

function planField(f: protobuf.Field): FieldPlan {
  f.resolve();
  const message = f.resolvedType instanceof protobuf.Type ? f.resolvedType : undefined;
  const isLong = LONG_TYPES.has(f.type);
  const value = message ? (plainConverter(message) as (v: unknown) => unknown) : isLong ? longToNumber(f.type[0] === 'u' || f.type === 'fixed64') : undefined;
  if (f.map) throw new TypeError(`map field ${f.fullName}: not supported by the plain converter`);
  if (f.repeated) return { name: f.name, kind: Kind.Repeated, value };
  if (message || f.partOf) return { name: f.name, kind: Kind.Optional, value };
  return { name: f.name, kind: isLong ? Kind.Long : Kind.Scalar, value };
}

/** The converter of one message type (compiled once, cached). */
export function plainConverter(type: protobuf.Type): Convert {
  const hit = cache.get(type);
  if (hit) return hit;
  let fields: FieldPlan[] | undefined;
  const convert: Convert = (m) => {
    fields ??= type.fieldsArray.map(planField);
    const out: Plain = {};
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      const v = m[f.name];
      switch (f.kind) {
        case Kind.Scalar:
          out[f.name] = v;
          break;
        case Kind.Long:
          out[f.name] = f.value!(v);
          break;
        case Kind.Optional:
          if (v !== null && v !== undefined && Object.prototype.hasOwnProperty.call(m, f.name)) out[f.name] = f.value ? f.value(v) : v;
          break;
        case Kind.Repeated: {
          const a = (v as unknown[] | undefined) ?? [];
          const conv = f.value;
          if (!conv) out[f.name] = a.slice();
          else {
            const r = new Array<unknown>(a.length);
            for (let j = 0; j < a.length; j++) r[j] = conv(a[j]);
            out[f.name] = r;
          }
          break;
        }
      }
    }
    return out;
  };
  cache.set(type, convert);
  return convert;
}
