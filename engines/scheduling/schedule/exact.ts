import type { Assignment, CompiledProblem } from './problem.ts';
import { Decoder, repairOrder } from './decode.ts';

/**
 * Exact reference for P2 on small instances: a MILP solved with HiGHS (the `highs` package).
 * Used to verify the GA (tests) — not for production-size problems.
 *
 * Variables (times relative to SSC): x_{i,n,l} ∈ {0,1} (task i on UAV n at level l), start
 * s_i ∈ [0, H], SFC offset F_n ≥ 0, order bits o_{ij} for task pairs not related by precedence,
 * and z = the max weighted energy. With X_{in} = Σ_l x_{inl} and dur_i = Σ D_{inl} x_{inl}:
 * - Σ_{n,l} x_{inl} = 1;  s_i ≥ Σ_n in_{in} X_{in} (input transfer);
 * - edge p→i: s_i ≥ s_p + dur_p, and for a ≠ b: s_i ≥ s_p + dur_p + C_{pab} − M(2 − X_{pa} − X_{ib});
 * - unrelated pair (i, j), each n (big-M disjunction): s_j ≥ s_i + dur_i − M(1 − o_ij) − M(2 − X_in − X_jn)
 *   and s_i ≥ s_j + dur_j − M o_ij − M(2 − X_in − X_jn);
 * - F_n ≥ s_i + dur_i − H(1 − X_in);
 * - z ≥ γ(E_fixed,n + p_hov,n F_n) + Σ κ f² c x (objective, SPEC §5.3);
 * - p_hov,n F_n + Σ κ f² c x ≤ E_n^0 − E_fixed,n (budget, S1 (19)).
 * H bounds any semi-active schedule (all work and transfers in sequence), M = 2H.
 */
export interface ExactResult {
  readonly status: string;
  /** The MILP's optimal objective (J). */
  readonly objective: number;
  /** The MILP solution as an `Assignment` (order by start time). */
  readonly assignment: Assignment;
}

type HighsLike = { solve(problem: string, options?: Record<string, unknown>): { Status: string; ObjectiveValue: number; Columns: Record<string, { Primal?: number }> } };

