/**
 * S2's utilities and system revenue for one slot (SPEC §5.4):
 *   U_K = Σ_k (f_k p_k − β_k (E_k + E_fly,k)),   U_J = Σ_j (f_j p_j − β_j E_j),
 *   U_I = Σ_i (u_i f_i − β_i (E_loc + E_off + E_off,ij)) + Σ_j (u_ji f_j − f_j p_j) + Σ_k (u_ki f_k − p_k f_k),
 *   Q = ω1 U_K + ω2 U_J + ω3 U_I,
 * with the env's [choice]s: f in GHz and prices per GHz, energies in J; a UAV / idle UD sells (and
 * the busy side earns u·f on) its f only in a slot it received work; β from `s2Betas`. Pure: the
 * env feeds it what it computed, the controller what the agents and devices reported.
 */
import { GHZ, s2Betas, type S2Model } from './model.ts';

export interface S2SlotEnergies {
  /** ε1, ε2 of the slot (for β_k, β_j). */
  e1: number; e2: number;
  fiHz: number; fjHz: number; fkHz: number; pk: number; pj: number;
  /** Per UAV: whether it received work, its computing energy (transcoding + processing, E_k), its flight energy (E_fly,k), J. */
  uavServes: readonly boolean[]; uavComputeJ: readonly number[]; uavFlightJ: readonly number[];
  /** Per idle UD: whether it received work, its computing energy E_j, J. */
  idleServes: readonly boolean[]; idleComputeJ: readonly number[];
  /** Σ over busy UDs of E_loc + E_off + E_off,ij, J. */
  busyEnergyJ: number;
}

export interface S2Revenue { Q: number; UK: number; UJ: number; UI: number }

export function s2Revenue(m: Pick<S2Model, 'busy' | 'fiMaxHz' | 'fjMaxHz' | 'fkMaxHz' | 'omega'>, s: S2SlotEnergies): S2Revenue {
  const { bI, bK, bJ } = s2Betas(s.e1, s.e2);
  const [fiG, fjG, fkG] = [s.fiHz / GHZ, s.fjHz / GHZ, s.fkHz / GHZ];
  const ui = m.fiMaxHz / ((m.fiMaxHz + m.fkMaxHz + m.fjMaxHz) / 3), uki = m.fkMaxHz / m.fiMaxHz, uji = m.fjMaxHz / m.fiMaxHz;
  let UK = 0, UJ = 0, UI = m.busy * ui * fiG - bI * s.busyEnergyJ;
  s.uavServes.forEach((serves, k) => {
    const sold = serves ? fkG : 0;
    UK += sold * s.pk - bK * (s.uavComputeJ[k]! + s.uavFlightJ[k]!);
    UI += uki * sold - s.pk * sold;
  });
  s.idleServes.forEach((serves, j) => {
    const sold = serves ? fjG : 0;
    UJ += sold * s.pj - bJ * s.idleComputeJ[j]!;
    UI += uji * sold - s.pj * sold;
  });
  return { Q: m.omega[0] * UK + m.omega[1] * UJ + m.omega[2] * UI, UK, UJ, UI };
}
