/**
 * Flight-mode decoding and mode commands per flavour (MAVLINK.md §1, §3).
 * PX4: custom_mode bits 16–23 main mode, 24–31 sub mode (px4_custom_mode.h).
 * ArduCopter: custom_mode is the mode number.
 */
import type { Flavour, FlightMode } from '../vehicle.ts';

/** MAV_AUTOPILOT → flavour. */
export function flavourOf(autopilot: number): Flavour {
  if (autopilot === 12) return 'px4';
  if (autopilot === 3) return 'ardupilot';
  return 'unknown';
}

const PX4_MAIN: Record<number, [string, FlightMode]> = {
  1: ['MANUAL', 'manual'],
  2: ['ALTCTL', 'altitude'],
  3: ['POSCTL', 'position'],
  5: ['ACRO', 'manual'],
  6: ['OFFBOARD', 'offboard'],
  7: ['STABILIZED', 'stabilize'],
  8: ['RATTITUDE', 'manual'],
};

const PX4_AUTO_SUB: Record<number, [string, FlightMode]> = {
  1: ['AUTO.READY', 'other'],
  2: ['AUTO.TAKEOFF', 'takeoff'],
  3: ['AUTO.LOITER', 'hold'],
  4: ['AUTO.MISSION', 'mission'],
  5: ['AUTO.RTL', 'rtl'],
  6: ['AUTO.LAND', 'land'],
  7: ['AUTO.RTGS', 'rtl'],
  8: ['AUTO.FOLLOW_TARGET', 'other'],
  9: ['AUTO.PRECLAND', 'land'],
};

const ARDUCOPTER: Record<number, [string, FlightMode]> = {
  0: ['STABILIZE', 'stabilize'],
  1: ['ACRO', 'manual'],
  2: ['ALT_HOLD', 'altitude'],
  3: ['AUTO', 'mission'],
  4: ['GUIDED', 'offboard'],
  5: ['LOITER', 'hold'],
  6: ['RTL', 'rtl'],
  7: ['CIRCLE', 'other'],
  9: ['LAND', 'land'],
  11: ['DRIFT', 'manual'],
  13: ['SPORT', 'manual'],
  14: ['FLIP', 'other'],
  15: ['AUTOTUNE', 'other'],
  16: ['POSHOLD', 'position'],
  17: ['BRAKE', 'hold'],
  18: ['THROW', 'other'],
  20: ['GUIDED_NOGPS', 'offboard'],
  21: ['SMART_RTL', 'rtl'],
};

/** ArduPlane (and QuadPlane) custom modes (ArduPilot Plane mode numbers). */
const ARDUPLANE: Record<number, [string, FlightMode]> = {
  0: ['MANUAL', 'manual'], 1: ['CIRCLE', 'other'], 2: ['STABILIZE', 'stabilize'], 3: ['TRAINING', 'manual'], 4: ['ACRO', 'manual'],
  5: ['FBWA', 'stabilize'], 6: ['FBWB', 'altitude'], 7: ['CRUISE', 'altitude'], 8: ['AUTOTUNE', 'other'], 10: ['AUTO', 'mission'],
  11: ['RTL', 'rtl'], 12: ['LOITER', 'hold'], 13: ['TAKEOFF', 'takeoff'], 14: ['AVOID_ADSB', 'other'], 15: ['GUIDED', 'offboard'],
  17: ['QSTABILIZE', 'stabilize'], 18: ['QHOVER', 'altitude'], 19: ['QLOITER', 'hold'], 20: ['QLAND', 'land'], 21: ['QRTL', 'rtl'],
  22: ['QAUTOTUNE', 'other'], 23: ['QACRO', 'manual'], 24: ['THERMAL', 'other'], 25: ['LOITER_ALT_QLAND', 'land'],
};

