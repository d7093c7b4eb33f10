/**
 * State of one simulated multicopter, as the pure core sees it. Everything is plain data; the
 * core's functions return new objects and never mutate their inputs.
 */
import type { GeoPoint, Vec3 } from '../../../core/geo.ts';

export type LandedState = 'on_ground' | 'takeoff' | 'in_air' | 'landing';

/** A stored mission item in MISSION_ITEM_INT form (x/y degE7 for global frames, ×1e4 m for local). */
export interface MissionItem {
  command: number;
  frame: number;
  param1: number;
  param2: number;
  param3: number;
  param4: number;
  x: number;
  y: number;
  z: number;
  autocontinue: number;
}

/** What the position controller is doing now. */
export type Nav =
  | { kind: 'idle' }
  /** Decelerate to rest, then hold where stopped. */
  | { kind: 'brake' }
  | { kind: 'hold'; posM: Vec3 }
  | { kind: 'goto'; posM: Vec3; speedMS: number; velFfMS?: Vec3 }
  | { kind: 'velocity'; velMS: Vec3 }
  | { kind: 'takeoff'; posM: Vec3 }
  | { kind: 'rtl'; phase: 'climb' | 'return' | 'descend'; altM: number }
  | { kind: 'land'; north: number; east: number };

/** The latest guided/offboard setpoint, in local NED (the server converts other frames). */
export interface Setpoint {
  posM?: Vec3;
  velMS?: Vec3;
  yawRad?: number;
  yawRateRadS?: number;
  atUs: number;
}

export type FailsafeKind = 'gcs' | 'offboard' | 'fence' | 'battery';

export interface SimState {
  /** Simulation time, µs since the Unix epoch. */
  tUs: number;
  /** EKF origin = home (local NED (0,0,0), on the ground). */
  origin: GeoPoint;
  posM: Vec3;
  velMS: Vec3;
  /** Acceleration over the last step, m/s². */
  accMS2: Vec3;
  rollRad: number;
  pitchRad: number;
  yawRad: number;
  yawRateRadS: number;
  armed: boolean;
  /** Flavour-specific mode name, e.g. 'GUIDED' or 'AUTO.LOITER'. */
  mode: string;
  landed: LandedState;
  /** When the vehicle last became armed-on-ground or landed, µs (auto-disarm timer). */
  groundSinceUs: number;
  nav: Nav;
  setpoint?: Setpoint;
  yawTargetRad?: number;
  mission: readonly MissionItem[];
  /** Index of the current mission item. */
  missionSeq: number;
  /** Hold-at-waypoint deadline (µs), when loitering at a reached item. */
  missionHoldUntilUs?: number;
  missionSpeedMS?: number;
  missionDone: boolean;
  /** Remaining battery energy, J. */
  batteryJ: number;
  energy: { propulsionJ: number; avionicsJ: number; computeJ: number };
  /** Last total electrical power, W (for BATTERY_STATUS current). */
  powerW: number;
  /** Airspeed over the last step, m/s. */
  airspeedMS: number;
  lastGcsHeartbeatUs?: number;
  failsafes: readonly FailsafeKind[];
}

export interface StepInputs {
  /** Power drawn by the on-board edge computer, W. */
  computePowerW: number;
}

export type SimEvent =
  | { kind: 'statustext'; severity: number; text: string }
  | { kind: 'mission_current'; seq: number }
  | { kind: 'mission_item_reached'; seq: number }
  | { kind: 'mode'; mode: string }
  | { kind: 'armed'; armed: boolean };

/** MAV_SEVERITY values used. */
export const SEVERITY = { EMERGENCY: 0, ALERT: 1, CRITICAL: 2, ERROR: 3, WARNING: 4, NOTICE: 5, INFO: 6 } as const;

/** Outcome of a command on the core, mapped to MAV_RESULT by the server. */
export type CommandOutcome = 'accepted' | 'temporarily_rejected' | 'denied' | 'unsupported' | 'failed';

export interface Transition {
  state: SimState;
  events: SimEvent[];
}

export interface CommandTransition extends Transition {
  result: CommandOutcome;
}
