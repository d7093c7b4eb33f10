/**
 * Small structural checks for planner inputs parsed from JSON. Each failure names the field path
 * and what was expected, e.g. `users[3].dataBits: expected a number > 0, got -1`.
 */
export class InputError extends Error {
  override name = 'InputError';
}

export type Obj = Record<string, unknown>;

const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v)?.slice(0, 60) ?? String(v));

export function obj(v: unknown, path: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new InputError(`${path}: expected an object, got ${show(v)}`);
  return v as Obj;
}

export function arr(v: unknown, path: string, minLen = 0): unknown[] {
  if (!Array.isArray(v)) throw new InputError(`${path}: expected an array, got ${show(v)}`);
  if (v.length < minLen) throw new InputError(`${path}: expected at least ${minLen} element(s), got ${v.length}`);
  return v;
}

export function str(v: unknown, path: string): string {
  if (typeof v !== 'string' || v.length === 0) throw new InputError(`${path}: expected a non-empty string, got ${show(v)}`);
  return v;
}

/** A finite number with `v > gt` (when given) and `v ≥ min` / `v ≤ max`. */
export function numIn(v: unknown, path: string, b: { gt?: number; min?: number; max?: number } = {}): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputError(`${path}: expected a finite number, got ${show(v)}`);
  if (b.gt !== undefined && !(v > b.gt)) throw new InputError(`${path}: expected a number > ${b.gt}, got ${v}`);
  if (b.min !== undefined && v < b.min) throw new InputError(`${path}: expected a number ≥ ${b.min}, got ${v}`);
  if (b.max !== undefined && v > b.max) throw new InputError(`${path}: expected a number ≤ ${b.max}, got ${v}`);
  return v;
}

export function optNum(v: unknown, path: string, fallback: number, b: { gt?: number; min?: number; max?: number } = {}): number {
  return v === undefined ? fallback : numIn(v, path, b);
}

export function vec3(v: unknown, path: string): [number, number, number] {
  const a = arr(v, path);
  if (a.length !== 3) throw new InputError(`${path}: expected [x, y, z] (3 numbers), got ${a.length} element(s)`);
  return [numIn(a[0], `${path}[0]`), numIn(a[1], `${path}[1]`), numIn(a[2], `${path}[2]`)];
}

export function uniqueIds(ids: string[], path: string): void {
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (seen.has(id)) throw new InputError(`${path}[${i}].id: duplicate id '${id}'`);
    seen.add(id);
  });
}
