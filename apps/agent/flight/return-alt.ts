/**
 * The autopilot's own RTL (the agent's M-slot failsafe, the battery reserve, RTL plans) flies
 * outside the safety envelope: the firmware picks its return altitude. Left at the defaults a
 * PX4 climbs to RTL_RETURN_ALT = 60 m above home whenever it is more than RTL_MIN_DIST = 10 m
 * from home (navigator rtl.cpp, rtl_params.yaml), far above a band of a few tens of metres. So
 * the agent sets the return altitude on every (re)connection, before it launches:
 * PX4 RTL_RETURN_ALT (m), ArduCopter RTL_ALT (cm). Both firmwares return at the current altitude
 * when already higher, and PX4 descends to min(RTL_DESCEND_ALT, return altitude) over home, so
 * neither climbs above max(current altitude, this value).
 * Caveat (real PX4, not modelled by the SITL's 2 m NAV_ACC_RAD): outside NAV_ACC_RAD of home PX4
 * returns at least 2·NAV_ACC_RAD (20 m by default) above home.
 */
import { fail } from '../../../core/result.ts';
import type { AltitudeBand } from '../safety/geofence.ts';
import type { Flavour, ParamResult, ParamType, Vehicle, VehicleState } from '../../../firmware-bridge/vehicle.ts';

export interface ReturnAltParam {
  id: string;
  value: number;
  type: ParamType;
}

/** The parameter that makes `flavour`'s RTL return at ≥ `altM` above home; undefined if unknown. */
export function returnAltitudeParam(flavour: Flavour, altM: number): ReturnAltParam | undefined {
  if (flavour === 'px4') return { id: 'RTL_RETURN_ALT', value: altM, type: 'REAL32' };
  if (flavour === 'ardupilot') return { id: 'RTL_ALT', value: Math.round(altM * 100), type: 'INT32' };
  return undefined;
}

/**
 * [choice] The return altitude: the altitude the agent takes off to (the mission's cruise or start
 * altitude) clamped into the envelope's band less its margin — the operator's chosen flight level,
 * never above the envelope's ceiling. UAVs flying higher keep their own level home.
 */
export function returnAltitudeM(takeoffAltM: number, band: AltitudeBand, marginM: number): number {
  return Math.min(band.maxAltM - marginM, Math.max(band.minAltM + marginM, takeoffAltM));
}

/** Sets the return altitude on the connected autopilot. */
export async function provisionReturnAltitude(vehicle: Vehicle, altM: number): Promise<ParamResult> {
  const p = returnAltitudeParam(vehicle.state().flavour, altM);
  if (!p) return fail('unsupported', `no return-altitude parameter known for flavour ${vehicle.state().flavour}`);
  return vehicle.setParam(p.id, p.value, p.type);
}

/**
 * Provisions the return altitude on every (re)connection of `vehicle`; `ready()` resolves when
 * the latest provisioning finished (launches wait for it). `report` gets the outcome: a failure is
 * reported and the agent flies on — its envelope still bounds everything it commands, only the
 * autopilot's own RTL is not bounded.
 */
export function watchReturnAltitude(vehicle: Vehicle, altM: number, report: (r: ParamResult) => void): { ready(): Promise<void> } {
  let pending: Promise<void> = Promise.resolve();
  let up = false;
  const onState = (s: VehicleState) => {
    if (s.connected && !up) pending = provisionReturnAltitude(vehicle, altM).then(report);
    up = s.connected;
  };
  vehicle.on('state', onState);
  onState(vehicle.state());
  return { ready: () => pending };
}
