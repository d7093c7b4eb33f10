/**
 * Guidance: turns the plan's flight command into a desired velocity in the mission NED frame
 * (north, east, down). The safety envelope then bounds it (speed, acceleration, fence, separation)
 * before anything reaches the autopilot. Pure.
 *
 * GOTO/WAYPOINTS: fly straight at the cruise speed, slowing linearly within `slowRadiusM` of the
 * target (v = speed · d / slowRadius) so the UAV settles over it without overshoot.
 */
import type { Vec3 } from '../../../firmware-bridge/vehicle.ts';

export interface GuidanceParams {
  speedMS: number;
  /** Distance from the target where slowing starts, m. */
  slowRadiusM: number;
  /** A waypoint counts as reached within this distance, m. */
  reachedM: number;
}

export const DEFAULT_GUIDANCE: GuidanceParams = { speedMS: 8, slowRadiusM: 8, reachedM: 1.5 };

/** Mission-frame position (x east, y north, alt up) → NED (north, east, down). */
export function missionToNed(p: { x_east_m: number; y_north_m: number; alt_m: number }): Vec3 {
  return { x: p.y_north_m, y: p.x_east_m, z: -p.alt_m };
}

/** Velocity towards `target` from `pos`, NED. */
export function velocityTowards(pos: Vec3, target: Vec3, p: GuidanceParams): Vec3 {
  const d = { x: target.x - pos.x, y: target.y - pos.y, z: target.z - pos.z };
  const dist = Math.hypot(d.x, d.y, d.z);
  if (dist < 1e-6) return { x: 0, y: 0, z: 0 };
  const speed = Math.min(p.speedMS, (p.speedMS * dist) / p.slowRadiusM);
  return { x: (d.x / dist) * speed, y: (d.y / dist) * speed, z: (d.z / dist) * speed };
}

/** Index of the waypoint to fly to: advances past every waypoint already within `reachedM`. */
export function nextWaypoint(pos: Vec3, waypoints: readonly Vec3[], from: number, reachedM: number): number {
  let i = from;
  while (i < waypoints.length - 1) {
    const w = waypoints[i]!;
    if (Math.hypot(w.x - pos.x, w.y - pos.y, w.z - pos.z) > reachedM) break;
    i++;
  }
  return i;
}
