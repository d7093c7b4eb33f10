/**
 * The vehicle interface: what the agent sees of an autopilot, whichever link carries it.
 * `MavlinkVehicle` (this package) implements it over MAVLink 2 to PX4 or ArduPilot, real or SITL.
 *
 * Frames: local positions are NED metres from the autopilot's local origin (z down);
 * global positions are WGS-84 degrees with altitude in metres (AMSL and relative to home).
 * Unknown quantities are `undefined`, never 0.
 */
import type { Result } from '../core/result.ts';

export type Flavour = 'px4' | 'ardupilot' | 'unknown';

/** Flight mode decoded per flavour into one vocabulary; `raw` keeps the autopilot's own name. */
export type FlightMode =
  | 'manual'
  | 'stabilize'
  | 'altitude'
  | 'position'
  | 'hold'
  | 'offboard'
  | 'takeoff'
  | 'mission'
  | 'rtl'
  | 'land'
  | 'other';

export type LandedState = 'unknown' | 'on_ground' | 'in_air' | 'takeoff' | 'landing';

export interface Vec3 {
  x: number;
  y: number;
  z: number;
}

export interface GlobalPosition {
  latDeg: number;
  lonDeg: number;
  altAmslM: number;
  relAltM: number;
}

export interface VehicleState {
  /** Time of the last update, µs (clock of the receiver). */
  tUs: number;
  connected: boolean;
  sysid?: number;
  compid?: number;
  flavour: Flavour;
  armed: boolean;
  mode: FlightMode;
  /** The autopilot's own mode name, e.g. 'GUIDED' or 'OFFBOARD' or 'AUTO.LOITER'. */
  modeRaw: string;
  landed: LandedState;
  /** MAV_STATE (0 uninit … 8 flight termination). */
  systemStatus?: number;
  /** Local NED position, m. */
  positionNedM?: Vec3;
  /** Local NED velocity, m/s. */
  velocityNedMS?: Vec3;
  /** Roll, pitch, yaw, rad. */
  attitudeRad?: Vec3;
  global?: GlobalPosition;
  home?: GlobalPosition;
  batteryVoltageV?: number;
  batteryCurrentA?: number;
  /** 0–100, undefined when the autopilot does not estimate it. */
  batteryRemainingPct?: number;
  /** Energy consumed since boot, J, when reported (BATTERY_STATUS.energy_consumed). */
  batteryConsumedJ?: number;
}

/** MAV_RESULT names, plus what a link can add on its own (no answer, link down). */
export type CommandFailure =
  | 'temporarily_rejected'
  | 'denied'
  | 'unsupported'
  | 'failed'
  | 'cancelled'
  | 'command_long_only'
  | 'command_int_only'
  | 'unsupported_mav_frame'
  | 'timeout'
  | 'no_link'
  | 'precondition';

export type CommandResult = Result<{ command: number; attempts: number }, CommandFailure>;

/** How a parameter is stored on the autopilot (MAV_PARAM_TYPE subset). */
export type ParamType = 'INT8' | 'INT16' | 'INT32' | 'REAL32';

/** A parameter set: the value the autopilot reports after it, or why it was not set. */
export type ParamResult = Result<{ id: string; value: number; attempts: number }, CommandFailure>;

/** A setpoint in the local NED frame (m, m/s) or the global frame (deg, m relative to home). */
export type Setpoint =
  | { kind: 'position_ned'; positionM: Vec3; yawRad?: number }
  | { kind: 'velocity_ned'; velocityMS: Vec3; yawRateRadS?: number }
  | { kind: 'position_global'; latDeg: number; lonDeg: number; relAltM: number; yawRad?: number }
  | { kind: 'velocity_global'; velocityMS: Vec3; yawRateRadS?: number };

export interface VehicleEvents {
  state: (s: VehicleState) => void;
  linkLost: (atUs: number) => void;
  linkRegained: (atUs: number) => void;
  statustext: (severity: number, text: string) => void;
}

export interface Vehicle {
  /** Latest known state (a copy). */
  state(): VehicleState;
  on<E extends keyof VehicleEvents>(event: E, fn: VehicleEvents[E]): () => void;
  /** Resolves when the autopilot's heartbeat has been seen, or fails after `timeoutMs`. */
  waitConnected(timeoutMs: number): Promise<Result<VehicleState, 'timeout'>>;
  arm(force?: boolean): Promise<CommandResult>;
  disarm(force?: boolean): Promise<CommandResult>;
  takeoff(relAltM: number): Promise<CommandResult>;
  land(): Promise<CommandResult>;
  returnToLaunch(): Promise<CommandResult>;
  hold(): Promise<CommandResult>;
  /**
   * Enters the mode that follows external setpoints: PX4 OFFBOARD (refused with 'precondition'
   * unless setpoints have streamed for over 1 s) or ArduCopter GUIDED.
   */
  setGuided(): Promise<CommandResult>;
  reposition(target: GlobalPosition, speedMS?: number): Promise<CommandResult>;
  /**
   * Sets an autopilot parameter (PARAM_SET, confirmed by the PARAM_VALUE echo). Fails 'denied'
   * when the autopilot keeps another value, 'timeout' without an answer.
   */
  setParam(id: string, value: number, type?: ParamType): Promise<ParamResult>;
  /**
   * Offers the current setpoint. The bridge sends it at its stream rate (default 10 Hz) only
   * while it is fresh: if nothing is offered for longer than the staleness limit, sending stops,
   * so a dead agent loop lets the autopilot's offboard-loss failsafe fire.
   */
  offerSetpoint(sp: Setpoint): void;
  /** Stops streaming immediately (e.g. link lost, or failsafe handed to the autopilot). */
  stopSetpoints(): void;
  close(): Promise<void>;
}
