/**
 * The autopilot's parameter table, per flavour, with the real firmware names, units, types and
 * defaults (ArduCopter 4.5 / PX4 1.15), plus a few `SIM_*` simulator parameters, and the mapping
 * from that table to the SI `VehicleConfig` the vehicle core uses.
 *
 * Battery: SPEC §4's 20 kJ budget (S2) would last ~2.5 min of hover at 138 W, so the default is a
 * realistic 6S 5000 mAh pack: 5 Ah × 22.2 V = 111 Wh ≈ 399.6 kJ (BATT_CAPACITY / BAT1_CAPACITY).
 * Set the capacity parameter to 250 mAh to get S2's 20 kJ.
 */
import { fail, ok, type Result } from '../../../core/result.ts';
import { S2_ROTOR, type RotorParams } from '../../../core/models/propulsion.ts';

export type AutopilotFlavour = 'ardupilot' | 'px4';

/** MAV_PARAM_TYPE subset used here. */
export type ParamType = 'UINT8' | 'INT8' | 'INT16' | 'INT32' | 'REAL32';
export const MAV_PARAM_TYPE: Record<ParamType, number> = { UINT8: 1, INT8: 2, INT16: 4, INT32: 6, REAL32: 9 };

export interface ParamSpec {
  name: string;
  type: ParamType;
  def: number;
  min: number;
  max: number;
  units: string;
  desc: string;
}

const p = (name: string, type: ParamType, def: number, min: number, max: number, units: string, desc: string): ParamSpec => ({
  name, type, def, min, max, units, desc,
});

