/**
 * The S0 twin's fidelity of each UAV's compute and its correction (SPEC §2; S0 §VI-C, Eq. 18–19).
 *
 * The twin plans a share with the compute it believes UAV j delivers, f_j (advertised f_j,max
 * corrected by ρ_j), and predicts the compute time ϑ s_j / f_j. The UAV reports the time it
 * measured, T̃_cp = ϑ s_j / f̃_j (Eq. 18), so f̃_j = cycles / T̃_cp. Per share the twin scores
 *     F_f = 1 − |Δf / f̃|,   Δf = f_j − f̃_j                                  (S0 §VI-C)
 * and corrects: ρ_j estimates how much slower than asked the UAV computes, ρ = f_asked / f̃ (the
 * CPU frequency the plan asked for over the rate delivered). The first measurement replaces the
 * prior ρ = 1; later ones enter an EWMA with weight `RATIO_ALPHA` [choice: 0.5 — S0's compute
 * drifts slowly, and the next slot should already plan with the correction]. Bounds keep one
 * outlier from starving or flooding a UAV. Pure: functions take a state and return a new one.
 */

export interface ComputeFidelity {
  /** Shares measured. */
  samples: number;
  /** ρ_j (see above); 1 before any sample. */
  ratio: number;
  /** F_f of the last share scored; 1 before any sample. */
  lastFidelity: number;
}

export const RATIO_ALPHA = 0.5;
export const RATIO_BOUNDS = [0.25, 4] as const;

export function emptyFidelity(): ComputeFidelity {
  return { samples: 0, ratio: 1, lastFidelity: 1 };
}

/** SPEC §2 fidelity of an estimate against its measured value, in [0, 1]. */
export function fidelityOf(estimate: number, measured: number): number {
  if (!(measured > 0)) return estimate === measured ? 1 : 0;
  return Math.max(0, 1 - Math.abs((estimate - measured) / measured));
}

export interface ShareMeasurement {
  cycles: number;
  /** CPU frequency the plan asked for, Hz. */
  askedCpuHz: number;
  /** The rate the twin expected the UAV to deliver, Hz. */
  expectedCpuHz: number;
  /** Compute time the UAV measured, s. */
  measuredComputeS: number;
}

/** Scores one measured share and returns the corrected state and the share's fidelity F_f. */
export function recordShare(f: ComputeFidelity, m: ShareMeasurement): { next: ComputeFidelity; fidelity: number } {
  if (!(m.cycles > 0 && m.measuredComputeS > 0 && m.askedCpuHz > 0)) return { next: f, fidelity: f.lastFidelity };
  const delivered = m.cycles / m.measuredComputeS;
  const fidelity = fidelityOf(m.expectedCpuHz, delivered);
  const sample = m.askedCpuHz / delivered;
  const raw = f.samples === 0 ? sample : (1 - RATIO_ALPHA) * f.ratio + RATIO_ALPHA * sample;
  const ratio = Math.min(RATIO_BOUNDS[1], Math.max(RATIO_BOUNDS[0], raw));
  return { next: { samples: f.samples + 1, ratio, lastFidelity: fidelity }, fidelity };
}
