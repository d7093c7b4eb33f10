/**
 * The one-MED TU coalition game of S0 (SPEC §5.2) as the formation rules see it: coalition worth,
 * which coalition serves, members' payoffs, and the preference orders over structures.
 *
 * Worth [choice]. S0 calls the game transferable-utility: a coalition's worth is what it can
 * share among its members. Coalition g serving the MED on its own (F3, S0 Eq. 16) earns U_g and
 * its members pay their computing and hovering costs, so its worth is
 *     v(g) = Σ_{j∈g} u_j = U_g − α E_cp,g − β E_h,g      (S0 Eq. 8 and 10 summed over g).
 * v(g) depends on g alone, not on how the other UAVs are grouped. Eq. 10's proportional split
 * u_j is the imputation reported to the UAVs; with transferable utility any split of v(g) is
 * feasible.
 *
 * One coalition serves [S0 §III-C, Algorithm 1 Step 4]: the MED talks to one coalition per slot and
 * the scheduler takes "the coalition with the optimal utility"; the other UAVs are in
 * energy-saving mode and earn 0. So the serving coalition of a structure Π is the one with the
 * largest v(g) > 0 (ties: the smaller member list), and Π is worth W(Π) = max_{g∈Π} v(g)⁺. We pick
 * by v rather than by U_g because U_g ignores the UAVs' own energy and is maximised by adding
 * every UAV with spare capacity (the grand coalition), which is not what S0's Fig. 9–11 show.
 * The best W over all set partitions equals the best v over all subsets of the candidates.
 *
 * Orders (S0 Definition 1 is the Pareto order on the involved UAVs' payoffs):
 * - 'tu' (default): with side payments, a change can be made Pareto-improving for the involved
 *   UAVs exactly when their total payoff rises, so a change is preferred iff Σ_involved payoff
 *   rises. Under the serving rule the involved total before is v(S) if the serving coalition S is
 *   involved (else 0) and after is v(S') if the new serving coalition S' is one of the changed
 *   ones (else 0); either way a preferred change strictly raises W(Π), which bounds the number of
 *   changes and rules out cycles.
 * - 'pareto': Definition 1 literally on Eq. 10's proportional payoffs (serving members get u_j,
 *   the rest 0). Kept for comparison: adding a member dilutes everyone's share of the concave
 *   revenue φ ln(1 + Σs), so some member nearly always loses and formation stops far from the
 *   best coalition (see docs/planning-engine-1.md).
 */
import { evaluateCoalition, type F3Input } from './f3.ts';
import type { CoalitionEval } from './types.ts';

export const TOL = 1e-9;
export type FormationOrder = 'tu' | 'pareto';

export const keyOf = (c: readonly number[]): string => c.join(',');

/** Memoised F3 evaluations and worths v(g) of coalitions (sorted member lists) for one MED. */
export class CoalitionCache {
  private readonly memo = new Map<string, { e: CoalitionEval; v: number }>();
  constructor(readonly input: F3Input) {}
  private entry(members: readonly number[]) {
    const k = keyOf(members);
    let x = this.memo.get(k);
    if (!x) {
      const e = evaluateCoalition(this.input, members);
      x = { e, v: e.participantUtility.reduce((a, b) => a + b, 0) };
      this.memo.set(k, x);
    }
    return x;
  }
  get(members: readonly number[]): CoalitionEval {
    return this.entry(members).e;
  }
  /** v(g) = Σ_{j∈g} u_j (see above). */
  value(members: readonly number[]): number {
    return this.entry(members).v;
  }
  get size(): number {
    return this.memo.size;
  }
}

/** Whether coalition a (worth va) beats b (worth vb) for serving: larger worth, then smaller key. */
export function beats(va: number, ka: string, vb: number, kb: string): boolean {
  return va > vb + TOL || (Math.abs(va - vb) <= TOL && ka < kb);
}

/** Index of the serving coalition of a structure (largest v(g) > 0), or −1. */
export function servingIndex(cache: CoalitionCache, structure: readonly (readonly number[])[]): number {
  let best = -1;
  structure.forEach((c, i) => {
    const v = cache.value(c);
    if (v <= TOL) return;
    if (best < 0 || beats(v, keyOf(c), cache.value(structure[best]!), keyOf(structure[best]!))) best = i;
  });
  return best;
}

/** W(Π) = max_{g∈Π} v(g)⁺, the worth of a structure under the serving rule. */
export function structureValue(cache: CoalitionCache, structure: readonly (readonly number[])[]): number {
  const s = servingIndex(cache, structure);
  return s < 0 ? 0 : cache.value(structure[s]!);
}

/** Payoff of every UAV under `order`: serving members get u_j (pareto) — totals are for 'tu'. */
export function payoffs(cache: CoalitionCache, structure: readonly (readonly number[])[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const c of structure) for (const j of c) out.set(j, 0);
  const s = servingIndex(cache, structure);
  if (s >= 0) {
    const e = cache.get(structure[s]!);
    e.members.forEach((j, m) => out.set(j, e.participantUtility[m]!));
  }
  return out;
}

/**
 * Whether structure `after` is preferred to `before` by the UAVs in `involved` (the members of the
 * coalitions a change touches), under `order`. Independent of how formation searches; tests use it
 * to check stability.
 */
export function prefers(cache: CoalitionCache, before: readonly (readonly number[])[], after: readonly (readonly number[])[], involved: readonly number[], order: FormationOrder): boolean {
  const pb = payoffs(cache, before);
  const pa = payoffs(cache, after);
  if (order === 'tu') {
    // Total payoff of the involved UAVs: the serving coalition's worth if it is made of them.
    const total = (s: readonly (readonly number[])[]) => {
      const i = servingIndex(cache, s);
      return i >= 0 && s[i]!.every((j) => involved.includes(j)) ? cache.value(s[i]!) : 0;
    };
    return total(after) > total(before) + TOL;
  }
  return paretoImproves(pb, pa, involved);
}

/** S0 Definition 1: none of `involved` worse off, at least one strictly better (tolerance TOL). */
export function paretoImproves(before: Map<number, number>, after: Map<number, number>, involved: readonly number[]): boolean {
  let strict = false;
  for (const j of involved) {
    const a = after.get(j) ?? 0;
    const b = before.get(j) ?? 0;
    if (a < b - TOL) return false;
    if (a > b + TOL) strict = true;
  }
  return strict;
}
