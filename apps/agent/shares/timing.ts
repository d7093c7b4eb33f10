/**
 * How long an S0 share's upload takes on the real channel (SPEC §3 S0, M2U): the MED sends s_j bits
 * at C_ij = b_j · log2(1 + |g_ij|² p_i / σ²), |g_ij|² = d_ij^(−γ) · |h|², with d_ij the distance from
 * the MED to where this UAV actually is and |h|² the slot's block fading the plan carries.
 * Transmission energy on the MED's side: p_i · t_tr (S0 Eq. 5). Pure.
 */
import { distance3, m2uGain, shannonRate } from '../../../core/models/channel.ts';

type P3 = readonly [number, number, number];

export interface ShareLink {
  bits: number;
  medPos: P3;
  uavPos: P3;
  bandwidthHz: number;
  txPowerW: number;
  /** |h|²; 0 = unknown → the mean channel (1). */
  fadingGain: number;
  noiseW: number;
  pathLossExp: number;
}

export function shareUpload(l: ShareLink): { rateBps: number; uplinkS: number; txEnergyJ: number } {
  const gain = m2uGain(distance3(l.medPos, l.uavPos), l.pathLossExp) * (l.fadingGain > 0 ? l.fadingGain : 1);
  const rateBps = shannonRate(l.bandwidthHz, (gain * l.txPowerW) / l.noiseW);
  const uplinkS = rateBps > 0 ? l.bits / rateBps : Infinity;
  return { rateBps, uplinkS, txEnergyJ: l.txPowerW * uplinkS };
}
