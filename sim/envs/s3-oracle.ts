/**
 * The S3 oracle trajectory (issue 16): the honest upper reference for a learned trajectory.
 *
 * S3's users are static and every slot's tasks are i.i.d. and unseen by the actor (SPEC §5.5: the
 * observation is the UAV's own position), so the best a trajectory can do is reach the best static
 * placement as fast as the speed bound allows and hover there. The oracle:
 * 1. `bestStaticPlacement` searches UAV positions (random search, then local perturbation of the
 *    best) scored by the mean DOR of `slots` slots hovering there (CD+KKT, the env's reward);
 * 2. `assignTargets` matches the start corners to the placement's points (the assignment with the
 *    fewest slots of flight for the slowest UAV, then the least total flight);
 * 3. `oraclePolicy` flies each UAV in a straight line to its point at the per-axis speed bound and
 *    hovers there.
 * Not a paper baseline: S3 has no oracle. A random search only finds a good placement, not the
 * optimum, so "≥ oracle" is possible in principle; the search is seeded and reported.
 */
import { createRng } from '../../core/rng.ts';
import { makeEnv, type EnvId } from './registry.ts';
import type { EnvSpec } from './types.ts';

export type Vec3 = [number, number, number];

export interface StaticPlacement {
  /** Mean DOR per slot hovering at `positions` over the scoring slots. */
  dorPerSlot: number;
  /** One position per UAV, m. */
  positions: Vec3[];
  samples: number;
  seed: number;
}

export interface PlacementSearch {
  /** Candidate placements scored (half random, half perturbations of the best so far). */
  samples: number;
  /** Seed of the search and of the scoring slots' tasks. */
  seed: number;
  /** Slots hovered to score a placement (their tasks are i.i.d.; more = less noise). */
  slots?: number;
}

/** The issue-16 protocol's search: 400 candidates × 20 slots, seed 1. */
export const DEFAULT_PLACEMENT_SEARCH: Required<PlacementSearch> = { samples: 400, seed: 1, slots: 20 };

/** Best static hover placement found by a seeded random search + local perturbation. */
export function bestStaticPlacement(env: EnvId, overrides: Record<string, unknown>, search: PlacementSearch = DEFAULT_PLACEMENT_SEARCH): StaticPlacement {
  const { samples, seed } = search;
  const slots = search.slots ?? DEFAULT_PLACEMENT_SEARCH.slots;
  const rng = createRng(seed);
  const probe = makeEnv(env, 1, overrides);
  const { obsLow, obsHigh } = probe.spec.space;
  const n = probe.spec.nAgents;
  const score = (p: Vec3[]) => {
    const e = makeEnv(env, seed, { ...overrides, horizon: slots, startPositions: p });
    e.reset();
    let s = 0;
    for (let t = 0; t < slots; t++) s += e.step(p.map(() => [0, 0, 0])).info.objective;
    return s / slots;
  };
  const clip = (v: number, d: number) => Math.min(obsHigh[d]!, Math.max(obsLow[d]!, v));
  let best = { dor: -Infinity, positions: [] as Vec3[] };
  for (let i = 0; i < samples; i++) {
    const p = Array.from({ length: n }, () => [0, 1, 2].map((d) => rng.uniform(obsLow[d]!, obsHigh[d]!)) as Vec3);
    const local = i >= samples / 2 && best.positions.length > 0;
    const cand = local ? best.positions.map((q) => q.map((v, d) => clip(v + (d < 2 ? 3 : 1) * rng.normal(), d)) as Vec3) : p;
    const dor = score(cand);
    if (dor > best.dor) best = { dor, positions: cand };
  }
  return { dorPerSlot: best.dor, positions: best.positions, samples, seed };
}