/** ArduCopter parameters (a real subset; cm and cm/s where ArduPilot uses them). */
export const ARDUPILOT_PARAMS: readonly ParamSpec[] = [
  p('SYSID_THISMAV', 'INT16', 1, 1, 255, '', 'MAVLink system id of this vehicle'),
  p('SYSID_MYGCS', 'INT16', 255, 1, 255, '', 'System id of the ground station'),
  p('ARMING_CHECK', 'INT32', 1, 0, 0x7fffffff, '', 'Pre-arm checks bitmask (0 = none, 1 = all)'),
  p('DISARM_DELAY', 'INT8', 10, 0, 127, 's', 'Disarm after this long landed and idle (0 = never)'),
  p('WPNAV_SPEED', 'REAL32', 1000, 10, 2000, 'cm/s', 'Waypoint horizontal speed'),
  p('WPNAV_SPEED_UP', 'REAL32', 250, 10, 1000, 'cm/s', 'Waypoint climb speed'),
  p('WPNAV_SPEED_DN', 'REAL32', 150, 10, 500, 'cm/s', 'Waypoint descent speed'),
  p('WPNAV_ACCEL', 'REAL32', 250, 50, 500, 'cm/s/s', 'Waypoint horizontal acceleration'),
  p('WPNAV_ACCEL_Z', 'REAL32', 100, 50, 500, 'cm/s/s', 'Vertical acceleration'),
  p('WPNAV_RADIUS', 'REAL32', 200, 5, 1000, 'cm', 'Waypoint acceptance radius'),
  p('LOIT_SPEED', 'REAL32', 1250, 20, 3500, 'cm/s', 'Maximum horizontal speed (loiter / guided velocity)'),
  p('LAND_SPEED', 'INT16', 50, 30, 200, 'cm/s', 'Final descent speed'),
  p('LAND_SPEED_HIGH', 'INT16', 0, 0, 500, 'cm/s', 'Descent speed above LAND_ALT_LOW (0 = WPNAV_SPEED_DN)'),
  p('LAND_ALT_LOW', 'INT16', 1000, 100, 10000, 'cm', 'Altitude where the final descent begins'),
  p('RTL_ALT', 'INT32', 1500, 200, 300000, 'cm', 'Return altitude'),
  p('RTL_SPEED', 'INT16', 0, 0, 2000, 'cm/s', 'Return speed (0 = WPNAV_SPEED)'),
  p('FENCE_ENABLE', 'INT8', 0, 0, 1, '', 'Geofence enable'),
  p('FENCE_TYPE', 'INT8', 7, 0, 15, '', 'Fence types bitmask: 1 max altitude, 2 circle, 4 polygon (box here), 8 min altitude'),
  p('FENCE_ACTION', 'INT8', 1, 0, 5, '', 'Breach action: 0 report, 1 RTL or land, 2 land, 3 SmartRTL or RTL, 4 brake or land, 5 SmartRTL or land'),
  p('FENCE_ALT_MAX', 'REAL32', 100, 10, 1000, 'm', 'Fence maximum altitude'),
  p('FENCE_RADIUS', 'REAL32', 300, 30, 10000, 'm', 'Circular fence radius around home'),
  p('FS_GCS_ENABLE', 'INT8', 0, 0, 7, '', 'GCS failsafe: 0 off, 1 RTL, 2 continue (RTL here), 3 SmartRTL or RTL, 4 SmartRTL or land, 5 land, 6 DO_LAND_START or RTL, 7 brake or land'),
  p('FS_GCS_TIMEOUT', 'REAL32', 5, 2, 120, 's', 'GCS heartbeat loss time before the failsafe'),
  p('BATT_CAPACITY', 'INT32', 5000, 0, 1000000, 'mAh', 'Battery capacity'),
  p('BATT_ARM_MAH', 'INT32', 0, 0, 1000000, 'mAh', 'Remaining capacity required to arm'),
  p('BATT_CRT_MAH', 'REAL32', 0, 0, 1000000, 'mAh', 'Critical remaining capacity (land)'),
  p('SIM_BATT_VOLTAGE', 'REAL32', 22.2, 1, 60, 'V', 'Simulated pack nominal voltage'),
  p('SIM_GPS_DISABLE', 'INT8', 0, 0, 1, '', 'Simulated GPS disabled (no fix)'),
  p('SIM_WIND_SPD', 'REAL32', 0, 0, 40, 'm/s', 'Simulated wind speed'),
  p('SIM_WIND_DIR', 'REAL32', 180, 0, 360, 'deg', 'Simulated wind direction (from)'),
  p('SIM_AVIONICS_W', 'REAL32', 10, 0, 500, 'W', 'Avionics power draw (sim)'),
  p('SIM_FENCE_BOX_N', 'REAL32', 0, 0, 100000, 'm', 'Box fence half-extent north (sim; used when FENCE_TYPE has bit 4)'),
  p('SIM_FENCE_BOX_E', 'REAL32', 0, 0, 100000, 'm', 'Box fence half-extent east (sim; used when FENCE_TYPE has bit 4)'),
];

