/**
 * Merge-and-split coalition formation for one MED (SPEC §5.2, S0 §V).
 *
 * Game [choice]. S0 lets one MED interact with one coalition per slot while the other UAVs stay in
 * energy-saving mode (S0 §III-C), and its scheduler picks "the coalition with the optimal
 * utility" (Algorithm 1, Step 4). So in a structure Π the *serving* coalition is the one with the
 * largest U_g > 0 (ties: smallest member list); its members receive u_j (S0 Eq. 10) and every
 * other UAV receives 0.
 *
 * Rules (S0 Definitions 1–3): a change is applied when it Pareto-improves the UAVs it involves —
 * none worse off, one strictly better (tolerance `TOL`). Merge: any two coalitions into their
 * union. Split: a coalition into two parts; every bipartition is tried for coalitions of up to
 * `fullSplitMax` members, and for larger ones the splits that detach a single member. A structure
 * where no rule applies is D_hp-stable with respect to these rules. Merges are tried first,
 * then splits; the first applicable change is applied and the search restarts.
 *
 * Termination: a revisited structure or `maxIterations` stops the loop (`converged` false).
 *
 * Messages (S0 Fig. 6) [choice]: with the twin on the controller, evaluating a change needs no
 * U2U traffic and each applied change costs |involved| − 1 messages (the new coalition's members
 * confirm to one member acting as head); without a twin, every evaluated change also costs
 * |involved|·(|involved| − 1) messages (each involved UAV tells the others its utility).
 */
import { evaluateCoalition, type F3Input } from './f3.ts';
import type { CoalitionEval } from './types.ts';

export const TOL = 1e-9;

export interface FormationOptions {
  /** Preliminary structure (warm start, e.g. from the generative model); default singletons. */
  initial?: number[][];
  maxIterations?: number;
  fullSplitMax?: number;
  /**
   * Preference order. 'pareto' (default): S0 Definition 1 on the proportional payoffs u_j.
   * 'tu': with transferable utility, a change that raises the involved UAVs' *total* payoff can be
   * made Pareto-improving by side payments, so it is applied when Σ_involved u rises.
   */
  order?: 'pareto' | 'tu';
}

export interface FormationResult {
  structure: number[][];
  /** Index into `structure` of the serving coalition, or −1 if no coalition has U_g > 0. */
  serving: number;
  servingEval?: CoalitionEval;
  /** Applied merges + splits. */
  iterations: number;
  merges: number;
  splits: number;
  /** Candidate changes evaluated. */
  evaluations: number;
  u2uMessagesWithDt: number;
  u2uMessagesWithoutDt: number;
  converged: boolean;
}

const keyOf = (c: readonly number[]): string => c.join(',');
const structKey = (s: number[][]): string => s.map(keyOf).sort().join('|');
const norm = (c: number[]): number[] => [...c].sort((a, b) => a - b);

/** Memoised F3 evaluations of coalitions for one MED. */
export class CoalitionCache {
  private readonly memo = new Map<string, CoalitionEval>();
  constructor(readonly input: F3Input) {}
  get(members: readonly number[]): CoalitionEval {
    const k = keyOf(members);
    let e = this.memo.get(k);
    if (!e) {
      e = evaluateCoalition(this.input, members);
      this.memo.set(k, e);
    }
    return e;
  }
}

/** Index of the serving coalition of a structure (largest U_g > 0), or −1. */
export function servingIndex(cache: CoalitionCache, structure: readonly number[][]): number {
  let best = -1;
  let bestU = 0;
  structure.forEach((c, i) => {
    const u = cache.get(c).utility;
    if (u > bestU + TOL || (best >= 0 && Math.abs(u - bestU) <= TOL && keyOf(c) < keyOf(structure[best]!))) {
      best = i;
      bestU = u;
    }
  });
  return best;
}

/** Payoff of UAV j under a structure (serving rule above). */
export function payoffs(cache: CoalitionCache, structure: readonly number[][]): Map<number, number> {
  const out = new Map<number, number>();
  for (const c of structure) for (const j of c) out.set(j, 0);
  const s = servingIndex(cache, structure);
  if (s >= 0) {
    const e = cache.get(structure[s]!);
    e.members.forEach((j, m) => out.set(j, e.participantUtility[m]!));
  }
  return out;
}

/** Whether `after` Pareto-improves `before` for the UAVs in `involved` (S0 Definition 1). */
export function paretoImproves(before: Map<number, number>, after: Map<number, number>, involved: readonly number[], order: 'pareto' | 'tu' = 'pareto'): boolean {
  if (order === 'tu') {
    let d = 0;
    for (const j of involved) d += after.get(j)! - before.get(j)!;
    return d > TOL;
  }
  let strict = false;
  for (const j of involved) {
    const a = after.get(j)!;
    const b = before.get(j)!;
    if (a < b - TOL) return false;
    if (a > b + TOL) strict = true;
  }
  return strict;
}

