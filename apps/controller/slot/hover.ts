/**
 * Where the UAVs hover: over user clusters (issue 2's simplest planner with SPEC §5.1). The users
 * are clustered by Lloyd's k-means into as many clusters as there are UAVs, warm-started from the
 * previous slot's targets so that targets move smoothly as users walk; each UAV is then sent to a
 * cluster so that the total flight distance is least (exhaustive over assignments up to 7 UAVs,
 * greedy nearest pair beyond).
 */
import type { Rng } from '../../../core/rng.ts';
import { CentreGrid, type Point2 } from './nearest.ts';
import { greedyAssign } from './greedy-assign.ts';

export type { Point2 };

/**
 * k-means over points; `init` (length k) seeds the centroids, else k-means++ seeding from `rng`.
 * A centroid left without points is moved to the point farthest from its own centroid, so no UAV
 * is left hovering over nobody (the classic empty-cluster repair).
 */
export function kMeans(points: readonly Point2[], k: number, rng: Rng, init?: readonly Point2[], iterations = 30): Point2[] {
  if (k <= 0) return [];
  if (points.length === 0) return init ? [...init] : [];
  let centres: Point2[] = init && init.length === k ? init.map((c) => [c[0], c[1]] as const) : seedPlusPlus(points, k, rng);
  for (let it = 0; it < iterations; it++) {
    const sum = centres.map(() => [0, 0, 0]);
    const grid = new CentreGrid(centres);
    for (const p of points) {
      const j = nearest(grid, p);
      sum[j]![0]! += p[0];
      sum[j]![1]! += p[1];
      sum[j]![2]! += 1;
    }
    const next: Point2[] = centres.map((c, j) => (sum[j]![2]! > 0 ? ([sum[j]![0]! / sum[j]![2]!, sum[j]![1]! / sum[j]![2]!] as const) : c));
    for (let j = 0; j < k; j++) {
      if (sum[j]![2]! > 0 || points.length < k) continue;
      let far = 0;
      let farD = -1;
      const nextGrid = new CentreGrid(next);
      for (const [i, p] of points.entries()) {
        const c = next[nearest(nextGrid, p)]!;
        const d = (p[0] - c[0]) ** 2 + (p[1] - c[1]) ** 2;
        if (d > farD) {
          farD = d;
          far = i;
        }
      }
      next[j] = points[far]!;
    }
    const moved = next.some((c, j) => Math.hypot(c[0] - centres[j]![0], c[1] - centres[j]![1]) > 1e-6);
    centres = next;
    if (!moved) break;
  }
  return centres;
}

function seedPlusPlus(points: readonly Point2[], k: number, rng: Rng): Point2[] {
  const centres: Point2[] = [rng.pick(points)];
  // Squared distance of each point to its nearest centre so far, updated with each new centre only
  // (O(k·n) in all, not O(k²·n): 1 000 UAVs over 5 000 users took 8 s). The same minima as a full
  // recomputation, summed in the same order, so the same centres are drawn.
  const d2 = points.map((p) => (p[0] - centres[0]![0]) ** 2 + (p[1] - centres[0]![1]) ** 2);
  while (centres.length < k) {
    const total = d2.reduce((a, b) => a + b, 0);
    let next: Point2;
    if (total === 0) {
      next = rng.pick(points);
    } else {
      let r = rng.next() * total;
      let idx = 0;
      for (; idx < d2.length - 1 && r > d2[idx]!; idx++) r -= d2[idx]!;
      next = points[idx]!;
    }
    centres.push(next);
    for (let i = 0; i < points.length; i++) {
      const p = points[i]!;
      const d = (p[0] - next[0]) ** 2 + (p[1] - next[1]) ** 2;
      if (d < d2[i]!) d2[i] = d;
    }
  }
  return centres;
}

/** The nearest centre (a linear scan's answer: lowest index among equals; 0 when none is finite). */
function nearest(grid: CentreGrid, p: Point2): number {
  return Math.max(0, grid.nearest(p));
}

/** Assigns targets to UAVs (index i → target index) minimising the total distance. */
export function assignTargets(uavs: readonly Point2[], targets: readonly Point2[]): number[] {
  const n = uavs.length;
  const dist = (i: number, j: number) => Math.hypot(uavs[i]![0] - targets[j]![0], uavs[i]![1] - targets[j]![1]);
  if (n <= 7 && targets.length === n) {
    let best: number[] = [];
    let bestCost = Infinity;
    const perm = [...Array(n).keys()];
    const visit = (i: number, cost: number) => {
      if (cost >= bestCost) return;
      if (i === n) {
        bestCost = cost;
        best = [...perm];
        return;
      }
      for (let j = i; j < n; j++) {
        [perm[i], perm[j]] = [perm[j]!, perm[i]!];
        visit(i + 1, cost + dist(i, perm[i]!));
        [perm[i], perm[j]] = [perm[j]!, perm[i]!];
      }
    };
    visit(0, 0);
    return best;
  }
  return greedyAssign(n, targets.length, dist);
}