/** PX4 parameters (a real subset; SI units). */
export const PX4_PARAMS: readonly ParamSpec[] = [
  p('MAV_SYS_ID', 'INT32', 1, 1, 250, '', 'MAVLink system id'),
  p('MAV_TYPE', 'INT32', 2, 0, 40, '', 'MAV_TYPE'),
  p('COM_DISARM_PRFLT', 'REAL32', 10, -1, 20, 's', 'Disarm if armed on the ground without takeoff (≤0 = off)'),
  p('COM_DISARM_LAND', 'REAL32', 2, -1, 20, 's', 'Disarm after landing (≤0 = off)'),
  p('COM_OF_LOSS_T', 'REAL32', 1, 0, 60, 's', 'Offboard setpoint loss timeout'),
  p('COM_OBL_RC_ACT', 'INT32', 0, 0, 7, '', 'Offboard loss action: 0 position, 1 altitude, 2 manual, 3 return, 4 land, 5 hold, 6 terminate, 7 disarm'),
  p('NAV_DLL_ACT', 'INT32', 0, 0, 6, '', 'Data link loss action: 0 off, 1 hold, 2 return, 3 land, 5 terminate, 6 disarm'),
  p('COM_DL_LOSS_T', 'INT32', 10, 5, 300, 's', 'Data link loss timeout'),
  p('MPC_XY_VEL_MAX', 'REAL32', 12, 0, 20, 'm/s', 'Maximum horizontal speed'),
  p('MPC_XY_CRUISE', 'REAL32', 5, 3, 20, 'm/s', 'Default horizontal speed in missions'),
  p('MPC_Z_VEL_MAX_UP', 'REAL32', 3, 0.5, 8, 'm/s', 'Maximum climb speed'),
  p('MPC_Z_VEL_MAX_DN', 'REAL32', 1.5, 0.5, 4, 'm/s', 'Maximum descent speed'),
  p('MPC_ACC_HOR', 'REAL32', 3, 2, 15, 'm/s^2', 'Horizontal acceleration'),
  p('MPC_ACC_UP_MAX', 'REAL32', 4, 2, 15, 'm/s^2', 'Vertical acceleration (used both ways here)'),
  p('MPC_LAND_SPEED', 'REAL32', 0.7, 0.6, 4, 'm/s', 'Final landing speed'),
  p('MPC_LAND_ALT2', 'REAL32', 5, 0, 122, 'm', 'Altitude below which MPC_LAND_SPEED applies'),
  p('MPC_TKO_SPEED', 'REAL32', 1.5, 1, 5, 'm/s', 'Takeoff climb rate'),
  p('NAV_ACC_RAD', 'REAL32', 2, 0.05, 200, 'm', 'Waypoint acceptance radius'),
  p('MIS_TAKEOFF_ALT', 'REAL32', 2.5, 0, 80, 'm', 'Default takeoff altitude'),
  p('RTL_RETURN_ALT', 'REAL32', 60, 0, 150, 'm', 'Return altitude above home (reduced near home: RTL_MIN_DIST, RTL_CONE_ANG)'),
  p('RTL_MIN_DIST', 'REAL32', 10, 0.5, 1000, 'm', 'Radius around home within which the return altitude follows RTL_CONE_ANG'),
  p('RTL_CONE_ANG', 'INT32', 45, 0, 90, 'deg', 'Half-angle of the return altitude cone (0 = always RTL_RETURN_ALT)'),
  p('GF_ACTION', 'INT32', 2, 0, 5, '', 'Geofence action: 0 none, 1 warning, 2 hold, 3 return, 4 terminate, 5 land'),
  p('GF_MAX_HOR_DIST', 'REAL32', 0, 0, 10000, 'm', 'Maximum distance from home (0 = off)'),
  p('GF_MAX_VER_DIST', 'REAL32', 0, 0, 10000, 'm', 'Maximum height above home (0 = off)'),
  p('BAT1_CAPACITY', 'REAL32', 5000, -1, 100000, 'mAh', 'Battery capacity'),
  p('BAT1_N_CELLS', 'INT32', 6, 1, 16, '', 'Cells in series (3.7 V nominal each)'),
  p('BAT_LOW_THR', 'REAL32', 0.15, 0.12, 0.5, '', 'Low battery threshold (arming refused below it)'),
  p('BAT_CRIT_THR', 'REAL32', 0.07, 0.05, 0.5, '', 'Critical battery threshold (land)'),
  p('SIM_GPS_BLOCK', 'INT32', 0, 0, 1, '', 'Simulated GPS blocked (no fix)'),
  p('SIM_WIND_SPD', 'REAL32', 0, 0, 40, 'm/s', 'Simulated wind speed'),
  p('SIM_WIND_DIR', 'REAL32', 180, 0, 360, 'deg', 'Simulated wind direction (from)'),
  p('SIM_AVIONICS_W', 'REAL32', 10, 0, 500, 'W', 'Avionics power draw (sim)'),
  p('SIM_FENCE_BOX_N', 'REAL32', 0, 0, 100000, 'm', 'Box fence half-extent north (sim; replaces the circle when > 0)'),
  p('SIM_FENCE_BOX_E', 'REAL32', 0, 0, 100000, 'm', 'Box fence half-extent east (sim; replaces the circle when > 0)'),
];

