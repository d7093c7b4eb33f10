/**
 * Telemetry messages built from the simulated state (MAVLINK.md §1–§2), default stream rates,
 * REQUEST_DATA_STREAM groups and AUTOPILOT_VERSION capability bits. Pure builders: (state,
 * context) → node-mavlink message objects.
 */
import type { MavLinkData } from 'node-mavlink';
import { common, minimal, standard } from '../../../firmware-bridge/mavlink/messages.ts';
import { ProtocolVersion } from '../../../firmware-bridge/mavlink/index.ts';
import { nedToGeo } from '../../../core/geo.ts';
import { MODE_FLAG, modeByName } from '../core/modes.ts';
import type { VehicleConfig } from '../core/params.ts';
import { preArmFailure } from '../core/vehicle.ts';
import type { SimState } from '../core/types.ts';

/**
 * Fills a node-mavlink message; every field we send is set explicitly. The class's constructor is
 * not run: it only sets defaults (enum fields to a member *name*, found by `Object.keys` of the
 * enum: 12 µs for SYS_STATUS, a third of a 1 000-vehicle fleet's telemetry cost, issue 20), and
 * the encoder writes an unset field as zero, as it writes those defaults.
 */
export function make<T extends MavLinkData>(C: new () => T, fields: Record<string, unknown>): T {
  return Object.assign(Object.create(C.prototype as object) as T, fields);
}

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

export interface TelemetryContext {
  cfg: VehicleConfig;
  bootUs: number;
  missionCount: number;
}

const bootMs = (s: SimState, ctx: TelemetryContext) => Math.max(0, Math.round((s.tUs - ctx.bootUs) / 1000)) >>> 0;
const degE7 = (d: number) => Math.round(d * 1e7);
const clampI16 = (v: number) => Math.max(-32768, Math.min(32767, Math.round(v)));
const headingCdeg = (yaw: number) => Math.round(((((yaw * 180) / Math.PI) % 360) + 360) % 360 * 100) % 36000;

/** MAV_STATE: STANDBY 3, ACTIVE 4, CRITICAL 5 (MAVLINK.md §1). */
export function systemStatus(s: SimState): number {
  if (s.failsafes.length > 0 && s.armed) return 5;
  return s.armed ? 4 : 3;
}

export function heartbeat(s: SimState, ctx: TelemetryContext): MavLinkData {
  const mode = modeByName(ctx.cfg.flavour, s.mode);
  return make(minimal.Heartbeat, {
    type: 2,
    autopilot: ctx.cfg.flavour === 'px4' ? 12 : 3,
    baseMode: MODE_FLAG.CUSTOM_MODE_ENABLED | (mode?.baseFlags ?? 0) | (s.armed ? MODE_FLAG.SAFETY_ARMED : 0),
    customMode: mode?.customMode ?? 0,
    systemStatus: systemStatus(s),
    mavlinkVersion: 3,
  });
}

const SENSOR = {
  GYRO: 1, ACCEL: 2, MAG: 4, BARO: 8, GPS: 32, RATE: 1024, ATT: 2048, YAW: 4096, Z: 8192, XY: 16384, MOTORS: 32768,
  GEOFENCE: 1048576, AHRS: 2097152, BATTERY: 33554432, PREARM: 268435456,
} as const;

/** Battery terminal voltage: linear 3.5–4.2 V per cell over the state of charge. */
export function batteryVoltageV(s: SimState, cfg: VehicleConfig): number {
  const cells = Math.max(1, Math.round(cfg.battNominalV / 3.7));
  const frac = cfg.battCapacityJ > 0 ? s.batteryJ / cfg.battCapacityJ : 0;
  return cells * (3.5 + 0.7 * frac);
}

const remainingPct = (s: SimState, cfg: VehicleConfig) => (cfg.battCapacityJ > 0 ? Math.round((100 * s.batteryJ) / cfg.battCapacityJ) : -1);

