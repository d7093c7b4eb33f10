/**
 * The S0 slot planner's inputs and outputs (SPEC §2 digital twin, §5.2 coalition game): the HAP's
 * twin of the MEDs (their task-assignment requests) and of the UAVs (position, resources, and the
 * compute correction learnt from measured shares). SI units; ids are the system's (1-based).
 */
import type { CoalitionAlgo, CoalitionParams, CoalitionPlan } from '../../../engines/planning/coalition/index.ts';
import type { PlanBody } from '../slot/index.ts';

export type Vec3 = [number, number, number];

/** DT_MED_i (SPEC §2): one MED's request this slot, with the fading it measured (SPEC §3 S0). */
export interface S0MedRequest {
  taskId: number;
  userId: number;
  pos: Vec3;
  /** s_i, bits. */
  taskBits: number;
  /** ϑ_i, cycles per bit. */
  cyclesPerBit: number;
  /** p_i, W. */
  txPowerW: number;
  /** τ_i, s (from the plan's valid_from). */
  deadlineS: number;
  releaseUs: number;
  /** The MED's own CPU (for T_i^loc in the completion), Hz. */
  localCpuHz: number;
  /** |h_ij|² per UAV id this slot; a UAV without an entry is planned on the mean channel (1). */
  fading: ReadonlyMap<number, number>;
}

/** DT_UAV_j (SPEC §2) as the planner uses it. */
export interface S0UavState {
  id: number;
  /** Where the twin says it is (mission frame). */
  pos: Vec3;
  /** Where it hovers this slot (its station). */
  hover: Vec3;
  /** b_j,max, Hz. */
  bandwidthHz: number;
  /** The compute the UAV advertises, f_j,max, Hz. */
  cpuHz: number;
  /** c_j,max, bits. */
  cacheBits: number;
  /** p_h, W. */
  hoverW: number;
  /** κ_j, W/(cycle/s)³. */
  kappa: number;
  /**
   * ρ_j: measured ÷ predicted compute time (fidelity.ts); the planner counts on f_j,max / ρ_j
   * (S0 §VI-C: the real compute f̃_j differs from the twin's f_j) and asks for f*·ρ_j so that
   * f* is what the UAV delivers. 1 = no correction.
   */
  computeRatio: number;
}

export interface S0SlotInput {
  slot: number;
  nowUs: number;
  slotS: number;
  /** Plans stay valid this many slots. */
  validSlots: number;
  planner: CoalitionAlgo;
  /** UAVs that can serve this slot (airborne, linked), ascending ids. */
  uavs: readonly S0UavState[];
  /** UAVs that get a plan but cannot serve: hover at `hover`, energy-saving. */
  idle: readonly { id: number; hover: Vec3 }[];
  meds: readonly S0MedRequest[];
  params: CoalitionParams;
  /** Warm start per task id: groups of UAV ids (the generative model's proposal). */
  warmStarts?: ReadonlyMap<number, readonly (readonly number[])[]>;
  /** Cruise speed of the GOTO to the station, m/s. */
  speedMS: number;
}

/** What the plan expects of one share: the twin's prediction that the measurement is scored against. */
export interface S0ShareForecast {
  taskId: number;
  userId: number;
  uavId: number;
  shareBits: number;
  cycles: number;
  /** CPU frequency the plan asks for (f*·ρ, capped at f_max), Hz. */
  nominalCpuHz: number;
  /** f_j*: the rate the twin expects the UAV to deliver, Hz. */
  expectedCpuHz: number;
  /** f_j,max as advertised, Hz. */
  maxCpuHz: number;
  uplinkS: number;
  computeS: number;
  /** T_g of its coalition. */
  delayS: number;
  deadlineS: number;
  participantUtility: number;
  hoverW: number;
  kappa: number;
  txPowerW: number;
}

export interface S0SlotOutput {
  plans: Map<number, PlanBody>;
  /** The engine's plan (in the engine's ids: task ids and UAV ids as strings). */
  coalition: CoalitionPlan;
  shares: S0ShareForecast[];
}
