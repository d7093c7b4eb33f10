/** What an AgentService is configured with and wired to (see service/). */
import type { KeyObject } from 'node:crypto';
import type { S3ChannelParams } from '../../core/models/channel.ts';
import type { Clock } from '../../core/clock.ts';
import type { Vehicle } from '../../firmware-bridge/vehicle.ts';
import type { GeoPoint } from '../../core/geo.ts';
import type { Bus } from '../common/bus.ts';
import type { Logger } from '../common/log.ts';
import type { Executor } from './executor/index.ts';
import type { FailsafeConfig } from './failsafe/index.ts';
import type { GuidanceParams } from './flight/guidance.ts';
import type { PolicyDriver } from './policy-driver.ts';
import type { Envelope } from './safety/index.ts';
import type { StateStore } from './state/index.ts';
import type { UavLinkParams } from './schedule/index.ts';
import type { Uplink } from './uplink/index.ts';

export interface AgentConfig {
  uavId: number;
  /** Geodetic origin of the mission frame. */
  origin: GeoPoint;
  channel: S3ChannelParams;
  cpuHz: number;
  bandwidthHz: number;
  cacheBits: number;
  txPowerW: number;
  /** Battery capacity, J, to turn the autopilot's state of charge into energy. */
  batteryCapacityJ: number;
  /** CPU energy coefficient κ (SPEC §4). */
  kappa: number;
  controlRateHz: number;
  /** Twin-state reports per second (plus one on every flight-state change). */
  telemetryRateHz: number;
  /** Health reports per second (default 1). */
  healthRateHz?: number;
  takeoffAltM: number;
  /**
   * Return altitude above home set on the autopilot for its own RTL (flight/return-alt.ts);
   * default the takeoff altitude clamped into the envelope's band less its margin.
   */
  returnAltM?: number;
  guidance?: GuidanceParams;
  failsafe: FailsafeConfig;
  /** Computing-power-pool UAV–UAV link for result transfers (SPEC §5.3), from the profile's radio. */
  link: UavLinkParams;
}

export interface AgentDeps {
  bus: Bus;
  uplink: Uplink;
  vehicle: Vehicle;
  clock: Clock;
  log: Logger;
  envelope: Envelope;
  executor: Executor;
  /** Flies FLIGHT_MODE_POLICY; without it such plans are nacked MODEL_UNAVAILABLE. */
  policy?: PolicyDriver;
  /** Persisted state; without it a restart starts afresh. */
  store?: StateStore;
  /**
   * The controller's pinned Ed25519 public key (issue 9 §2): plans must carry its signature and a
   * newer plan_seq, or are nacked BAD_SIGNATURE / STALE_SEQ. Without it plans are not authenticated.
   */
  planVerifyKey?: KeyObject;
}
