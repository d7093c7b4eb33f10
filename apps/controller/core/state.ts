/**
 * The planning core's state and configuration (see index.ts). Plain data plus the pure
 * bookkeeping objects (metrics ledger, pool round tracker); no bus, no clock, no I/O.
 */
import type { ChannelParams, OffloadAlgo } from '../../../engines/planning/offload/index.ts';
import type { ConsumedMessage, ControlEvent, TaskRequest } from '../../../proto/index.ts';
import { MetricsLedger } from '../metrics.ts';
import { PoolController, type PoolConfig } from '../pool.ts';
import { S0Controller, type S0ControllerConfig } from '../s0/index.ts';
import type { Point2, SlotTask } from '../slot/index.ts';
import type { TrajectoryConfig, Vec3 } from '../trajectory.ts';
import { TwinStore, type Twin } from '../twin/index.ts';

/** What the core plans with: the planning fields of `ControllerConfig` (../service/config.ts). */
export interface CoreConfig {
  slots: number;
  slotS: number;
  algo: OffloadAlgo;
  channel: ChannelParams;
  cruiseAltM: number;
  speedMS: number;
  uavTxPowerW: number;
  seed: number;
  /** Longest wait for the fleet to take off before slot 0, clock seconds (default 60): the launch plans' validity. */
  launchTimeoutS?: number;
  /** Dependent tasks (SPEC §5.3): computing-power-pool rounds instead of per-slot offloading. */
  pool?: PoolConfig;
  /** Where trajectories come from (trajectory.ts): the cluster planner (default) or the onboard policy. */
  trajectory?: TrajectoryConfig;
  /** How many slots a slot plan stays valid (default 2). Longer rides out a broker's stall. */
  planValiditySlots?: number;
  /** S0 (SPEC §5.2, s0/): coalitions of UAVs for the MEDs' requests instead of offloading. */
  s0?: { controller: S0ControllerConfig };
}

export interface CoreState {
  readonly cfg: CoreConfig;
  /** The live twin (O(1) per report, twin/store.ts). */
  readonly fleet: TwinStore;
  /** The twin now, immutable (a cached snapshot of `fleet`): what planning and the recorder read. */
  readonly twin: Twin;
  readonly ledger: MetricsLedger;
  readonly pool: PoolController | undefined;
  readonly s0: S0Controller | undefined;
  /** Header seq of the last twin state applied, per UAV (S0's planning inputs name them). */
  readonly twinSeq: Map<number, number>;
  /** Task requests of the current slot not yet planned, in arrival order (a later copy updates in place). */
  pending: Map<number, SlotTask>;
  /**
   * Task requests released at or after `nextSlotUs` that came while the core was still in the
   * slot before (a standby behind the leader's record): filed when the core enters the next slot.
   */
  readonly early: Map<number, TaskRequest>;
  /** Offloaded tasks' predictions, for the twin's fidelity when they complete. */
  readonly predicted: Map<number, { uavId: number; predictedS: number; computeS: number }>;
  prevTargets: Map<number, Point2>;
  /** Current slot (−1 before slot 0). */
  slot: number;
  slotStartUs: number;
  /**
   * When the current slot ends, µs: its start + slotS — for a standby the leader's start of the
   * slot (LeaderRecord), not when the follow arrived; Infinity if a standby does not know it.
   * Task requests are filed by release time against it (consume.ts).
   */
  nextSlotUs: number;
  /** Whether the current slot's plan has been made (later task requests miss it). */
  planned: boolean;
  /** Every slot's hover targets and the UAV positions planned with, for reports. */
  readonly targetsBySlot: Map<number, Point2>[];
  readonly positionsBySlot: Map<number, Vec3>[];
  /** Messages consumed since the last planning step (they go into its PlanningInputs), and how many before the slot began. */
  consumed: ConsumedMessage[];
  consumedBeforeStart: number;
  /** Follow and release events since the last planning step, placed among `consumed` (PlanningInputs.controls). */
  controls: ControlEvent[];
}

export function createCore(cfg: CoreConfig): CoreState {
  return {
    cfg,
    fleet: new TwinStore(),
    get twin() {
      return this.fleet.snapshot();
    },
    ledger: new MetricsLedger(),
    pool: cfg.pool ? new PoolController(cfg.pool) : undefined,
    s0: cfg.s0 ? new S0Controller(cfg.s0.controller) : undefined,
    twinSeq: new Map(),
    pending: new Map(),
    early: new Map(),
    predicted: new Map(),
    prevTargets: new Map(),
    slot: -1,
    slotStartUs: 0,
    nextSlotUs: 0,
    planned: false,
    targetsBySlot: [],
    positionsBySlot: [],
    consumed: [],
    consumedBeforeStart: 0,
    controls: [],
  };
}

/** The slot's length, whole µs. */
export const slotUs = (st: CoreState): number => Math.round(st.cfg.slotS * 1e6);
