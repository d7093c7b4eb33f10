/**
 * COMMAND_LONG / COMMAND_INT → vehicle core (MAVLINK.md §3). Pure: returns the new state, events
 * and MAV_RESULT, or `undefined` for commands the server itself handles (message intervals and
 * requests). Unknown commands are UNSUPPORTED, never silence.
 */
import { geoToNed, type Vec3 } from '../../../core/geo.ts';
import { modeFromCommand, MODE_NAMES } from '../core/modes.ts';
import type { VehicleConfig } from '../core/params.ts';
import type { CommandOutcome, SimEvent, SimState } from '../core/types.ts';
import { arm, disarm, land, reposition, returnToLaunch, setMission, setMissionCurrent, setMode, takeoff } from '../core/vehicle.ts';

export const MAV_RESULT = { ACCEPTED: 0, TEMPORARILY_REJECTED: 1, DENIED: 2, UNSUPPORTED: 3, FAILED: 4, IN_PROGRESS: 5 } as const;

const OUTCOME: Record<CommandOutcome, number> = {
  accepted: MAV_RESULT.ACCEPTED,
  temporarily_rejected: MAV_RESULT.TEMPORARILY_REJECTED,
  denied: MAV_RESULT.DENIED,
  unsupported: MAV_RESULT.UNSUPPORTED,
  failed: MAV_RESULT.FAILED,
};

export const CMD = {
  NAV_RETURN_TO_LAUNCH: 20,
  NAV_LAND: 21,
  NAV_TAKEOFF: 22,
  DO_SET_MODE: 176,
  DO_CHANGE_SPEED: 178,
  DO_REPOSITION: 192,
  DO_SET_MISSION_CURRENT: 224,
  MISSION_START: 300,
  COMPONENT_ARM_DISARM: 400,
  GET_MESSAGE_INTERVAL: 510,
  SET_MESSAGE_INTERVAL: 511,
  REQUEST_MESSAGE: 512,
  REQUEST_PROTOCOL_VERSION: 519,
  REQUEST_AUTOPILOT_CAPABILITIES: 520,
} as const;

export const SERVER_COMMANDS: ReadonlySet<number> = new Set([
  CMD.GET_MESSAGE_INTERVAL, CMD.SET_MESSAGE_INTERVAL, CMD.REQUEST_MESSAGE, CMD.REQUEST_PROTOCOL_VERSION, CMD.REQUEST_AUTOPILOT_CAPABILITIES,
]);

export interface CommandRequest {
  command: number;
  /** p1…p7; for COMMAND_INT p5/p6 are degE7 integers and p7 the z value. */
  params: readonly number[];
  /** COMMAND_INT frame, undefined for COMMAND_LONG. */
  frame?: number;
}

export interface CommandOutput {
  state: SimState;
  events: SimEvent[];
  result: number;
}

const FORCE_MAGIC = 21196;

/** Relative-to-home altitude of a command's z, given its frame (COMMAND_LONG: per flavour). */
function relAlt(cfg: VehicleConfig, s: SimState, z: number, frame: number | undefined): number | undefined {
  if (!Number.isFinite(z)) return undefined;
  const amsl = frame === undefined ? cfg.flavour === 'px4' : frame === 0 || frame === 5;
  return amsl ? z - s.origin.altAmslM : z;
}

/** Target of a positional command in local NED (NaN fields keep the current value). */
function targetNed(cfg: VehicleConfig, s: SimState, req: CommandRequest): Vec3 {
  const p = req.params;
  const isInt = req.frame !== undefined;
  const lat = isInt ? p[4]! / 1e7 : p[4]!;
  const lon = isInt ? p[5]! / 1e7 : p[5]!;
  const hasLatLon = Number.isFinite(lat) && Number.isFinite(lon) && !(lat === 0 && lon === 0);
  const ne = hasLatLon ? geoToNed(s.origin, { latDeg: lat, lonDeg: lon, altAmslM: s.origin.altAmslM }) : s.posM;
  const alt = relAlt(cfg, s, p[6]!, req.frame);
  return { x: ne.x, y: ne.y, z: alt === undefined ? s.posM.z : -alt };
}

export function executeCommand(cfg: VehicleConfig, s: SimState, req: CommandRequest): CommandOutput | undefined {
  if (SERVER_COMMANDS.has(req.command)) return undefined;
  const p = req.params;
  const out = (t: { state: SimState; events: SimEvent[]; result: CommandOutcome }): CommandOutput => ({ state: t.state, events: t.events, result: OUTCOME[t.result] });
  switch (req.command) {
    case CMD.COMPONENT_ARM_DISARM: {
      const force = Math.round(p[1]!) === FORCE_MAGIC;
      return out(p[0]! >= 0.5 ? arm(cfg, s, force) : disarm(cfg, s, force));
    }
    case CMD.NAV_TAKEOFF:
      if (s.nav.kind === 'takeoff' && s.landed !== 'on_ground') return { state: s, events: [], result: MAV_RESULT.TEMPORARILY_REJECTED };
      return out(takeoff(cfg, s, relAlt(cfg, s, p[6]!, req.frame)));
    case CMD.NAV_LAND:
      return out(land(cfg, s));
    case CMD.NAV_RETURN_TO_LAUNCH:
      return out(returnToLaunch(cfg, s));
    case CMD.DO_SET_MODE: {
      const mode = modeFromCommand(cfg.flavour, p[1]!, p[2]!);
      if (!mode) return { state: s, events: [], result: MAV_RESULT.FAILED };
      return out(setMode(cfg, s, mode.name));
    }
    case CMD.DO_REPOSITION: {
      const t = reposition(cfg, s, targetNed(cfg, s, req), p[0]! > 0 ? p[0]! : undefined, (Math.round(p[1]!) & 1) === 1);
      const yaw = p[3]!;
      return out(Number.isFinite(yaw) && t.result === 'accepted' ? { ...t, state: { ...t.state, yawTargetRad: yaw } } : t);
    }
    case CMD.DO_CHANGE_SPEED: {
      const speed = p[1]!;
      if (!(speed > 0)) return { state: s, events: [], result: MAV_RESULT.DENIED };
      const v = Math.min(speed, cfg.maxHorizSpeedMS);
      const nav = s.nav.kind === 'goto' ? { ...s.nav, speedMS: v } : s.nav;
      return { state: { ...s, nav, missionSpeedMS: v }, events: [], result: MAV_RESULT.ACCEPTED };
    }
    case CMD.DO_SET_MISSION_CURRENT:
      return out(setMissionCurrent(s, Math.round(p[0]!)));
    case CMD.MISSION_START: {
      const first = Math.round(p[0]!);
      let st = s;
      if (first > 0 && first < s.mission.length) st = { ...setMission(cfg, s, s.mission), missionSeq: first };
      return out(setMode(cfg, st, MODE_NAMES[cfg.flavour].mission));
    }
    default:
      return { state: s, events: [], result: MAV_RESULT.UNSUPPORTED };
  }
}
