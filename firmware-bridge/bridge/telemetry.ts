/**
 * Pure telemetry reducer: folds one message from the autopilot into `VehicleState`
 * (MAVLINK.md §2). Unknown/invalid sentinel values (UINT16_MAX volts, −1 %) become undefined.
 */
import type { MavLinkData } from 'node-mavlink';
import type { LandedState, VehicleState } from '../vehicle.ts';
import { decodeMode, flavourOf } from './modes.ts';

type Fields = Record<string, number>;

const LANDED: Record<number, LandedState> = { 0: 'unknown', 1: 'on_ground', 2: 'in_air', 3: 'takeoff', 4: 'landing' };

export function initialState(tUs: number): VehicleState {
  return { tUs, connected: false, flavour: 'unknown', armed: false, mode: 'other', modeRaw: '', landed: 'unknown' };
}

/** Returns the new state, or undefined when `name` does not affect the state. */
export function applyTelemetry(s: VehicleState, name: string, message: MavLinkData, tUs: number): VehicleState | undefined {
  const m = message as unknown as Fields;
  switch (name) {
    case 'HEARTBEAT': {
      const flavour = flavourOf(m.autopilot!);
      const { mode, raw } = decodeMode(flavour, m.baseMode!, m.customMode!);
      return { ...s, tUs, flavour, armed: (m.baseMode! & 128) !== 0, mode, modeRaw: raw, systemStatus: m.systemStatus! };
    }
    case 'EXTENDED_SYS_STATE':
      return { ...s, tUs, landed: LANDED[m.landedState!] ?? 'unknown' };
    case 'LOCAL_POSITION_NED':
      return { ...s, tUs, positionNedM: { x: m.x!, y: m.y!, z: m.z! }, velocityNedMS: { x: m.vx!, y: m.vy!, z: m.vz! } };
    case 'GLOBAL_POSITION_INT':
      return {
        ...s,
        tUs,
        global: { latDeg: m.lat! / 1e7, lonDeg: m.lon! / 1e7, altAmslM: m.alt! / 1000, relAltM: m.relativeAlt! / 1000 },
      };
    case 'ATTITUDE':
      return { ...s, tUs, attitudeRad: { x: m.roll!, y: m.pitch!, z: m.yaw! } };
    case 'SYS_STATUS': {
      const out: VehicleState = { ...s, tUs };
      setOrDelete(out, 'batteryVoltageV', m.voltageBattery === 65535 ? undefined : m.voltageBattery! / 1000);
      setOrDelete(out, 'batteryCurrentA', m.currentBattery === -1 ? undefined : m.currentBattery! / 100);
      setOrDelete(out, 'batteryRemainingPct', m.batteryRemaining === -1 ? undefined : m.batteryRemaining);
      return out;
    }
    case 'BATTERY_STATUS': {
      if (m.id !== 0) return undefined;
      const out: VehicleState = { ...s, tUs };
      setOrDelete(out, 'batteryConsumedJ', m.energyConsumed === -1 ? undefined : m.energyConsumed! * 100);
      if (m.batteryRemaining !== -1) out.batteryRemainingPct = m.batteryRemaining!;
      if (m.currentBattery !== -1) out.batteryCurrentA = m.currentBattery! / 100;
      return out;
    }
    case 'HOME_POSITION': {
      const home = { latDeg: m.latitude! / 1e7, lonDeg: m.longitude! / 1e7, altAmslM: m.altitude! / 1000, relAltM: 0 };
      return { ...s, tUs, home };
    }
    default:
      return undefined;
  }
}

function setOrDelete<K extends keyof VehicleState>(s: VehicleState, k: K, v: VehicleState[K] | undefined): void {
  if (v === undefined) delete s[k];
  else s[k] = v;
}
