/**
 * Shard regions (issue 19 §3): the mission area cut into `n` strips of equal width along x east,
 * one per shard. A strip is half-open (x_min ≤ x < x_max); the outer strips reach to ±∞, so every
 * point belongs to exactly one shard. Strips keep the partition of planning inputs a pure
 * function of a position: a user's task goes to the shard of the user's position, a UAV to the
 * shard of the region it flies over (with a margin against flapping at the border).
 */
export interface Region {
  /** From 1. */
  shard: number;
  xMinM: number;
  xMaxM: number;
}

/** `n` equal strips of a square area of side `areaM` (mission frame, origin at its south-west corner). */
export function stripRegions(areaM: number, n: number): Region[] {
  if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`shards must be a whole number ≥ 1, got ${n}`);
  return Array.from({ length: n }, (_, i) => ({ shard: i + 1, xMinM: (areaM * i) / n, xMaxM: (areaM * (i + 1)) / n }));
}

/** The shard whose region holds x (outer strips extend past the area). */
export function regionOf(regions: readonly Region[], xM: number): number {
  for (const r of regions) if (xM < r.xMaxM) return r.shard;
  return regions[regions.length - 1]!.shard;
}

/**
 * Whether a UAV owned by `owner` has crossed into another region: it is more than `marginM` past
 * the border of its owner's strip (the margin keeps a UAV hovering on the border from flapping
 * between shards). Returns the shard it crossed into, or undefined.
 */
export function crossedInto(regions: readonly Region[], owner: number, xM: number, marginM: number): number | undefined {
  const r = regions[owner - 1]!;
  if (owner > 1 && xM < r.xMinM - marginM) return regionOf(regions, xM);
  if (owner < regions.length && xM >= r.xMaxM + marginM) return regionOf(regions, xM);
  return undefined;
}

/** The middle of a region inside the area (for a transit target when its users are unknown). */
export function regionCentre(r: Region, areaM: number): [number, number] {
  return [(Math.max(0, r.xMinM) + Math.min(areaM, r.xMaxM)) / 2, areaM / 2];
}
