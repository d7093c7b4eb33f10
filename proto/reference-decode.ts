/**
 * The conversion the codec used before issue 20 — protobufjs `toObject` with defaults, then a
 * recursive rebuild dropping every null — kept only as the reference that `plain.ts` is checked
 * against (test/proto/plain.test.ts) and measured beside (bench/telemetry.ts). Not on any hot path.
 */
import type protobuf from 'protobufjs';

export const REFERENCE_TO_OBJECT = { longs: Number, enums: Number, bytes: Uint8Array, defaults: true, arrays: true } as const;

/** `type.toObject(m)` as the contract shape: unset message and optional fields absent. */
export function referencePlain(type: protobuf.Type, m: protobuf.Message): unknown {
  return stripNulls(type.toObject(m, REFERENCE_TO_OBJECT));
}

function stripNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripNulls);
  if (v instanceof Uint8Array || v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== null && x !== undefined) out[k] = stripNulls(x);
  return out;
}
