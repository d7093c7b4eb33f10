/**
 * Inputs and outputs of the S0 TU coalition game (SPEC §5.2). SI units; task sizes in bits.
 */

/** A MED's task-assignment request this slot (SPEC §2 DT_MED). */
export interface CoalitionMed {
  id: string;
  pos: [number, number, number];
  /** Task size s_i (bits). */
  taskBits: number;
  /** Complexity ϑ_i (cycles/bit). */
  cyclesPerBit: number;
  /** Transmit power p_i (W). */
  txPowerW: number;
  /** Deadline τ_i (s), τ_i ≤ slot length. */
  deadlineS: number;
}

/** A UAV's available resources (SPEC §2 DT_UAV). */
export interface CoalitionUav {
  id: string;
  pos: [number, number, number];
  /** b_j,max (Hz). */
  bandwidthHz: number;
  /** f_j,max (Hz). */
  cpuHz: number;
  /** c_j,max (bits). */
  cacheBits: number;
  /** Hover power p_h (W). */
  hoverW: number;
  /** κ_j (W/(cycle/s)³). */
  kappa: number;
}

/**
 * Game weights and radio constants. S0 gives no values for φ, ε, α, β; the defaults
 * (`defaultCoalitionParams`) are [choice]s that put revenue and the three energy costs on
 * comparable scales for the S0 setting.
 */
export interface CoalitionParams {
  /** Satisfaction factor φ. */
  phi: number;
  /** Weight ε of the MED's transmission energy in U_g (1/J). */
  epsilon: number;
  /** Weight α of a participant's computing energy (1/J). */
  alpha: number;
  /** Weight β of a participant's hovering energy (1/J). */
  beta: number;
  /** Unit of the task amount inside ln(1 + Σ s / unit) (bits); [choice] 1 Mbit. */
  revenueUnitBits: number;
  /** Coalition bandwidth budget B_max (Hz) (C2). */
  coalitionBandwidthHz: number;
  /** M2U noise power σ² (W). */
  noiseW: number;
  /** M2U path-loss exponent γ. */
  pathLossExp: number;
}

export interface CoalitionInstance {
  meds: CoalitionMed[];
  uavs: CoalitionUav[];
  params: CoalitionParams;
  /**
   * Optional Rayleigh power-fading samples |h|² multipliers, [med][uav] (SPEC §3 S0); drawn by the
   * caller from its Rng so the planner stays deterministic. Omitted → mean channel.
   */
  fading?: number[][];
}

/** F3 solution and payoffs for one coalition serving one MED. */
export interface CoalitionEval {
  /** Member UAV indices (sorted). */
  members: number[];
  /** Coalition utility U_g (S0 Eq. 8). */
  utility: number;
  /** Per member: task share s_j (bits), bandwidth b_j (Hz), compute f_j* (Hz), utility u_j. */
  shareBits: number[];
  bandwidthHz: number[];
  cpuHz: number[];
  participantUtility: number[];
  /** Coalition delay T_g (s). */
  delayS: number;
  /** E_tr (MED), Σ E_cp, Σ E_h over members with work (J). */
  energyTrJ: number;
  energyCpJ: number;
  energyHoverJ: number;
}
