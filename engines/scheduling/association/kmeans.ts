import type { Rng } from '../../../core/rng.ts';

/**
 * UAV–user association (P1 of S1 §4.1, SPEC §5.3): weighted K-means++.
 * S1: "the reciprocal distance between the user and the starting point [is] the weight of each
 * user, K-means++ initiates the centres, and the weight is used when updating the centres, so
 * that the farther from the starting point, the fewer user data are clustered."
 *
 * Procedure: (1) K-means++ seeding with probabilities ∝ w_m·D²(m) where w_m = 1/d(m, nearest
 * start); (2) weighted Lloyd iterations; (3) clusters matched to UAVs minimising Σ centre–start
 * distance (exhaustive for N ≤ 7, greedy above); (4) refinement in which cluster n's centre is
 * the mean of its users weighted by 1/d(user, start_n), which pulls each centre toward its own
 * UAV's start. `weighted: false` gives plain K-means++ (the distance-based baseline).
 */
export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface KMeansOptions {
  readonly weighted: boolean;
  readonly iterations: number;
}

const dist = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);

export function associateUsers(rng: Rng, users: readonly Point[], starts: readonly Point[], o: KMeansOptions = { weighted: true, iterations: 50 }): number[] {
  const M = users.length;
  const N = starts.length;
  if (M === 0) return [];
  if (N === 1) return users.map(() => 0);
  const w = users.map((u) => (o.weighted ? 1 / Math.max(1, Math.min(...starts.map((s) => dist(u, s)))) : 1));
  // (1) K-means++ seeding
  const centres: Point[] = [];
  const sample = (p: number[]) => {
    const total = p.reduce((a, b) => a + b, 0);
    let r = rng.next() * total;
    for (let m = 0; m < M; m++) if ((r -= p[m]!) <= 0) return m;
    return M - 1;
  };
  centres.push(users[sample(w)]!);
  while (centres.length < N) {
    const d2 = users.map((u, m) => w[m]! * Math.min(...centres.map((c) => dist(u, c))) ** 2);
    centres.push(d2.every((v) => v === 0) ? users[rng.int(0, M - 1)]! : users[sample(d2)]!);
  }
  // (2) weighted Lloyd
  let label = lloyd(users, centres, () => w, o.iterations);
  // (3) match clusters to UAVs
  const perm = matchToStarts(centres, starts);
  label = label.map((k) => perm[k]!);
  const cs: Point[] = [];
  perm.forEach((n, k) => (cs[n] = centres[k]!));
  // (4) per-UAV weights 1/d(user, start_n)
  if (o.weighted) label = lloyd(users, cs, (n) => users.map((u) => 1 / Math.max(1, dist(u, starts[n]!))), o.iterations, label);
  return label;
}

function lloyd(users: readonly Point[], centres: Point[], weightsFor: (k: number) => number[], iterations: number, init?: number[]): number[] {
  const K = centres.length;
  let label = init ?? users.map((u) => nearest(u, centres));
  for (let it = 0; it < iterations; it++) {
    for (let k = 0; k < K; k++) {
      const wk = weightsFor(k);
      let sx = 0;
      let sy = 0;
      let sw = 0;
      users.forEach((u, m) => {
        if (label[m] !== k) return;
        sx += wk[m]! * u.x;
        sy += wk[m]! * u.y;
        sw += wk[m]!;
      });
      if (sw > 0) centres[k] = { x: sx / sw, y: sy / sw };
    }
    const next = users.map((u) => nearest(u, centres));
    if (next.every((v, m) => v === label[m])) break;
    label = next;
  }
  return label;
}

function nearest(u: Point, cs: readonly Point[]): number {
  let best = 0;
  for (let k = 1; k < cs.length; k++) if (dist(u, cs[k]!) < dist(u, cs[best]!)) best = k;
  return best;
}

/** perm[k] = UAV of cluster k, minimising Σ dist(centre_k, start_perm[k]). */
export function matchToStarts(centres: readonly Point[], starts: readonly Point[]): number[] {
  const N = starts.length;
  if (N <= 7) {
    let best: number[] = [];
    let bestCost = Infinity;
    const cur: number[] = [];
    const used = new Array<boolean>(N).fill(false);
    const rec = (cost: number) => {
      if (cost >= bestCost) return;
      if (cur.length === N) {
        bestCost = cost;
        best = cur.slice();
        return;
      }
      const k = cur.length;
      for (let n = 0; n < N; n++) {
        if (used[n]) continue;
        used[n] = true;
        cur.push(n);
        rec(cost + dist(centres[k]!, starts[n]!));
        cur.pop();
        used[n] = false;
      }
    };
    rec(0);
    return best;
  }
  const perm = new Array<number>(N).fill(-1);
  const taken = new Set<number>();
  const pairs = centres.flatMap((c, k) => starts.map((s, n) => ({ k, n, d: dist(c, s) }))).sort((a, b) => a.d - b.d);
  for (const p of pairs) if (perm[p.k] === -1 && !taken.has(p.n)) {
      perm[p.k] = p.n;
      taken.add(p.n);
    }
  return perm;
}

/** Region baseline: each user to the UAV whose start is nearest (a geometric split of the area). */
export function regionAssociation(users: readonly Point[], starts: readonly Point[]): number[] {
  return users.map((u) => nearest(u, starts));
}

/** Data baseline: longest-processing-time greedy on data volume, ignoring location. */
export function dataBalancedAssociation(dataBits: readonly number[], N: number): number[] {
  const load = new Array<number>(N).fill(0);
  const label = new Array<number>(dataBits.length).fill(0);
  const order = dataBits.map((_, m) => m).sort((a, b) => dataBits[b]! - dataBits[a]! || a - b);
  for (const m of order) {
    let n = 0;
    for (let k = 1; k < N; k++) if (load[k]! < load[n]!) n = k;
    label[m] = n;
    load[n] = load[n]! + dataBits[m]!;
  }
  return label;
}
