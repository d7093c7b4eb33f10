/**
 * The vehicle's health stream: HEARTBEAT (mode, armed, MAV_STATE), SYS_STATUS (sensors present,
 * enabled and healthy; battery), BATTERY_STATUS, EXTENDED_SYS_STATE (landed state), STATUSTEXT.
 */
import type { MavLinkData } from 'node-mavlink';
import { common, minimal } from '../../../../firmware-bridge/mavlink/messages.ts';
import { MODE_FLAG, modeByName } from '../../core/modes.ts';
import type { VehicleConfig } from '../../core/params.ts';
import { preArmFailure } from '../../core/vehicle.ts';
import type { SimState } from '../../core/types.ts';
import { clampI16, make, type TelemetryContext } from './make.ts';

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

const LANDED = { on_ground: 1, in_air: 2, takeoff: 3, landing: 4 } as const;
export function extendedSysState(s: SimState, _ctx: TelemetryContext): MavLinkData {
  return make(common.ExtendedSysState, { vtolState: 0, landedState: LANDED[s.landed] });
}

export function statusText(severity: number, text: string): MavLinkData {
  return make(common.StatusText, { severity, text: text.slice(0, 50), id: 0, chunkSeq: 0 });
}
