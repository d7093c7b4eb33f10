/**
 * F3 of S0 (SPEC §5.2, S0 Eq. 16): a coalition g serving MED i chooses task shares s_j and
 * bandwidths b_j to maximise U_g = φ·ln(1 + Σ s_j / unit) − ε·E_tr,g,  E_tr,g = Σ_j p_i s_j / C_ij.
 *
 * Bandwidth [choice]: U_g is not jointly concave in (s, b) — the term s_j / (b_j e_ij) has an
 * indefinite Hessian — so b is fixed first and F3 is then exactly concave in s. Transmission
 * energy falls in every b_j, so each member takes b_j,max when the coalition fits in B_max (C1,
 * C2); otherwise B_max is split in proportion to b_j,max. Coalitions of up to 3 S0 UAVs
 * (b_max ≤ 5 MHz, B_max = 16 MHz) always get b_j,max, matching S0's "C_ij at b_j,max".
 *
 * With b fixed, C_ij = b_j e_ij and each bit sent to j costs k_j = p_i / C_ij joules. Caps on s_j:
 * C3 cache c_j,max; C8 s_j ≤ τ / (1/C_ij + ϑ/f_j,max) (deadline met at full CPU, S0 Eq. 14);
 * C9 s_j ≤ τ C_ij (S0 Eq. 15, implied by C8 but kept); C4 Σ s_j ≤ s_i.
 *
 * Water-fill (exact): the objective is φ ln(1 + S/u) − ε Σ k_j s_j with box constraints and one
 * sum constraint. KKT: at the optimum, φ/(u + S) = ε k_j for a partially filled j; every j with
 * ε k_j < φ/(u + S) is at its cap, and none with ε k_j > φ/(u + S) is used. Filling the cheapest
 * first up to S = φ/(ε k_j) − u (or the cap, or s_i) satisfies these conditions.
 *
 * Each member then uses the least compute meeting the deadline (S0 Eq. 13):
 * f_j* = min(f_j,max, ϑ s_j / (τ − s_j / C_ij)).
 */
import { cpuEnergyJ } from '../../../core/models/compute.ts';
import type { CoalitionEval, CoalitionMed, CoalitionParams, CoalitionUav } from './types.ts';

/** Per-(MED, UAV) spectral efficiency log2(1 + |g|² p_i / σ²), |g|² = d^(−γ) · fading (SPEC §3 S0). */
export type EfficiencyRow = ArrayLike<number>;

export interface F3Input {
  med: CoalitionMed;
  uavs: readonly CoalitionUav[];
  /** Spectral efficiency e_ij of the MED to each UAV (index-aligned with `uavs`). */
  eff: EfficiencyRow;
  params: CoalitionParams;
}

/** Bandwidth rule above: b_j,max, scaled down proportionally when Σ b_j,max > B_max. */
export function coalitionBandwidths(members: readonly number[], uavs: readonly CoalitionUav[], budgetHz: number): number[] {
  const total = members.reduce((s, j) => s + uavs[j]!.bandwidthHz, 0);
  const scale = total > budgetHz ? budgetHz / total : 1;
  return members.map((j) => uavs[j]!.bandwidthHz * scale);
}

/** Upper bound on s_j from C3, C8, C9 at capacity C (bits/s). */
export function shareCap(med: CoalitionMed, uav: CoalitionUav, capacityBps: number): number {
  if (!(capacityBps > 0)) return 0;
  const c8 = med.deadlineS / (1 / capacityBps + med.cyclesPerBit / uav.cpuHz);
  const c9 = med.deadlineS * capacityBps;
  return Math.max(0, Math.min(uav.cacheBits, c8, c9));
}

/**
 * Exact water-fill for max φ ln(1 + S/u) − ε Σ k_j s_j, 0 ≤ s_j ≤ cap_j, Σ s_j ≤ total.
 * Returns s (index-aligned with the inputs).
 */
export function waterFill(costPerBit: readonly number[], caps: readonly number[], total: number, phi: number, epsilon: number, unit: number): number[] {
  const order = costPerBit.map((_, j) => j).sort((a, b) => costPerBit[a]! - costPerBit[b]! || a - b);
  const s = costPerBit.map(() => 0);
  let S = 0;
  for (const j of order) {
    const room = total - S;
    if (room <= 0) break;
    const marginal = epsilon * costPerBit[j]!;
    const target = marginal > 0 ? phi / marginal - unit : Infinity; // S where φ/(u + S) = ε k_j
    if (target <= S) break;
    const x = Math.min(caps[j]!, room, target - S);
    if (x > 0) {
      s[j] = x;
      S += x;
    }
  }
  return s;
}

/** Solves F3 for `members` and computes S0's payoffs (Eq. 8, 10, 13) and energies (Eq. 4–7). */
export function evaluateCoalition(input: F3Input, members: readonly number[]): CoalitionEval {
  const { med, uavs, eff, params } = input;
  const sorted = [...members].sort((a, b) => a - b);
  const b = coalitionBandwidths(sorted, uavs, params.coalitionBandwidthHz);
  const cap = sorted.map((j, m) => b[m]! * eff[j]!);
  const k = cap.map((c) => (c > 0 ? med.txPowerW / c : Infinity));
  const caps = sorted.map((j, m) => shareCap(med, uavs[j]!, cap[m]!));
  const s = waterFill(k, caps, med.taskBits, params.phi, params.epsilon, params.revenueUnitBits);
  return settle(input, sorted, b, s);
}

/**
 * Payoffs for given shares s and bandwidths b of sorted `members`: f_j* (S0 Eq. 13), T_g, U_g
 * (Eq. 8), u_j (Eq. 10) and the energies (Eq. 4–6). Shared by F3 and the Nash baseline.
 */
export function settle(input: F3Input, sorted: readonly number[], b: readonly number[], s: readonly number[]): CoalitionEval {
  const { med, uavs, eff, params } = input;
  const S = s.reduce((a, x) => a + x, 0);
  let eTr = 0;
  let delay = 0;
  const f: number[] = [];
  const eCp: number[] = [];
  sorted.forEach((j, m) => {
    const sj = s[m]!;
    if (sj <= 0) {
      f.push(0);
      eCp.push(0);
      return;
    }
    const c = b[m]! * eff[j]!;
    const tTr = sj / c;
    eTr += med.txPowerW * tTr;
    const cycles = sj * med.cyclesPerBit;
    const slack = med.deadlineS - tTr;
    const fj = slack > 0 ? Math.min(uavs[j]!.cpuHz, cycles / slack) : uavs[j]!.cpuHz;
    f.push(fj);
    eCp.push(cpuEnergyJ(uavs[j]!.kappa, fj, cycles));
    delay = Math.max(delay, tTr + cycles / fj);
  });
  const U = S > 0 ? params.phi * Math.log(1 + S / params.revenueUnitBits) - params.epsilon * eTr : 0;
  // [choice] every member hovers for T_g, including one left without work by the water-fill:
  // its utility is then −β p_h T_g < 0, so the split rule removes it.
  const eH = sorted.map((j) => uavs[j]!.hoverW * delay);
  const u = sorted.map((_, m) => (S > 0 ? (U * s[m]!) / S : 0) - params.alpha * eCp[m]! - params.beta * eH[m]!);
  return {
    members: [...sorted],
    utility: U,
    shareBits: [...s],
    bandwidthHz: [...b],
    cpuHz: f,
    participantUtility: u,
    delayS: delay,
    energyTrJ: eTr,
    energyCpJ: eCp.reduce((a, x) => a + x, 0),
    energyHoverJ: eH.reduce((a, x) => a + x, 0),
  };
}