export function sysStatus(s: SimState, ctx: TelemetryContext): MavLinkData {
  const cfg = ctx.cfg;
  let present = SENSOR.GYRO | SENSOR.ACCEL | SENSOR.MAG | SENSOR.BARO | SENSOR.GPS | SENSOR.RATE | SENSOR.ATT | SENSOR.YAW | SENSOR.Z | SENSOR.XY |
    SENSOR.MOTORS | SENSOR.AHRS | SENSOR.BATTERY | SENSOR.PREARM;
  if (cfg.fence.enabled) present |= SENSOR.GEOFENCE;
  let health = present;
  if (!cfg.gpsAvailable) health &= ~SENSOR.GPS;
  if (s.batteryJ <= cfg.battCriticalJ) health &= ~SENSOR.BATTERY;
  if (!s.armed && preArmFailure(cfg, s) !== undefined) health &= ~SENSOR.PREARM;
  if (s.failsafes.includes('fence')) health &= ~SENSOR.GEOFENCE;
  const v = batteryVoltageV(s, cfg);
  return make(common.SysStatus, {
    onboardControlSensorsPresent: present >>> 0,
    onboardControlSensorsEnabled: present >>> 0,
    onboardControlSensorsHealth: health >>> 0,
    load: 200,
    voltageBattery: Math.round(v * 1000),
    currentBattery: clampI16((s.powerW / v) * 100),
    dropRateComm: 0, errorsComm: 0, errorsCount1: 0, errorsCount2: 0, errorsCount3: 0, errorsCount4: 0,
    batteryRemaining: remainingPct(s, cfg),
    onboardControlSensorsPresentExtended: 0, onboardControlSensorsEnabledExtended: 0, onboardControlSensorsHealthExtended: 0,
  });
}

export function gpsRawInt(s: SimState, ctx: TelemetryContext): MavLinkData {
  const g = nedToGeo(s.origin, s.posM);
  const fix = ctx.cfg.gpsAvailable;
  const gs = Math.hypot(s.velMS.x, s.velMS.y);
  return make(common.GpsRawInt, {
    timeUsec: BigInt(Math.round(s.tUs)),
    lat: fix ? degE7(g.latDeg) : 0,
    lon: fix ? degE7(g.lonDeg) : 0,
    alt: fix ? Math.round(g.altAmslM * 1000) : 0,
    eph: fix ? 80 : 65535,
    epv: fix ? 120 : 65535,
    vel: Math.round(gs * 100),
    cog: gs > 0.2 ? headingCdeg(Math.atan2(s.velMS.y, s.velMS.x)) : 65535,
    fixType: fix ? 3 : 1,
    satellitesVisible: fix ? 12 : 0,
    altEllipsoid: 0, hAcc: fix ? 500 : 0, vAcc: fix ? 800 : 0, velAcc: fix ? 200 : 0, hdgAcc: 0, yaw: 0,
  });
}

export function attitude(s: SimState, ctx: TelemetryContext): MavLinkData {
  return make(common.Attitude, {
    timeBootMs: bootMs(s, ctx), roll: s.rollRad, pitch: s.pitchRad, yaw: s.yawRad, rollspeed: 0, pitchspeed: 0, yawspeed: s.yawRateRadS,
  });
}

export function localPositionNed(s: SimState, ctx: TelemetryContext): MavLinkData {
  return make(common.LocalPositionNed, {
    timeBootMs: bootMs(s, ctx), x: s.posM.x, y: s.posM.y, z: s.posM.z, vx: s.velMS.x, vy: s.velMS.y, vz: s.velMS.z,
  });
}

export function globalPositionInt(s: SimState, ctx: TelemetryContext): MavLinkData {
  const g = nedToGeo(s.origin, s.posM);
  return make(common.GlobalPositionInt, {
    timeBootMs: bootMs(s, ctx),
    lat: degE7(g.latDeg),
    lon: degE7(g.lonDeg),
    alt: Math.round(g.altAmslM * 1000),
    relativeAlt: Math.round(-s.posM.z * 1000),
    vx: clampI16(s.velMS.x * 100),
    vy: clampI16(s.velMS.y * 100),
    vz: clampI16(s.velMS.z * 100),
    hdg: headingCdeg(s.yawRad),
  });
}

export function vfrHud(s: SimState, ctx: TelemetryContext): MavLinkData {
  const hover = ctx.cfg.rotor.p0W + ctx.cfg.rotor.piW;
  return make(common.VfrHud, {
    airspeed: s.airspeedMS,
    groundspeed: Math.hypot(s.velMS.x, s.velMS.y),
    alt: s.origin.altAmslM - s.posM.z,
    climb: -s.velMS.z,
    heading: Math.round(headingCdeg(s.yawRad) / 100) % 360,
    throttle: s.landed === 'on_ground' ? 0 : Math.min(100, Math.round((50 * (s.powerW - ctx.cfg.avionicsPowerW)) / hover)),
  });
}

