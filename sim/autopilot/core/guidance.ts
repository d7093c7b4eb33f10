/**
 * Point-mass kinematics with speed and acceleration limits, and the position controller that turns
 * a target into a desired velocity. Limits are split horizontal / vertical like both firmwares'
 * position controllers: |v_xy| ≤ v_max,xy, −v_up ≤ v_z ≤ v_down (NED, z down), |Δv_xy| ≤ a_xy·dt,
 * |Δv_z| ≤ a_z·dt. The vehicle tracks ground velocity; wind only changes the airspeed the
 * propulsion model sees (SPEC §4).
 */
import { horiz, type Vec3 } from '../../../core/geo.ts';

export interface Limits {
  vHorizMS: number;
  vUpMS: number;
  vDownMS: number;
  aHorizMS2: number;
  aVertMS2: number;
}

/** Proportional gain near the target, 1/s (exponential final approach with a 1 s time constant). */
const KP = 1;
/** Fraction of the braking distance used by the square-root profile (a little margin). */
const BRAKE_MARGIN = 0.9;

/** Clamps a desired velocity to the limits. */
export function clampVelocity(v: Vec3, lim: Limits): Vec3 {
  const h = horiz(v);
  const k = h > lim.vHorizMS ? lim.vHorizMS / h : 1;
  return { x: v.x * k, y: v.y * k, z: Math.min(lim.vDownMS, Math.max(-lim.vUpMS, v.z)) };
}

/**
 * Desired velocity to reach `target` from `pos` and stop there: speed along the error is
 * min(v_max, √(2·a·0.9·d), KP·d) per axis group, so the vehicle brakes within its limits.
 */
export function velocityToward(pos: Vec3, target: Vec3, lim: Limits, ff: Vec3 = { x: 0, y: 0, z: 0 }): Vec3 {
  const ex = target.x - pos.x;
  const ey = target.y - pos.y;
  const ez = target.z - pos.z;
  const dh = Math.hypot(ex, ey);
  const sh = Math.min(lim.vHorizMS, Math.sqrt(2 * lim.aHorizMS2 * BRAKE_MARGIN * dh), KP * dh);
  const dz = Math.abs(ez);
  const vzMax = ez < 0 ? lim.vUpMS : lim.vDownMS;
  const sz = Math.min(vzMax, Math.sqrt(2 * lim.aVertMS2 * BRAKE_MARGIN * dz), KP * dz);
  const v = {
    x: (dh > 1e-9 ? (ex / dh) * sh : 0) + ff.x,
    y: (dh > 1e-9 ? (ey / dh) * sh : 0) + ff.y,
    z: Math.sign(ez) * sz + ff.z,
  };
  return clampVelocity(v, lim);
}

/**
 * Moves the velocity toward `desired` by at most the acceleration limits over `dtS`. The result
 * is a convex combination of the current and desired velocities per axis group, so it never
 * exceeds the larger of the two speeds.
 */
export function accelerate(vel: Vec3, desired: Vec3, lim: Limits, dtS: number): Vec3 {
  const dx = desired.x - vel.x;
  const dy = desired.y - vel.y;
  const dh = Math.hypot(dx, dy);
  const maxH = lim.aHorizMS2 * dtS;
  const kh = dh > maxH ? maxH / dh : 1;
  const dz = desired.z - vel.z;
  const maxZ = lim.aVertMS2 * dtS;
  return { x: vel.x + dx * kh, y: vel.y + dy * kh, z: vel.z + Math.max(-maxZ, Math.min(maxZ, dz)) };
}

/** Wraps an angle to (−π, π]. */
export function wrapPi(a: number): number {
  let x = a % (2 * Math.PI);
  if (x <= -Math.PI) x += 2 * Math.PI;
  if (x > Math.PI) x -= 2 * Math.PI;
  return x;
}
