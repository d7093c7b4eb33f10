/** What the controller service is configured with, and the hooks it calls per slot and pool round. */
import type { KeyObject } from 'node:crypto';
import type { Bus } from '../../common/bus.ts';
import type { SlotMetrics } from '../metrics.ts';
import type { PoolRoundMetrics } from '../slot/index.ts';
import type { CoreConfig } from '../core/index.ts';
import type { S0ControllerConfig, WarmStartModel } from '../s0/index.ts';
import type { Leadership } from '../leader/index.ts';
import type { S2Driver } from '../s2/index.ts';
import type { ShardLink } from '../shard/index.ts';

export interface ControllerConfig extends CoreConfig {
  /** Fraction of a slot spent collecting task requests before planning (default 0.25). */
  collectFraction?: number;
  /** Start once this many UAVs have reported a position (default: start at once). */
  waitForUavs?: number;
  /** Give up waiting for UAVs after this many clock seconds (default 60). */
  readyTimeoutS?: number;
  /** Fleet-state relay rate, Hz of clock time (default 5): the agents' separation data. */
  fleetRateHz?: number;
  /** Slots to wait after the last one for late completions (default 1). */
  drainSlots?: number;
  /**
   * Ed25519 private key (issue 9 §2): when set, every plan (launch, slot, mission end) is published
   * signed (`signedPlanBytes`) for agents that pin the public half. Without it plans go unsigned.
   */
  planSigningKey?: KeyObject;
  /**
   * A second connection for the heartbeat (FleetState, QoS 0) alone. On NATS a QoS 1 publish is
   * stored in JetStream inside the connection's read loop, which blocks for seconds while a dead
   * node's streams elect new leaders; QoS 0 sent behind it on the same connection waits too, and
   * the agents would count the wait as controller silence (deploy/cluster/README.md).
   */
  heartbeatBus?: Bus;
  /**
   * S0 (SPEC §5.2, apps/controller/s0): the HAP plans coalitions of UAVs for the MEDs' requests
   * instead of offloading, optionally warm-started by the generative model; `hold` keeps a virtual
   * clock still while the model runs (onnxruntime is asynchronous). The warm start runs here in
   * the shell; the core plans with its proposal.
   */
  s0?: { controller: S0ControllerConfig; warmStart?: WarmStartModel; hold?: <T>(p: Promise<T>) => Promise<T> };
  /**
   * Leader election (issue 19 §1, leader/): with it the controller keeps a warm twin as a standby
   * and plans only while it holds the lease; every plan carries its epoch; a new leader resumes
   * the mission at the slot the lease record says. Without it the controller always leads (epoch 0).
   */
  leadership?: Leadership;
  /**
   * S2 video streaming (SPEC §5.4): the S2 driver plans every slot (TD3 actor → UAV and device
   * plans) and keeps its own books; the task requests are its segments, not CD+KKT tasks, so
   * tasks and completions do not go to the core.
   */
  video?: S2Driver;
  /**
   * Sharded controllers (issue 19 §3, shard/): this controller plans one region — the UAVs over it
   * and its users' task requests — hands UAVs that cross out to the next shard and adopts those
   * handed to it. Shard 1 keeps the slot clock and publishes the merged FleetState; the others
   * start their slots on its clock.
   */
  shard?: ShardLink;
}

export interface ControllerEvents {
  onSlot?: (m: SlotMetrics, slot: number) => void;
  onPoolRound?: (m: PoolRoundMetrics) => void;
}