export function paramSpecs(flavour: AutopilotFlavour): readonly ParamSpec[] {
  return flavour === 'px4' ? PX4_PARAMS : ARDUPILOT_PARAMS;
}

/** Parameter values by name; an immutable snapshot. */
export type ParamValues = Readonly<Record<string, number>>;

export function defaultParams(flavour: AutopilotFlavour, overrides: Record<string, number> = {}): ParamValues {
  const out: Record<string, number> = {};
  for (const s of paramSpecs(flavour)) out[s.name] = s.def;
  for (const [k, v] of Object.entries(overrides)) {
    const r = setParam(flavour, out, k, v);
    if (!r.ok) throw new RangeError(`${r.reason}: ${r.detail ?? k}`);
    out[k] = r.value[k]!;
  }
  return out;
}

export type ParamError = 'unknown_param' | 'out_of_range' | 'not_a_number';

/** Validates and sets one parameter (integers are rounded); returns the new table. */
export function setParam(flavour: AutopilotFlavour, values: ParamValues, name: string, value: number): Result<ParamValues, ParamError> {
  const spec = paramSpecs(flavour).find((s) => s.name === name);
  if (!spec) return fail('unknown_param', name);
  if (!Number.isFinite(value)) return fail('not_a_number', `${name}=${value}`);
  const v = spec.type === 'REAL32' ? Math.fround(value) : Math.round(value);
  if (v < spec.min || v > spec.max) return fail('out_of_range', `${name}=${v} not in [${spec.min}, ${spec.max}]`);
  return ok({ ...values, [name]: v });
}

export type FailsafeAction = 'none' | 'report' | 'hold' | 'rtl' | 'land' | 'disarm';

export interface FenceConfig {
  enabled: boolean;
  /** Horizontal shape around home; 'none' leaves only the altitude limit. */
  shape: 'none' | 'cylinder' | 'box';
  radiusM: number;
  boxHalfNorthM: number;
  boxHalfEastM: number;
  /** Max height above home, m (Infinity = none). */
  altMaxM: number;
  action: FailsafeAction;
}

/** Everything the vehicle core needs, in SI units, flavour-neutral. */
export interface VehicleConfig {
  flavour: AutopilotFlavour;
  sysid: number;
  maxHorizSpeedMS: number;
  cruiseSpeedMS: number;
  rtlSpeedMS: number;
  maxClimbMS: number;
  maxDescentMS: number;
  takeoffClimbMS: number;
  accelHorizMS2: number;
  accelVertMS2: number;
  landSpeedLowMS: number;
  landSpeedHighMS: number;
  landAltLowM: number;
  acceptRadiusM: number;
  rtlAltM: number;
  /**
   * PX4's return-altitude cone (RTL_MIN_DIST, RTL_CONE_ANG): within `minDistM` of home the climb is
   * limited to the cone; undefined = no cone (ArduCopter here: its RTL_CONE_SLOPE is not modelled).
   */
  rtlCone?: { minDistM: number; halfAngleDeg: number };
  defaultTakeoffAltM: number;
  battCapacityJ: number;
  battNominalV: number;
  battArmMinJ: number;
  battCriticalJ: number;
  avionicsPowerW: number;
  gpsAvailable: boolean;
  armingChecks: boolean;
  /** Auto-disarm when armed on the ground without taking off (s, Infinity = never). */
  disarmPreflightS: number;
  fence: FenceConfig;
  gcsLoss: { action: FailsafeAction; timeoutS: number };
  /** PX4 OFFBOARD setpoint loss (COM_OF_LOSS_T / COM_OBL_RC_ACT); unused by ArduPilot. */
  offboardLoss: { action: FailsafeAction; timeoutS: number };
  /** ArduCopter GUIDED velocity-target timeout, fixed at 3 s in firmware (mode_guided.cpp). */
  guidedVelocityTimeoutS: number;
  windFromDeg: number;
  windSpeedMS: number;
  rotor: RotorParams;
}

