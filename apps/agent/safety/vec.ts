/** Small 3-vector helpers for the envelope (NED: x north, y east, z down; metres, m/s). */
import type { Vec3 } from '../../../firmware-bridge/vehicle.ts';

export type { Vec3 };

export const v3 = (x: number, y: number, z: number): Vec3 => ({ x, y, z });
export const ZERO: Vec3 = Object.freeze({ x: 0, y: 0, z: 0 });
export const add = (a: Vec3, b: Vec3): Vec3 => ({ x: a.x + b.x, y: a.y + b.y, z: a.z + b.z });
export const sub = (a: Vec3, b: Vec3): Vec3 => ({ x: a.x - b.x, y: a.y - b.y, z: a.z - b.z });
export const scale = (a: Vec3, k: number): Vec3 => ({ x: a.x * k, y: a.y * k, z: a.z * k });
export const dot = (a: Vec3, b: Vec3): number => a.x * b.x + a.y * b.y + a.z * b.z;
export const norm = (a: Vec3): number => Math.sqrt(dot(a, a));
export const dist = (a: Vec3, b: Vec3): number => norm(sub(a, b));
export const isFiniteVec = (a: Vec3 | undefined): a is Vec3 =>
  a !== undefined && Number.isFinite(a.x) && Number.isFinite(a.y) && Number.isFinite(a.z);
export const unit = (a: Vec3): Vec3 => {
  const n = norm(a);
  return n > 0 ? scale(a, 1 / n) : { x: 0, y: 0, z: 0 };
};
/** a + k·(b − a). */
export const lerp = (a: Vec3, b: Vec3, k: number): Vec3 => add(a, scale(sub(b, a), k));

/** Minimum over s ∈ [0, 1] of |r0 + s·d|: the closest approach of a moving point to the origin. */
export function minNormOnSegment(r0: Vec3, d: Vec3): number {
  const dd = dot(d, d);
  if (dd === 0) return norm(r0);
  const s = Math.min(1, Math.max(0, -dot(r0, d) / dd));
  return norm(add(r0, scale(d, s)));
}

/**
 * Largest λ ∈ [0, 1] with |a + λ(b − a) − c| ≤ r, given |a − c| ≤ r (a is inside the ball).
 * Used to clip a segment from a feasible anchor to a wish into a convex set exactly.
 */
export function segmentBallExit(a: Vec3, b: Vec3, c: Vec3, r: number): number {
  const d = sub(b, a);
  const f = sub(a, c);
  const A = dot(d, d);
  if (A === 0) return 1;
  const B = 2 * dot(f, d);
  const C = dot(f, f) - r * r;
  if (dot(sub(b, c), sub(b, c)) <= r * r) return 1;
  const disc = Math.max(0, B * B - 4 * A * C);
  const lam = (-B + Math.sqrt(disc)) / (2 * A);
  return Math.min(1, Math.max(0, lam));
}
