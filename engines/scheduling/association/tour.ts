import type { Point } from './kmeans.ts';

/**
 * Visit order of one UAV's users (part of P1's trajectory, SPEC §5.3): a closed tour from the
 * start point through every user and back (S1 Eq. 1, q[1] = q[K] = l_init), built by nearest
 * neighbour and improved by 2-opt until no reversal shortens it. Returns user indices in visit
 * order (the start is implicit at both ends).
 */
export function planTour(start: Point, pts: readonly Point[], maxPasses = 50): number[] {
  const n = pts.length;
  if (n <= 1) return pts.map((_, i) => i);
  const left = new Set(pts.map((_, i) => i));
  const order: number[] = [];
  let cur: Point = start;
  while (left.size > 0) {
    let best = -1;
    let bd = Infinity;
    for (const i of left) {
      const d = Math.hypot(pts[i]!.x - cur.x, pts[i]!.y - cur.y);
      if (d < bd) {
        bd = d;
        best = i;
      }
    }
    order.push(best);
    left.delete(best);
    cur = pts[best]!;
  }
  // 2-opt on the closed route [start, ...order, start]
  const P = (k: number): Point => (k === 0 || k === n + 1 ? start : pts[order[k - 1]!]!);
  const d = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);
  for (let pass = 0; pass < maxPasses; pass++) {
    let improved = false;
    for (let i = 1; i < n; i++)
      for (let j = i + 1; j <= n; j++) {
        const delta = d(P(i - 1), P(j)) + d(P(i), P(j + 1)) - d(P(i - 1), P(i)) - d(P(j), P(j + 1));
        if (delta < -1e-9) {
          // reverse order[i-1 .. j-1]
          for (let a = i - 1, b = j - 1; a < b; a++, b--) [order[a], order[b]] = [order[b]!, order[a]!];
          improved = true;
        }
      }
    if (!improved) break;
  }
  return order;
}

export function tourLength(start: Point, pts: readonly Point[], order: readonly number[]): number {
  let len = 0;
  let cur = start;
  for (const i of order) {
    len += Math.hypot(pts[i]!.x - cur.x, pts[i]!.y - cur.y);
    cur = pts[i]!;
  }
  return len + Math.hypot(start.x - cur.x, start.y - cur.y);
}