const MAH_TO_J = (mAh: number, v: number) => (mAh / 1000) * 3600 * v;

/** Maps a parameter table to the vehicle core's configuration. */
export function configFromParams(flavour: AutopilotFlavour, v: ParamValues): VehicleConfig {
  const g = (k: string): number => {
    const x = v[k];
    if (x === undefined) throw new RangeError(`missing parameter ${k}`);
    return x;
  };
  if (flavour === 'ardupilot') {
    const volts = g('SIM_BATT_VOLTAGE');
    const fenceType = g('FENCE_TYPE');
    const box = (fenceType & 4) !== 0 && g('SIM_FENCE_BOX_N') > 0 && g('SIM_FENCE_BOX_E') > 0;
    const fsGcs = g('FS_GCS_ENABLE');
    const fenceAction = g('FENCE_ACTION');
    return {
      flavour,
      sysid: g('SYSID_THISMAV'),
      maxHorizSpeedMS: g('LOIT_SPEED') / 100,
      cruiseSpeedMS: g('WPNAV_SPEED') / 100,
      rtlSpeedMS: (g('RTL_SPEED') || g('WPNAV_SPEED')) / 100,
      maxClimbMS: g('WPNAV_SPEED_UP') / 100,
      maxDescentMS: g('WPNAV_SPEED_DN') / 100,
      takeoffClimbMS: g('WPNAV_SPEED_UP') / 100,
      accelHorizMS2: g('WPNAV_ACCEL') / 100,
      accelVertMS2: g('WPNAV_ACCEL_Z') / 100,
      landSpeedLowMS: g('LAND_SPEED') / 100,
      landSpeedHighMS: (g('LAND_SPEED_HIGH') || g('WPNAV_SPEED_DN')) / 100,
      landAltLowM: g('LAND_ALT_LOW') / 100,
      acceptRadiusM: g('WPNAV_RADIUS') / 100,
      rtlAltM: g('RTL_ALT') / 100,
      defaultTakeoffAltM: 2.5,
      battCapacityJ: MAH_TO_J(g('BATT_CAPACITY'), volts),
      battNominalV: volts,
      battArmMinJ: MAH_TO_J(g('BATT_ARM_MAH'), volts),
      battCriticalJ: MAH_TO_J(g('BATT_CRT_MAH'), volts),
      avionicsPowerW: g('SIM_AVIONICS_W'),
      gpsAvailable: g('SIM_GPS_DISABLE') === 0,
      armingChecks: g('ARMING_CHECK') !== 0,
      disarmPreflightS: g('DISARM_DELAY') > 0 ? g('DISARM_DELAY') : Infinity,
      fence: {
        enabled: g('FENCE_ENABLE') === 1,
        shape: box ? 'box' : (fenceType & 2) !== 0 ? 'cylinder' : 'none',
        radiusM: g('FENCE_RADIUS'),
        boxHalfNorthM: g('SIM_FENCE_BOX_N'),
        boxHalfEastM: g('SIM_FENCE_BOX_E'),
        altMaxM: (fenceType & 1) !== 0 ? g('FENCE_ALT_MAX') : Infinity,
        action: fenceAction === 0 ? 'report' : fenceAction === 2 || fenceAction === 5 ? 'land' : fenceAction === 4 ? 'hold' : 'rtl',
      },
      gcsLoss: {
        action: fsGcs === 0 ? 'none' : fsGcs === 4 || fsGcs === 5 ? 'land' : fsGcs === 7 ? 'hold' : 'rtl',
        timeoutS: g('FS_GCS_TIMEOUT'),
      },
      offboardLoss: { action: 'hold', timeoutS: Infinity },
      guidedVelocityTimeoutS: 3,
      windFromDeg: g('SIM_WIND_DIR'),
      windSpeedMS: g('SIM_WIND_SPD'),
      rotor: S2_ROTOR,
    };
  }
  const volts = g('BAT1_N_CELLS') * 3.7;
  const capJ = MAH_TO_J(Math.max(0, g('BAT1_CAPACITY')), volts);
  const gfAct = g('GF_ACTION');
  const obl = g('COM_OBL_RC_ACT');
  const dll = g('NAV_DLL_ACT');
  const boxed = g('SIM_FENCE_BOX_N') > 0 && g('SIM_FENCE_BOX_E') > 0;
  const toAction = (a: number, table: Record<number, FailsafeAction>): FailsafeAction => table[a] ?? 'hold';
  return {
    flavour,
    sysid: g('MAV_SYS_ID'),
    maxHorizSpeedMS: g('MPC_XY_VEL_MAX'),
    cruiseSpeedMS: g('MPC_XY_CRUISE'),
    rtlSpeedMS: g('MPC_XY_CRUISE'),
    maxClimbMS: g('MPC_Z_VEL_MAX_UP'),
    maxDescentMS: g('MPC_Z_VEL_MAX_DN'),
    takeoffClimbMS: g('MPC_TKO_SPEED'),
    accelHorizMS2: g('MPC_ACC_HOR'),
    accelVertMS2: g('MPC_ACC_UP_MAX'),
    landSpeedLowMS: g('MPC_LAND_SPEED'),
    landSpeedHighMS: g('MPC_Z_VEL_MAX_DN'),
    landAltLowM: g('MPC_LAND_ALT2'),
    acceptRadiusM: g('NAV_ACC_RAD'),
    rtlAltM: g('RTL_RETURN_ALT'),
    rtlCone: { minDistM: g('RTL_MIN_DIST'), halfAngleDeg: g('RTL_CONE_ANG') },
    defaultTakeoffAltM: g('MIS_TAKEOFF_ALT'),
    battCapacityJ: capJ,
    battNominalV: volts,
    battArmMinJ: g('BAT_LOW_THR') * capJ,
    battCriticalJ: g('BAT_CRIT_THR') * capJ,
    avionicsPowerW: g('SIM_AVIONICS_W'),
    gpsAvailable: g('SIM_GPS_BLOCK') === 0,
    armingChecks: true,
    disarmPreflightS: g('COM_DISARM_PRFLT') > 0 ? g('COM_DISARM_PRFLT') : Infinity,
    fence: {
      enabled: gfAct !== 0 && (g('GF_MAX_HOR_DIST') > 0 || g('GF_MAX_VER_DIST') > 0 || boxed),
      shape: boxed ? 'box' : g('GF_MAX_HOR_DIST') > 0 ? 'cylinder' : 'none',
      radiusM: g('GF_MAX_HOR_DIST'),
      boxHalfNorthM: g('SIM_FENCE_BOX_N'),
      boxHalfEastM: g('SIM_FENCE_BOX_E'),
      altMaxM: g('GF_MAX_VER_DIST') > 0 ? g('GF_MAX_VER_DIST') : Infinity,
      // 4 (terminate) is modelled as land: the sim has no free-fall.
      action: toAction(gfAct, { 0: 'none', 1: 'report', 2: 'hold', 3: 'rtl', 4: 'land', 5: 'land' }),
    },
    gcsLoss: {
      action: toAction(dll, { 0: 'none', 1: 'hold', 2: 'rtl', 3: 'land', 4: 'land', 5: 'land', 6: 'disarm' }),
      timeoutS: g('COM_DL_LOSS_T'),
    },
    offboardLoss: {
      // Without RC, PX4 falls back from the position/altitude/manual choices (0–2) to hold.
      action: toAction(obl, { 0: 'hold', 1: 'hold', 2: 'hold', 3: 'rtl', 4: 'land', 5: 'hold', 6: 'land', 7: 'disarm' }),
      timeoutS: g('COM_OF_LOSS_T'),
    },
    guidedVelocityTimeoutS: Infinity,
    windFromDeg: g('SIM_WIND_DIR'),
    windSpeedMS: g('SIM_WIND_SPD'),
    rotor: S2_ROTOR,
  };
}
