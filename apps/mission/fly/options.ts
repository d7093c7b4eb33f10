/** What a mission is run with (../run.ts): options, the broker it got, and what `onReady` is given. */
import type { Clock } from '../../../core/clock.ts';
import type { Scenario } from '../../../sim/world/index.ts';
import type { OffloadAlgo } from '../../../engines/planning/offload/index.ts';
import type { SlotMetrics } from '../../controller/metrics.ts';
import type { PoolRoundMetrics } from '../../controller/slot/index.ts';
import type { AclDenials } from '../../security/index.ts';
import type { BrokerCredentials, MissionSecurityOptions } from '../secure.ts';
import type { PolicyMissionSetup } from '../policy.ts';
import type { SlotTiming } from '../timing.ts';
import type { S2MissionSetup } from '../s2.ts';
import type { S0MissionSetup } from '../s0.ts';

export interface MissionOptions {
  scenario: Scenario;
  /** Simulated seconds per wall second (scaled clock only; default 10). */
  speed?: number;
  flavour: 'ardupilot' | 'px4';
  algo: OffloadAlgo;
  /** Use this broker instead of starting the embedded one. */
  brokerUrl?: string;
  runDir: string;
  onSlot?: (m: SlotMetrics, slot: number) => void;
  /** A computing-power-pool round closed (dag mode). */
  onPoolRound?: (m: PoolRoundMetrics) => void;
  onPhase?: (what: string) => void;
  /** How long to wait for the UAVs to land after the last slot, simulated s (default 120). */
  landTimeoutS?: number;
  /** Called once every process is up, before slot 0 (tests inject traffic here). */
  onReady?: (ctx: MissionReadyContext) => void | Promise<void>;
  /** Secure mode (identities + ACL, signed plans, MAVLink signing); default off. */
  security?: MissionSecurityOptions;
  /**
   * 'virtual' (default): lockstep on the discrete-event clock (see the file comment), any broker,
   * secure or not, planner or policy. 'scaled': wall time × `speed`, lateness measured.
   */
  clock?: 'scaled' | 'virtual';
  /** Scaled clock: called at every slot with the lateness so far (for a live console line). */
  onTiming?: (t: SlotTiming) => void;
  /**
   * Fly the trained policy (policy.ts, `preparePolicyMission`) instead of the cluster planner;
   * `scenario` must then be the setup's.
   */
  policy?: PolicyMissionSetup;
  /** Episodes of the env prediction in policy mode (default 5). */
  envEpisodes?: number;
  /** S2 video streaming (s2.ts, `prepareS2Mission`): `scenario` must be the setup's. On the virtual clock the actor's inference holds it. */
  video?: S2MissionSetup;
  /** S0's system (s0.ts, `prepareS0Mission`): coalitions of UAVs serve the MEDs; `scenario` must be the setup's. */
  s0?: S0MissionSetup;
  /** Also serve MQTT over WebSocket on the embedded broker (for the browser view, `mission --view`). */
  websocket?: boolean;
  /** Called once the broker is up, before anything connects (`mission --view` starts the view here). */
  onBroker?: (b: MissionBrokerInfo) => void | Promise<void>;
  /** Sharded controllers (issue 19 §3, shards.ts): N controllers, each planning one strip of the area; default 1. */
  shards?: number;
}

export interface MissionBrokerInfo {
  url: string;
  /** The embedded broker's MQTT-over-WebSocket URL (with `websocket`). */
  wsUrl?: string;
  /** In secure mode: how an identity connects (the view logs in as the read-only `recorder`). */
  credentials?: (identity: string) => BrokerCredentials;
}

export interface MissionReadyContext {
  brokerUrl: string;
  clock: Clock;
  /** In secure mode: how an identity connects, and the embedded broker's ACL refusals so far. */
  security?: { credentials(identity: string): BrokerCredentials; denials?: Readonly<AclDenials> };
  /** Stops one agent as if its process died (tests: a UAV goes silent mid-mission). */
  killAgent(uavId: number): Promise<void>;
}