/** ArduRover (ground and surface vehicles) custom modes. */
const ARDUROVER: Record<number, [string, FlightMode]> = {
  0: ['MANUAL', 'manual'], 1: ['ACRO', 'manual'], 3: ['STEERING', 'manual'], 4: ['HOLD', 'hold'], 5: ['LOITER', 'hold'],
  6: ['FOLLOW', 'other'], 7: ['SIMPLE', 'manual'], 10: ['AUTO', 'mission'], 11: ['RTL', 'rtl'], 12: ['SMART_RTL', 'rtl'], 15: ['GUIDED', 'offboard'],
};

/** ArduSub custom modes. */
const ARDUSUB: Record<number, [string, FlightMode]> = {
  0: ['STABILIZE', 'stabilize'], 1: ['ACRO', 'manual'], 2: ['ALT_HOLD', 'altitude'], 3: ['AUTO', 'mission'], 4: ['GUIDED', 'offboard'],
  7: ['CIRCLE', 'other'], 9: ['SURFACE', 'other'], 16: ['POSHOLD', 'position'], 19: ['MANUAL', 'manual'],
};

/**
 * Which ArduPilot firmware a HEARTBEAT's MAV_TYPE means (their custom_mode numbers differ: 11 is
 * Copter's DRIFT but Plane's and Rover's RTL). Fixed wing (1) and the VTOL types (19–22, 25) are
 * Plane; ground rover (10) and surface boat (11) Rover; submarine (12) Sub; anything else Copter.
 */
export function arduFirmware(mavType: number | undefined): 'copter' | 'plane' | 'rover' | 'sub' {
  if (mavType === 1 || (mavType !== undefined && [19, 20, 21, 22, 25].includes(mavType))) return 'plane';
  if (mavType === 10 || mavType === 11) return 'rover';
  if (mavType === 12) return 'sub';
  return 'copter';
}

const ARDU_TABLES = { copter: ARDUCOPTER, plane: ARDUPLANE, rover: ARDUROVER, sub: ARDUSUB } as const;

/**
 * Decodes HEARTBEAT custom_mode into the shared vocabulary plus the autopilot's own name.
 * `mavType` (HEARTBEAT.type) picks ArduPilot's table by vehicle (default: Copter's, what the
 * bridge flies); PX4 encodes modes the same for every vehicle.
 */
export function decodeMode(flavour: Flavour, baseMode: number, customMode: number, mavType?: number): { mode: FlightMode; raw: string } {
  if (!(baseMode & 1)) return { mode: 'other', raw: `BASE_MODE_${baseMode}` };
  if (flavour === 'px4') {
    const main = (customMode >>> 16) & 0xff;
    const sub = (customMode >>> 24) & 0xff;
    if (main === 4) {
      const e = PX4_AUTO_SUB[sub];
      return e ? { mode: e[1], raw: e[0] } : { mode: 'other', raw: `AUTO.${sub}` };
    }
    const e = PX4_MAIN[main];
    return e ? { mode: e[1], raw: e[0] } : { mode: 'other', raw: `PX4_${main}.${sub}` };
  }
  if (flavour === 'ardupilot') {
    const e = ARDU_TABLES[arduFirmware(mavType)][customMode];
    return e ? { mode: e[1], raw: e[0] } : { mode: 'other', raw: `MODE_${customMode}` };
  }
  return { mode: 'other', raw: `CUSTOM_${customMode}` };
}

/** DO_SET_MODE (176) parameters p1..p3 for the modes the bridge commands. */
export type ModeRequest = 'guided' | 'hold';

/**
 * - guided: PX4 OFFBOARD (1, 6, 0); ArduCopter GUIDED (1, 4).
 * - hold: PX4 AUTO.LOITER (1, 4, 3); ArduCopter LOITER (1, 5). LOITER rather than BRAKE: it holds
 *   indefinitely and gives a safety pilot's sticks authority (with no RC its pilot inputs are
 *   zero), whereas BRAKE is meant as a short stop before another mode.
 */
export function modeCommandParams(flavour: Flavour, req: ModeRequest): [number, number, number] | undefined {
  if (flavour === 'px4') return req === 'guided' ? [1, 6, 0] : [1, 4, 3];
  if (flavour === 'ardupilot') return req === 'guided' ? [1, 4, 0] : [1, 5, 0];
  return undefined;
}
