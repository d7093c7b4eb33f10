/**
 * Inputs and outputs of the S3 offloading planner (SPEC §5.1). Plain data, SI units.
 */
import type { S3ChannelParams } from '../../../core/models/channel.ts';

/** One ground user with one indivisible task this slot (SPEC §5.1, S3 §III-D). */
export interface OffloadUser {
  id: string;
  /** Position (m); z is usually 0 (ground). */
  pos: [number, number, number];
  /** Task size D_i (bits). */
  dataBits: number;
  /** Complexity C_i (cycles/bit). */
  cyclesPerBit: number;
  /** Local CPU f_i^loc (Hz). */
  fLocalHz: number;
  /** Uplink transmit power P_i (W). */
  txPowerW: number;
  /** Optional deadline (s). Not a constraint of S3's DOR problem; reported per user as `meetsDeadline`. */
  deadlineS?: number;
}

/** One UAV edge server (SPEC §1, S3 §III). */
export interface OffloadUav {
  id: string;
  /** Position (m); z is the altitude H_k above the ground plane. */
  pos: [number, number, number];
  /** G2A bandwidth pool B_max of this UAV (Hz), shared by the users whose access UAV it is. */
  bandwidthHz: number;
  /** CPU F_k (Hz), shared by the tasks it executes. */
  cpuHz: number;
  /** A2A transmit power P_u (W), used when it relays a task to another UAV. */
  txPowerW: number;
}

/**
 * Channel parameters: SPEC §3 S3 G2A + A2A, plus the A2A bandwidth pool. [choice] S3 Eq. (16)
 * bounds the *total* A2A bandwidth of all relay links, so `a2aBandwidthHz` is one global pool shared
 * by every relayed task; 0 disables relaying.
 */
export interface ChannelParams extends S3ChannelParams {
  /** Total A2A bandwidth (Hz) shared by all UAV→UAV relay transfers. */
  a2aBandwidthHz: number;
}

export interface OffloadInstance {
  users: OffloadUser[];
  uavs: OffloadUav[];
  params: ChannelParams;
}

export type OffloadAlgo = 'cd-kkt' | 'ao' | 'al';

/** A user's offloading decision, with its KKT allocation when offloaded. */
export type Decision =
  | { mode: 'local' }
  | {
      mode: 'edge';
      /** Covering UAV that receives the data over G2A. */
      accessUav: string;
      /** UAV that computes (== accessUav unless relayed over A2A). */
      execUav: string;
      /** G2A bandwidth from the access UAV's pool (Hz). */
      bandwidthHz: number;
      /** CPU share on the executing UAV (Hz). */
      cpuHz: number;
      /** A2A bandwidth of the relay transfer (Hz); 0 when not relayed. */
      relayBandwidthHz: number;
    };

/** A decision without its allocation — what coordinate descent chooses. */
export type Choice = { mode: 'local' } | { mode: 'edge'; accessUav: string; execUav: string };

export interface UserOutcome {
  /** Local delay T_i^loc (s). */
  tLocalS: number;
  /** Delay under the plan T_i (s); equals tLocalS when local. */
  tS: number;
  uplinkS: number;
  relayS: number;
  computeS: number;
  /** `tS ≤ deadlineS` when the user has a deadline. */
  meetsDeadline?: boolean;
}

export interface OffloadPlan {
  algo: OffloadAlgo;
  /** Index-aligned with `inst.users`. */
  decisions: Decision[];
  perUser: UserOutcome[];
  /** Delay optimisation ratio Σ_i (1 − T_i / T_i^loc) (SPEC §5.1). */
  dor: number;
  /** Coordinate-descent sweeps run (0 for AO/AL). */
  sweeps: number;
}
