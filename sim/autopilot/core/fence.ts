/** Geofence test around home (local NED origin): a cylinder or a box, with a maximum height. */
import type { Vec3 } from '../../../core/geo.ts';
import type { FenceConfig } from './params.ts';

export function insideFence(f: FenceConfig, p: Vec3): boolean {
  if (-p.z > f.altMaxM) return false;
  if (f.shape === 'cylinder') return Math.hypot(p.x, p.y) <= f.radiusM;
  if (f.shape === 'box') return Math.abs(p.x) <= f.boxHalfNorthM && Math.abs(p.y) <= f.boxHalfEastM;
  return true;
}
