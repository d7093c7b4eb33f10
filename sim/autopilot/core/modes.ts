/**
 * Flight modes per flavour: the firmware's names and custom_mode numbers (MAVLINK.md §1), what the
 * simulated vehicle does in each (`Behaviour`), and the HEARTBEAT base_mode flags it reports.
 */
import type { AutopilotFlavour } from './params.ts';

/**
 * What the vehicle core does in a mode. Manual modes have no pilot in the sim, so in the air they
 * behave as a position hold ('hold'); on the ground they idle.
 */
export type Behaviour = 'hold' | 'guided' | 'takeoff' | 'land' | 'rtl' | 'mission';

export interface ModeInfo {
  name: string;
  behaviour: Behaviour;
  /** HEARTBEAT.custom_mode value. */
  customMode: number;
  /** Arming allowed in this mode. */
  armable: boolean;
  /** Needs a position estimate (GPS). */
  needsPosition: boolean;
  /** HEARTBEAT base_mode flags besides CUSTOM_MODE_ENABLED and SAFETY_ARMED. */
  baseFlags: number;
}

/** MAV_MODE_FLAG bits (MAVLINK.md §1). */
export const MODE_FLAG = {
  CUSTOM_MODE_ENABLED: 1,
  TEST: 2,
  AUTO: 4,
  GUIDED: 8,
  STABILIZE: 16,
  HIL: 32,
  MANUAL_INPUT: 64,
  SAFETY_ARMED: 128,
} as const;

const AC_BASE = MODE_FLAG.STABILIZE | MODE_FLAG.MANUAL_INPUT;
const ac = (name: string, customMode: number, behaviour: Behaviour, armable: boolean, needsPosition: boolean): ModeInfo => ({
  name, customMode, behaviour, armable, needsPosition,
  baseFlags: AC_BASE | (needsPosition ? MODE_FLAG.GUIDED : 0),
});

/** ArduCopter modes (custom_mode = mode number). */
export const ARDUCOPTER_MODES: readonly ModeInfo[] = [
  ac('STABILIZE', 0, 'hold', true, false),
  ac('ACRO', 1, 'hold', true, false),
  ac('ALT_HOLD', 2, 'hold', true, false),
  ac('AUTO', 3, 'mission', false, true),
  ac('GUIDED', 4, 'guided', true, true),
  ac('LOITER', 5, 'hold', true, true),
  ac('RTL', 6, 'rtl', false, true),
  ac('CIRCLE', 7, 'hold', false, true),
  ac('LAND', 9, 'land', false, false),
  ac('POSHOLD', 16, 'hold', true, true),
  ac('BRAKE', 17, 'hold', false, true),
  ac('SMART_RTL', 21, 'rtl', false, true),
];

/** PX4 custom_mode: main mode in bits 16–23, sub mode in bits 24–31 (px4_custom_mode.h). */
export const px4CustomMode = (main: number, sub = 0): number => ((main & 0xff) << 16) + (sub & 0xff) * 2 ** 24;

const S = MODE_FLAG.STABILIZE;
const G = MODE_FLAG.GUIDED;
const AU = MODE_FLAG.AUTO;
const px = (name: string, main: number, sub: number, behaviour: Behaviour, armable: boolean, needsPosition: boolean, baseFlags: number): ModeInfo => ({
  name, customMode: px4CustomMode(main, sub), behaviour, armable, needsPosition, baseFlags,
});

/** PX4 modes. */
export const PX4_MODES: readonly ModeInfo[] = [
  px('MANUAL', 1, 0, 'hold', true, false, MODE_FLAG.MANUAL_INPUT),
  px('ALTCTL', 2, 0, 'hold', true, false, MODE_FLAG.MANUAL_INPUT | S),
  px('POSCTL', 3, 0, 'hold', true, true, MODE_FLAG.MANUAL_INPUT | S | G),
  px('AUTO.READY', 4, 1, 'hold', true, true, AU | G | S),
  px('AUTO.TAKEOFF', 4, 2, 'takeoff', true, true, AU | G | S),
  px('AUTO.LOITER', 4, 3, 'hold', true, true, AU | G | S),
  px('AUTO.MISSION', 4, 4, 'mission', true, true, AU | G | S),
  px('AUTO.RTL', 4, 5, 'rtl', false, true, AU | G | S),
  px('AUTO.LAND', 4, 6, 'land', false, false, AU | G | S),
  px('ACRO', 5, 0, 'hold', true, false, MODE_FLAG.MANUAL_INPUT),
  px('OFFBOARD', 6, 0, 'guided', true, true, AU | G | S),
  px('STABILIZED', 7, 0, 'hold', true, false, MODE_FLAG.MANUAL_INPUT | S),
];

export function modeTable(flavour: AutopilotFlavour): readonly ModeInfo[] {
  return flavour === 'px4' ? PX4_MODES : ARDUCOPTER_MODES;
}

export function modeByName(flavour: AutopilotFlavour, name: string): ModeInfo | undefined {
  return modeTable(flavour).find((m) => m.name === name);
}

/**
 * Decodes DO_SET_MODE (p1 base mode, p2 custom/main mode, p3 sub mode) per flavour.
 * PX4 main mode AUTO with sub 0 means AUTO.LOITER, as PX4's commander does.
 */
export function modeFromCommand(flavour: AutopilotFlavour, p2: number, p3: number): ModeInfo | undefined {
  if (flavour === 'ardupilot') return ARDUCOPTER_MODES.find((m) => m.customMode === Math.round(p2));
  const main = Math.round(p2);
  const sub = main === 4 ? Math.round(p3) || 3 : 0;
  return PX4_MODES.find((m) => m.customMode === px4CustomMode(main, sub));
}

/** Decodes a HEARTBEAT custom_mode (for clients and tests). */
export function modeFromCustom(flavour: AutopilotFlavour, customMode: number): ModeInfo | undefined {
  return modeTable(flavour).find((m) => m.customMode === customMode);
}

/** Name of each flavour's modes for the common behaviours. */
export const MODE_NAMES: Record<AutopilotFlavour, { hold: string; guided: string; takeoff: string; land: string; rtl: string; mission: string; initial: string }> = {
  ardupilot: { hold: 'LOITER', guided: 'GUIDED', takeoff: 'GUIDED', land: 'LAND', rtl: 'RTL', mission: 'AUTO', initial: 'STABILIZE' },
  px4: { hold: 'AUTO.LOITER', guided: 'OFFBOARD', takeoff: 'AUTO.TAKEOFF', land: 'AUTO.LAND', rtl: 'AUTO.RTL', mission: 'AUTO.MISSION', initial: 'POSCTL' },
};
