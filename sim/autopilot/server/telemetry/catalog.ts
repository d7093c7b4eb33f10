/**
 * What the SITL streams and advertises (MAVLINK.md §2): message ids, default stream rates,
 * REQUEST_DATA_STREAM groups and the AUTOPILOT_VERSION capability bits.
 */
import type { VehicleConfig } from '../../core/params.ts';

export const MSG = {
  HEARTBEAT: 0,
  SYS_STATUS: 1,
  GPS_RAW_INT: 24,
  ATTITUDE: 30,
  LOCAL_POSITION_NED: 32,
  GLOBAL_POSITION_INT: 33,
  MISSION_CURRENT: 42,
  VFR_HUD: 74,
  BATTERY_STATUS: 147,
  AUTOPILOT_VERSION: 148,
  HOME_POSITION: 242,
  EXTENDED_SYS_STATE: 245,
  PROTOCOL_VERSION: 300,
} as const;

/** Default rates, Hz (PX4's GCS-link defaults, MAVLINK.md §2; the same for the ArduPilot flavour). */
export const DEFAULT_RATES_HZ: Readonly<Record<number, number>> = {
  [MSG.HEARTBEAT]: 1,
  [MSG.SYS_STATUS]: 1,
  [MSG.GPS_RAW_INT]: 1,
  [MSG.ATTITUDE]: 15,
  [MSG.LOCAL_POSITION_NED]: 1,
  [MSG.GLOBAL_POSITION_INT]: 5,
  [MSG.MISSION_CURRENT]: 1,
  [MSG.VFR_HUD]: 4,
  [MSG.BATTERY_STATUS]: 0.5,
  [MSG.HOME_POSITION]: 0.5,
  [MSG.EXTENDED_SYS_STATE]: 1,
};

/** REQUEST_DATA_STREAM groups (ArduPilot's SRx_ mapping; 0 = all). */
export const DATA_STREAMS: Readonly<Record<number, readonly number[]>> = {
  1: [],
  2: [MSG.SYS_STATUS, MSG.GPS_RAW_INT, MSG.MISSION_CURRENT],
  3: [],
  6: [MSG.GLOBAL_POSITION_INT, MSG.LOCAL_POSITION_NED],
  10: [MSG.ATTITUDE],
  11: [MSG.VFR_HUD],
  12: [MSG.BATTERY_STATUS, MSG.EXTENDED_SYS_STATE, MSG.HOME_POSITION],
};

/** MAV_PROTOCOL_CAPABILITY bits advertised (MAVLINK.md §2). */
export const CAPABILITY = {
  MISSION_INT: 4,
  COMMAND_INT: 8,
  PARAM_ENCODE_BYTEWISE: 16,
  SET_POSITION_TARGET_LOCAL_NED: 128,
  SET_POSITION_TARGET_GLOBAL_INT: 256,
  MAVLINK2: 8192,
  MISSION_FENCE: 16384,
  MISSION_RALLY: 32768,
  PARAM_ENCODE_C_CAST: 131072,
} as const;

export function capabilities(cfg: VehicleConfig): number {
  const c = CAPABILITY;
  return (
    c.MISSION_INT | c.COMMAND_INT | c.SET_POSITION_TARGET_LOCAL_NED | c.SET_POSITION_TARGET_GLOBAL_INT | c.MAVLINK2 |
    c.MISSION_FENCE | c.MISSION_RALLY | (cfg.flavour === 'px4' ? c.PARAM_ENCODE_BYTEWISE : c.PARAM_ENCODE_C_CAST)
  );
}