export async function solveExact(cp: CompiledProblem, timeLimitS = 60): Promise<ExactResult> {
  const { T, N, L, dur, ecost, inTime, outBits, invRate } = cp;
  let maxIn = 0;
  for (const v of inTime) maxIn = Math.max(maxIn, v);
  let maxInv = 0;
  for (const v of invRate) maxInv = Math.max(maxInv, v);
  let H = maxIn;
  for (let i = 0; i < T; i++) {
    let d = 0;
    for (let k = 0; k < N * L; k++) d = Math.max(d, dur[i * N * L + k]!);
    H += d + outBits[i]! * maxInv;
  }
  H *= 1.01;
  const M = 2 * H;
  const x = (i: number, n: number, l: number) => `x_${i}_${n}_${l}`;
  const num = (v: number) => (Math.abs(v) < 1e-15 ? '0' : v.toPrecision(15));
  const term = (c: number, v: string) => `${c >= 0 ? '+' : '-'} ${num(Math.abs(c))} ${v}`;
  const durTerms = (i: number, sign: number) => {
    const parts: string[] = [];
    for (let n = 0; n < N; n++) for (let l = 0; l < L; l++) parts.push(term(sign * dur[(i * N + n) * L + l]!, x(i, n, l)));
    return parts.join(' ');
  };
  const X = (i: number, n: number, c: number) => Array.from({ length: L }, (_, l) => term(c, x(i, n, l))).join(' ');
  const rows: string[] = [];
  for (let i = 0; i < T; i++) {
    rows.push(`${Array.from({ length: N * L }, (_, k) => `+ ${x(i, Math.floor(k / L), k % L)}`).join(' ')} = 1`);
    rows.push(`s_${i} ${Array.from({ length: N }, (_, n) => X(i, n, -inTime[i * N + n]!)).join(' ')} >= 0`);
  }
  // reachability for unrelated pairs
  const reach: Set<number>[] = Array.from({ length: T }, () => new Set());
  for (let k = T - 1; k >= 0; k--) {
    const t = cp.topo[k]!;
    for (let j = cp.succStart[t]!; j < cp.succStart[t + 1]!; j++) {
      const s = cp.succList[j]!;
      reach[t]!.add(s);
      for (const r of reach[s]!) reach[t]!.add(r);
    }
  }
  for (let i = 0; i < T; i++) {
    for (let j = cp.predStart[i]!; j < cp.predStart[i + 1]!; j++) {
      const p = cp.predList[j]!;
      rows.push(`s_${i} - s_${p} ${durTerms(p, -1)} >= 0`);
      for (let a = 0; a < N; a++)
        for (let b = 0; b < N; b++) {
          if (a === b) continue;
          const c = outBits[p]! * invRate[a * N + b]!;
          rows.push(`s_${i} - s_${p} ${durTerms(p, -1)} ${X(p, a, -M)} ${X(i, b, -M)} >= ${num(c - 2 * M)}`);
        }
    }
  }
  const binaries: string[] = [];
  for (let i = 0; i < T; i++)
    for (let j = i + 1; j < T; j++) {
      if (reach[i]!.has(j) || reach[j]!.has(i)) continue;
      const o = `o_${i}_${j}`;
      binaries.push(o);
      for (let n = 0; n < N; n++) {
        rows.push(`s_${j} - s_${i} ${durTerms(i, -1)} - ${num(M)} ${o} ${X(i, n, -M)} ${X(j, n, -M)} >= ${num(-3 * M)}`);
        rows.push(`s_${i} - s_${j} ${durTerms(j, -1)} + ${num(M)} ${o} ${X(i, n, -M)} ${X(j, n, -M)} >= ${num(-2 * M)}`);
      }
    }
  for (let n = 0; n < N; n++) {
    for (let i = 0; i < T; i++) {
      const parts = Array.from({ length: L }, (_, l) => term(-(dur[(i * N + n) * L + l]! + H), x(i, n, l))).join(' ');
      rows.push(`F_${n} - s_${i} ${parts} >= ${num(-H)}`);
    }
    // valid inequality: the compute stage lasts at least the UAV's total work (tightens the LP bound)
    const load: string[] = [];
    for (let i = 0; i < T; i++) for (let l = 0; l < L; l++) load.push(term(-dur[(i * N + n) * L + l]!, x(i, n, l)));
    rows.push(`F_${n} ${load.join(' ')} >= 0`);
    const ec: string[] = [];
    for (let i = 0; i < T; i++) for (let l = 0; l < L; l++) ec.push(term(ecost[(i * N + n) * L + l]!, x(i, n, l)));
    const ecNeg = ec.map((s) => (s.startsWith('+') ? `-${s.slice(1)}` : `+${s.slice(1)}`));
    rows.push(`z ${term(-cp.gamma * cp.hover[n]!, `F_${n}`)} ${ecNeg.join(' ')} >= ${num(cp.gamma * cp.fixedMove[n]!)}`);
    rows.push(`${term(cp.hover[n]!, `F_${n}`)} ${ec.join(' ')} <= ${num(cp.budget[n]! - cp.fixedMove[n]!)}`);
  }
  for (let i = 0; i < T; i++) for (let n = 0; n < N; n++) for (let l = 0; l < L; l++) binaries.push(x(i, n, l));
  const bounds = [...Array.from({ length: T }, (_, i) => `0 <= s_${i} <= ${num(H)}`), ...Array.from({ length: N }, (_, n) => `0 <= F_${n} <= ${num(H)}`), 'z free'];
  const lp = ['Minimize', ' obj: z', 'Subject To', ...rows.map((r, k) => ` c${k}: ${r}`), 'Bounds', ...bounds.map((b) => ` ${b}`), 'Binary', ...binaries.map((b) => ` ${b}`), 'End'].join('\n');
  const highs = (await (await import('highs')).default()) as unknown as HighsLike;
  const sol = highs.solve(lp, { time_limit: timeLimitS, mip_rel_gap: 1e-9, mip_abs_gap: 1e-9 });
  const val = (name: string) => sol.Columns[name]?.Primal ?? 0;
  const uav = new Int32Array(T);
  const level = new Int32Array(T);
  const start = new Float64Array(T);
  for (let i = 0; i < T; i++) {
    start[i] = val(`s_${i}`);
    for (let n = 0; n < N; n++)
      for (let l = 0; l < L; l++)
        if (val(x(i, n, l)) > 0.5) {
          uav[i] = n;
          level[i] = l;
        }
  }
  const topoPos = new Int32Array(T);
  cp.topo.forEach((t, k) => (topoPos[t] = k));
  const byStart = Array.from({ length: T }, (_, i) => i).sort((a, b) => start[a]! - start[b]! || topoPos[a]! - topoPos[b]!);
  const assignment = { order: repairOrder(cp, byStart), uav, level };
  return { status: sol.Status, objective: sol.ObjectiveValue, assignment };
}

/** Convenience: decoded fitness of an assignment (objective + budget penalty). */
export function fitnessOf(cp: CompiledProblem, a: Assignment): number {
  return new Decoder(cp).run(a.order, a.uav, a.level);
}
