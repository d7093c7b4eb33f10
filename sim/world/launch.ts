/**
 * Where the fleet stands before take-off when the scenario does not say (`uavStarts`): launch pads
 * `LAUNCH_PAD_SPACING_M` apart in rows along x east from the origin, a new row north of the last
 * once a row would leave the mission area — like PX4's multi-vehicle spawn line, folded into the
 * area. Every pad is inside the area, so inside every agent's geofence (area + FENCE_MARGIN_M): a
 * single line of 50 UAVs 6 m apart reached 294 m east, and the 21 launch plans beyond the fence
 * (150 m + 20 m) were refused (uavmec mission --uavs 50, 2026-12-03). Up to a row's worth of UAVs
 * the pads are the line they were, so small missions fly exactly as before.
 */
import type { Scenario } from './scenario.ts';

/** Distance between neighbouring launch pads, m (more than the agents' separation minimum). */
export const LAUNCH_PAD_SPACING_M = 6;

/** How many pads fit in one row along the area's east side. */
function padsPerRow(areaM: number): number {
  return Math.floor(areaM / LAUNCH_PAD_SPACING_M) + 1;
}

/** How many UAVs the area holds on launch pads. */
export function launchPadCapacity(areaM: number): number {
  const n = padsPerRow(areaM);
  return n * n;
}

/** Each UAV's home relative to the origin (index i = UAV i + 1): its `uavStarts`, or its launch pad. */
export function launchPads(s: Pick<Scenario, 'uavs' | 'areaM' | 'uavStarts'>): { northM: number; eastM: number }[] {
  if (s.uavStarts) return s.uavStarts.map((p) => ({ northM: p[1], eastM: p[0] }));
  const perRow = padsPerRow(s.areaM);
  return Array.from({ length: s.uavs }, (_, i) => ({ northM: Math.floor(i / perRow) * LAUNCH_PAD_SPACING_M, eastM: (i % perRow) * LAUNCH_PAD_SPACING_M }));
}