/** Slots to fly from `a` to `b` at a per-axis bound `step` (axes with a zero bound ignored). */
function flightSlots(a: readonly number[], b: readonly number[], step: readonly number[]): number {
  let s = 0;
  for (let d = 0; d < a.length; d++) if (step[d]! > 0) s = Math.max(s, Math.abs(b[d]! - a[d]!) / step[d]!);
  return Math.ceil(s - 1e-9);
}

function permutations(n: number): number[][] {
  if (n <= 1) return [[...Array(n).keys()]];
  const out: number[][] = [];
  for (const rest of permutations(n - 1)) for (let i = 0; i <= rest.length; i++) out.push([...rest.slice(0, i), n - 1, ...rest.slice(i)]);
  return out;
}

/**
 * `target[k]` = index of the placement point UAV k flies to: the assignment whose slowest UAV
 * arrives first, ties broken by total flight slots. Exhaustive up to 7 UAVs, greedy beyond.
 */
export function assignTargets(starts: readonly Vec3[], points: readonly Vec3[], step: readonly number[]): number[] {
  const n = starts.length;
  const cost = starts.map((s) => points.map((p) => flightSlots(s, p, step)));
  if (n <= 7) {
    let best: number[] = [];
    let key = [Infinity, Infinity];
    for (const perm of permutations(n)) {
      const c = perm.map((j, k) => cost[k]![j]!);
      const cand = [Math.max(...c), c.reduce((a, b) => a + b, 0)];
      if (cand[0]! < key[0]! || (cand[0] === key[0] && cand[1]! < key[1]!)) [best, key] = [perm, cand];
    }
    return best;
  }
  const free = new Set(points.map((_, j) => j));
  return starts.map((_, k) => {
    let bj = -1;
    for (const j of free) if (bj < 0 || cost[k]![j]! < cost[k]![bj]!) bj = j;
    free.delete(bj);
    return bj;
  });
}

/**
 * The oracle's actions from the UAVs' current positions: straight towards each target at the
 * per-axis bound (the displacement is scaled so that no axis exceeds its bound; the last move
 * lands exactly), zero once there. Closed-loop, so it stays on the straight segment.
 */
export function oracleActions(obs: readonly (readonly number[])[], targets: readonly Vec3[], actHigh: readonly number[]): number[][] {
  return obs.map((p, k) => {
    const t = targets[k]!;
    const delta = [0, 1, 2].map((d) => (actHigh[d]! > 0 ? t[d]! - p[d]! : 0));
    let s = 1;
    for (let d = 0; d < 3; d++) if (actHigh[d]! > 0 && Math.abs(delta[d]!) > actHigh[d]!) s = Math.min(s, actHigh[d]! / Math.abs(delta[d]!));
    return delta.map((v) => v * s);
  });
}

export interface S3Oracle {
  placement: StaticPlacement;
  /** Target position per UAV (index = agent), after the start-to-point assignment. */
  targets: Vec3[];
  /** Slots until the last UAV arrives. */
  arrivalSlots: number;
  /** The policy: current positions → displacements. */
  act(obs: number[][]): number[][];
}

/** Builds the oracle for an S3 env (`s3` or `s3-2d`) with the given overrides. */
export function s3Oracle(env: EnvId, overrides: Record<string, unknown>, search: PlacementSearch = DEFAULT_PLACEMENT_SEARCH): S3Oracle {
  if (env === 's2') throw new RangeError('the oracle is defined for the S3 envs (s3, s3-2d)');
  const placement = bestStaticPlacement(env, overrides, search);
  const e = makeEnv(env, search.seed, overrides);
  const spec: EnvSpec = e.spec;
  const starts = e.reset().map((p) => [p[0]!, p[1]!, p[2]!] as Vec3);
  const step = spec.space.actHigh;
  const perm = assignTargets(starts, placement.positions, step);
  const targets = perm.map((j) => placement.positions[j]!);
  const arrivalSlots = Math.max(...starts.map((s, k) => flightSlots(s, targets[k]!, step)));
  return { placement, targets, arrivalSlots, act: (obs) => oracleActions(obs, targets, step) };
}