/** Every split of `c` into two non-empty parts (c sorted); single-member detachments for big c. */
export function* bipartitions(c: readonly number[], fullSplitMax: number): Generator<[number[], number[]]> {
  if (c.length < 2) return;
  if (c.length > fullSplitMax) {
    for (const j of c) yield [[j], c.filter((x) => x !== j)];
    return;
  }
  const n = c.length;
  // Fix the first member in part A so each unordered split appears once.
  for (let mask = 0; mask < 1 << (n - 1); mask++) {
    const a = [c[0]!];
    const b: number[] = [];
    for (let t = 1; t < n; t++) ((mask >> (t - 1)) & 1 ? a : b).push(c[t]!);
    if (b.length > 0) yield [a, b];
  }
}

export function formCoalitions(input: F3Input, candidates: readonly number[], opts: FormationOptions = {}, cache = new CoalitionCache(input)): FormationResult {
  const maxIt = opts.maxIterations ?? 10_000;
  const fullSplitMax = opts.fullSplitMax ?? 10;
  const pool = new Set(candidates);
  let structure: number[][] = (opts.initial ?? candidates.map((j) => [j])).map(norm).filter((c) => c.length > 0);
  const placed = new Set(structure.flat());
  for (const j of placed) if (!pool.has(j)) throw new RangeError(`warm start names UAV ${j}, which is not a candidate`);
  if (placed.size !== structure.flat().length) throw new RangeError('warm start places a UAV in two coalitions');
  for (const j of candidates) if (!placed.has(j)) structure.push([j]);

  const seen = new Set([structKey(structure)]);
  let iterations = 0, merges = 0, splits = 0, evaluations = 0, withDt = 0, withoutDt = 0;
  let converged = false;
  while (iterations < maxIt) {
    const evals = structure.map((c) => cache.get(c));
    const keys = structure.map(keyOf);
    const before = payoffs(cache, structure);
    /** Serving coalition of (structure − removed + added), or null when none has U_g > 0. */
    const servingOf = (removed: readonly number[], added: readonly CoalitionEval[]): CoalitionEval | null => {
      let best: CoalitionEval | null = null;
      let bestKey = '';
      const consider = (e: CoalitionEval, k: string) => {
        if (e.utility <= TOL) return;
        if (!best || e.utility > best.utility + TOL || (Math.abs(e.utility - best.utility) <= TOL && k < bestKey)) {
          best = e;
          bestKey = k;
        }
      };
      evals.forEach((e, i) => {
        if (!removed.includes(i)) consider(e, keys[i]!);
      });
      for (const e of added) consider(e, keyOf(e.members));
      return best;
    };
    const improves = (involved: readonly number[], serving: CoalitionEval | null): boolean => {
      const after = new Map<number, number>();
      for (const j of involved) after.set(j, 0);
      if (serving) serving.members.forEach((j, m) => after.has(j) && after.set(j, serving.participantUtility[m]!));
      return paretoImproves(before, after, involved, opts.order ?? 'pareto');
    };
    let next: number[][] | undefined;
    let involved: number[] = [];
    // Merge pass.
    outer: for (let a = 0; a < structure.length; a++) {
      for (let b = a + 1; b < structure.length; b++) {
        const merged = norm([...structure[a]!, ...structure[b]!]);
        evaluations++;
        withoutDt += merged.length * (merged.length - 1);
        if (improves(merged, servingOf([a, b], [cache.get(merged)]))) {
          next = structure.filter((_, i) => i !== a && i !== b).concat([merged]);
          involved = merged;
          merges++;
          break outer;
        }
      }
    }
    // Split pass.
    if (!next) {
      outer2: for (let c = 0; c < structure.length; c++) {
        const inv = structure[c]!;
        for (const [pa, pb] of bipartitions(inv, fullSplitMax)) {
          evaluations++;
          withoutDt += inv.length * (inv.length - 1);
          if (improves(inv, servingOf([c], [cache.get(pa), cache.get(pb)]))) {
            next = structure.filter((_, i) => i !== c).concat([pa, pb]);
            involved = inv;
            splits++;
            break outer2;
          }
        }
      }
    }
    if (!next) {
      converged = true;
      break;
    }
    iterations++;
    withDt += involved.length - 1;
    withoutDt += involved.length - 1;
    structure = next;
    const k = structKey(structure);
    if (seen.has(k)) break;
    seen.add(k);
  }
  const serving = servingIndex(cache, structure);
  const res: FormationResult = { structure, serving, iterations, merges, splits, evaluations, u2uMessagesWithDt: withDt, u2uMessagesWithoutDt: withoutDt, converged };
  if (serving >= 0) res.servingEval = cache.get(structure[serving]!);
  return res;
}
