/**
 * S0's baselines (SPEC §5.2): the grand coalition and the non-cooperative Nash equilibrium.
 */
import { coalitionBandwidths, settle, shareCap, type F3Input, evaluateCoalition } from './f3.ts';
import type { CoalitionEval } from './types.ts';

/** Grand coalition: every candidate UAV in one coalition, F3 solved over all of them. */
export function grandCoalition(input: F3Input, candidates: readonly number[]): CoalitionEval {
  return evaluateCoalition(input, candidates);
}

export interface NashResult {
  eval: CoalitionEval;
  rounds: number;
  converged: boolean;
}

/**
 * Non-cooperative baseline: each UAV j picks its own share s_j ∈ [0, min(cap_j, s_i − Σ_{k≠j} s_k)]
 * to maximise its own u_j (S0 Eq. 10, revenue U·s_j/Σs with U over all active UAVs), the others'
 * shares fixed; rounds of best responses in index order until no share moves by more than
 * `tolBits` or `maxRounds` (iteration bound) is reached. No coalition-level optimisation: the
 * bandwidth rule of F3 applies over the active UAVs. Best response: a 48-point grid over the
 * interval refined by golden-section search around the best grid point (u_j is not concave in
 * s_j in general because of T_g's max).
 */
export function nashEquilibrium(input: F3Input, candidates: readonly number[], maxRounds = 200, tolBits = 1): NashResult {
  const { med, uavs, eff, params } = input;
  const sorted = [...candidates].sort((a, b) => a - b);
  const s = sorted.map(() => 0);
  const payoffOf = (m: number, x: number): number => {
    const trial = [...s];
    trial[m] = x;
    const active = sorted.filter((_, q) => trial[q]! > 0 || q === m);
    const bAct = coalitionBandwidths(active, uavs, params.coalitionBandwidthHz);
    const b = sorted.map((j) => {
      const q = active.indexOf(j);
      return q >= 0 ? bAct[q]! : 0;
    });
    return settle(input, sorted, b, trial).participantUtility[m]!;
  };
  let rounds = 0;
  let converged = false;
  while (rounds < maxRounds) {
    rounds++;
    let moved = 0;
    sorted.forEach((j, m) => {
      const others = s.reduce((a, x, q) => (q === m ? a : a + x), 0);
      const activeWithJ = sorted.filter((_, q) => s[q]! > 0 || q === m);
      const bj = coalitionBandwidths(activeWithJ, uavs, params.coalitionBandwidthHz)[activeWithJ.indexOf(j)]!;
      const hi = Math.max(0, Math.min(shareCap(med, uavs[j]!, bj * eff[j]!), med.taskBits - others));
      let best = 0;
      let bestU = payoffOf(m, 0);
      const N = 48;
      for (let g = 1; g <= N; g++) {
        const x = (hi * g) / N;
        const v = payoffOf(m, x);
        if (v > bestU) {
          best = x;
          bestU = v;
        }
      }
      if (best > 0) {
        let lo = Math.max(0, best - hi / N);
        let up = Math.min(hi, best + hi / N);
        const phi = (Math.sqrt(5) - 1) / 2;
        for (let it = 0; it < 40; it++) {
          const x1 = up - phi * (up - lo);
          const x2 = lo + phi * (up - lo);
          if (payoffOf(m, x1) >= payoffOf(m, x2)) up = x2;
          else lo = x1;
        }
        const x = (lo + up) / 2;
        const v = payoffOf(m, x);
        if (v > bestU) {
          best = x;
          bestU = v;
        }
      }
      moved = Math.max(moved, Math.abs(best - s[m]!));
      s[m] = best;
    });
    if (moved <= tolBits) {
      converged = true;
      break;
    }
  }
  const active = sorted.filter((_, q) => s[q]! > 0);
  const bAct = coalitionBandwidths(active, uavs, params.coalitionBandwidthHz);
  const b = sorted.map((j) => {
    const q = active.indexOf(j);
    return q >= 0 ? bAct[q]! : 0;
  });
  return { eval: settle(input, sorted, b, s), rounds, converged };
}
