/**
 * Reads a UavProfile (proto/uavmec/v1/profile.proto) from a file: proto3 JSON with the .proto's
 * snake_case field names (`*.json`, or any file starting with `{`), else binary protobuf. Every
 * problem is one line naming the field: an unknown key (a typo would otherwise be silently
 * ignored), a wrong type, a missing section or a value out of range.
 */
import fs from 'node:fs';
import type protobuf from 'protobufjs';
import { fail, ok, type Result } from '../../../core/result.ts';
import { decodeRaw, lookupType, validateMessage, type UavProfile } from '../../../proto/index.ts';

export type ProfileError = 'unreadable' | 'invalid_profile';

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The first key of `obj` (recursively) that `type` does not have, as a field path. */
function unknownKey(type: protobuf.Type, obj: Record<string, unknown>, at: string): string | undefined {
  for (const [k, v] of Object.entries(obj)) {
    const f = type.fields[k];
    const path = at ? `${at}.${k}` : k;
    if (!f) return `${path}: unknown field (fields here: ${Object.keys(type.fields).join(', ')})`;
    const sub = f.resolve().resolvedType;
    if (!sub || !('fields' in sub)) continue;
    const items = f.repeated && Array.isArray(v) ? v.map((x, i) => [x, `${path}[${i}]`] as const) : [[v, path] as const];
    for (const [x, p] of items) {
      if (!isObj(x)) continue;
      const bad = unknownKey(sub as protobuf.Type, x, p);
      if (bad) return bad;
    }
  }
  return undefined;
}

/** Parses proto3 JSON text into a checked UavProfile. */
export function parseProfileJson(text: string): Result<UavProfile, 'invalid_profile'> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return fail('invalid_profile', `not JSON: ${(e as Error).message}`);
  }
  if (!isObj(doc)) return fail('invalid_profile', 'top level: expected a JSON object');
  const type = lookupType('UavProfile');
  const unknown = unknownKey(type, doc, '');
  if (unknown) return fail('invalid_profile', unknown);
  const typeErr = type.verify(doc);
  if (typeErr) return fail('invalid_profile', typeErr);
  return checked(type.encode(type.fromObject(doc)).finish());
}

/** Decodes binary protobuf into a checked UavProfile. */
export function parseProfileBinary(bytes: Uint8Array): Result<UavProfile, 'invalid_profile'> {
  return checked(bytes);
}

function checked(bytes: Uint8Array): Result<UavProfile, 'invalid_profile'> {
  const raw = decodeRaw('UavProfile', bytes);
  if (!raw.ok) return fail('invalid_profile', `not a UavProfile: ${raw.detail ?? raw.reason}`);
  const bad = validateMessage('UavProfile', raw.value);
  return bad ? fail('invalid_profile', bad) : ok(raw.value);
}

export function readProfileFile(file: string): Result<UavProfile, ProfileError> {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    return fail('unreadable', (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message);
  }
  const json = file.endsWith('.json') || bytes.subarray(0, 64).toString('utf8').trimStart().startsWith('{');
  return json ? parseProfileJson(bytes.toString('utf8')) : parseProfileBinary(bytes);
}

/** The profile as proto3 JSON text (what `readProfileFile` reads back). */
export function profileJson(p: UavProfile): string {
  const type = lookupType('UavProfile');
  const obj = type.toObject(type.fromObject(p as unknown as Record<string, unknown>), { longs: Number, defaults: false });
  return `${JSON.stringify(obj, null, 2)}\n`;
}