export function batteryStatus(s: SimState, ctx: TelemetryContext): MavLinkData {
  const cfg = ctx.cfg;
  const v = batteryVoltageV(s, cfg);
  const cells = Math.max(1, Math.round(cfg.battNominalV / 3.7));
  const usedJ = cfg.battCapacityJ - s.batteryJ;
  const voltages = Array.from({ length: 10 }, (_, i) => (i < cells ? Math.round((v / cells) * 1000) : 65535));
  const pct = remainingPct(s, cfg);
  return make(common.BatteryStatus, {
    currentConsumed: Math.round(((usedJ / cfg.battNominalV) * 1000) / 3600),
    energyConsumed: Math.round(usedJ / 100),
    temperature: 32767,
    voltages,
    currentBattery: clampI16((s.powerW / v) * 100),
    id: 0,
    batteryFunction: 1,
    type: 3,
    batteryRemaining: pct,
    timeRemaining: s.powerW > 0 ? Math.round(s.batteryJ / s.powerW) : 0,
    chargeState: s.batteryJ <= cfg.battCriticalJ ? 3 : pct < 20 ? 2 : 1,
    voltagesExt: [0, 0, 0, 0],
    mode: 0,
    faultBitmask: 0,
  });
}

export function homePosition(s: SimState, _ctx: TelemetryContext): MavLinkData {
  return make(common.HomePosition, {
    latitude: degE7(s.origin.latDeg),
    longitude: degE7(s.origin.lonDeg),
    altitude: Math.round(s.origin.altAmslM * 1000),
    x: 0, y: 0, z: 0, q: [1, 0, 0, 0], approachX: 0, approachY: 0, approachZ: 0,
    timeUsec: BigInt(Math.round(s.tUs)),
  });
}

const LANDED = { on_ground: 1, in_air: 2, takeoff: 3, landing: 4 } as const;
export function extendedSysState(s: SimState, _ctx: TelemetryContext): MavLinkData {
  return make(common.ExtendedSysState, { vtolState: 0, landedState: LANDED[s.landed] });
}

export function missionCurrent(s: SimState, ctx: TelemetryContext): MavLinkData {
  // MISSION_STATE: 1 no mission, 2 not started, 3 active, 5 complete.
  const behaviourMission = modeByName(ctx.cfg.flavour, s.mode)?.behaviour === 'mission';
  const state = ctx.missionCount === 0 ? 1 : s.missionDone ? 5 : behaviourMission ? 3 : 2;
  return make(common.MissionCurrent, {
    seq: Math.min(s.missionSeq, 65535), total: ctx.missionCount, missionState: state, missionMode: behaviourMission ? 1 : 0,
    missionId: 0, fenceId: 0, rallyPointsId: 0,
  });
}

/** flight_sw_version: major.minor.patch, type OFFICIAL (255). */
const swVersion = (a: number, b: number, c: number) => ((a << 24) | (b << 16) | (c << 8) | 255) >>> 0;

export function autopilotVersion(_s: SimState, ctx: TelemetryContext): MavLinkData {
  const px4 = ctx.cfg.flavour === 'px4';
  return make(standard.AutopilotVersion, {
    capabilities: BigInt(capabilities(ctx.cfg)),
    uid: BigInt(0x5541_5600 + ctx.cfg.sysid),
    flightSwVersion: px4 ? swVersion(1, 15, 0) : swVersion(4, 5, 7),
    middlewareSwVersion: 0,
    osSwVersion: 0,
    boardVersion: 0,
    vendorId: 0,
    productId: 0,
    flightCustomVersion: [0, 0, 0, 0, 0, 0, 0, 0],
    middlewareCustomVersion: [0, 0, 0, 0, 0, 0, 0, 0],
    osCustomVersion: [0, 0, 0, 0, 0, 0, 0, 0],
    uid2: Array.from({ length: 18 }, () => 0),
  });
}

export function protocolVersion(): MavLinkData {
  return make(ProtocolVersion, { version: 200, minVersion: 100, maxVersion: 200 });
}

/** Builders by message id, for streams and REQUEST_MESSAGE. */
export const BUILDERS: Readonly<Record<number, (s: SimState, ctx: TelemetryContext) => MavLinkData>> = {
  [MSG.HEARTBEAT]: heartbeat,
  [MSG.SYS_STATUS]: sysStatus,
  [MSG.GPS_RAW_INT]: gpsRawInt,
  [MSG.ATTITUDE]: attitude,
  [MSG.LOCAL_POSITION_NED]: localPositionNed,
  [MSG.GLOBAL_POSITION_INT]: globalPositionInt,
  [MSG.MISSION_CURRENT]: missionCurrent,
  [MSG.VFR_HUD]: vfrHud,
  [MSG.BATTERY_STATUS]: batteryStatus,
  [MSG.AUTOPILOT_VERSION]: autopilotVersion,
  [MSG.HOME_POSITION]: homePosition,
  [MSG.EXTENDED_SYS_STATE]: extendedSysState,
  [MSG.PROTOCOL_VERSION]: () => protocolVersion(),
};

export function statusText(severity: number, text: string): MavLinkData {
  return make(common.StatusText, { severity, text: text.slice(0, 50), id: 0, chunkSeq: 0 });
}
