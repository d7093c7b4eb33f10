/**
 * KKT closed forms for the S3 resource allocation with fixed offloading decisions (SPEC §5.1).
 *
 * Derivation. With decisions fixed, maximising DOR = Σ_i (1 − w_i T_i), w_i = 1/T_i^loc, is
 * minimising Σ_i w_i T_i. Every delay term has the form D/(x·e) or D·C/x with x the allocated
 * resource, so the objective is a sum over *pools* p (a UAV's G2A bandwidth, a UAV's CPU, the
 * shared A2A bandwidth) of separable terms:
 *
 *     min  Σ_{i∈p} a_i / x_i    s.t.  Σ_{i∈p} x_i ≤ X_p,  x_i ≥ 0,
 *
 * with a_i = w_i D_i / e_ik for the G2A bandwidth of access UAV k (e_ik = log2(1+SNR_ik)),
 * a_i = w_i D_i C_i for the CPU of executing UAV k', and a_i = w_i D_i / e_kk' for A2A bandwidth.
 * Each a_i/x_i is strictly convex on x_i > 0 and the constraint is linear, so KKT is necessary
 * and sufficient. Lagrangian L = Σ a_i/x_i + λ(Σ x_i − X). Stationarity: −a_i/x_i² + λ = 0
 * ⇒ x_i = √(a_i/λ). Since the objective decreases in every x_i, λ > 0 and the budget is tight
 * (complementary slackness): Σ √(a_i/λ) = X ⇒ √λ = Σ_j √a_j / X, hence
 *
 *     x_i = X · √a_i / Σ_j √a_j                                  (SPEC §5.1 B_ik and f_ik)
 *     min value = (Σ_j √a_j)² / X.
 *
 * The second line makes the slot objective DOR = |edge users| − Σ_p S_p² / X_p with
 * S_p = Σ_{i∈p} √a_i, which coordinate descent updates incrementally (cd.ts).
 */

/** KKT shares x_i = X·√a_i / Σ√a_j of a pool of capacity X for weights a_i ≥ 0. */
export function kktShares(weights: readonly number[], capacity: number): number[] {
  const roots = weights.map((a) => Math.sqrt(Math.max(a, 0)));
  const sum = roots.reduce((s, r) => s + r, 0);
  if (sum === 0) return weights.map(() => 0);
  return roots.map((r) => (capacity * r) / sum);
}

/** Optimal pool value min Σ a_i/x_i = (Σ√a_i)² / X; Infinity when X ≤ 0 and the pool is used. */
export function kktPoolCost(sumRoots: number, capacity: number): number {
  if (sumRoots === 0) return 0;
  return capacity > 0 ? (sumRoots * sumRoots) / capacity : Infinity;
}
