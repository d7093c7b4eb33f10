/**
 * Which UAVs can cover a user, found through a uniform grid instead of testing every UAV: cells
 * as wide as the largest coverage radius R_k = H_k·tan θ_max (SPEC §3), so every UAV that can
 * cover a point lies in the point's cell or one of its 8 neighbours. The caller still applies the
 * exact coverage test; the grid only skips UAVs that cannot pass it.
 */
import { coverageRadius } from '../../../core/models/channel.ts';

type Vec3 = readonly [number, number, number];

export interface CoverageGrid {
  /** UAV indices that may cover `p`, ascending. */
  near(p: Vec3): number[];
}

/** `lowestUserZ`: the lowest user altitude (the radius grows with the height above the user). */
export function coverageGrid(uavs: readonly Vec3[], lowestUserZ: number, thetaMaxDeg: number): CoverageGrid {
  const zMin = Number.isFinite(lowestUserZ) ? lowestUserZ : 0;
  let r = 0;
  for (const u of uavs) r = Math.max(r, coverageRadius(u[2] - zMin, thetaMaxDeg));
  const all = uavs.map((_, k) => k);
  if (!(r > 0) || !Number.isFinite(r) || uavs.length < 16) return { near: () => all };
  const cell = r * (1 + 1e-9);
  const cells = new Map<number, number[]>();
  // Cell coordinates packed into one number (|cx|, |cy| < 2^20 for any area up to 10^6 radii).
  const key = (cx: number, cy: number) => cx * 4_194_304 + cy;
  uavs.forEach((u, k) => {
    const id = key(Math.floor(u[0] / cell), Math.floor(u[1] / cell));
    const list = cells.get(id);
    if (list) list.push(k);
    else cells.set(id, [k]);
  });
  return {
    near(p) {
      const cx = Math.floor(p[0] / cell);
      const cy = Math.floor(p[1] / cell);
      const out: number[] = [];
      for (let dx = -1; dx <= 1; dx++) {
        for (let dy = -1; dy <= 1; dy++) {
          const list = cells.get(key(cx + dx, cy + dy));
          if (list) for (let j = 0; j < list.length; j++) out.push(list[j]!);
        }
      }
      return out.length > 1 ? out.sort((a, b) => a - b) : out;
    },
  };
}
