/** The simulator's full true state of one vehicle (not on the wire): tests, benchmarks, experiments. */
import { nedToGeo, type GeoPoint, type Vec3 } from '../../../core/geo.ts';
import type { AutopilotFlavour, VehicleConfig } from '../core/params.ts';
import type { FailsafeKind, LandedState, SimState } from '../core/types.ts';

/** Everything the simulator knows, for tests, benchmarks and experiments (not on the wire). */
export interface VehicleTruth {
  sysid: number;
  flavour: AutopilotFlavour;
  tUs: number;
  mode: string;
  armed: boolean;
  landed: LandedState;
  positionNedM: Vec3;
  velocityNedMS: Vec3;
  global: GeoPoint & { relAltM: number };
  yawRad: number;
  batteryRemainingJ: number;
  batteryCapacityJ: number;
  energyUsedJ: { propulsion: number; avionics: number; compute: number; total: number };
  powerW: number;
  failsafes: readonly FailsafeKind[];
  missionSeq: number;
  missionCount: number;
}

export function buildTruth(sysid: number, flavour: AutopilotFlavour, s: SimState, cfg: VehicleConfig, missionCount: number): VehicleTruth {
  const g = nedToGeo(s.origin, s.posM);
  const e = s.energy;
  return {
    sysid, flavour, tUs: s.tUs, mode: s.mode, armed: s.armed, landed: s.landed,
    positionNedM: { ...s.posM }, velocityNedMS: { ...s.velMS }, global: { ...g, relAltM: -s.posM.z }, yawRad: s.yawRad,
    batteryRemainingJ: s.batteryJ, batteryCapacityJ: cfg.battCapacityJ,
    energyUsedJ: { propulsion: e.propulsionJ, avionics: e.avionicsJ, compute: e.computeJ, total: e.propulsionJ + e.avionicsJ + e.computeJ },
    powerW: s.powerW, failsafes: [...s.failsafes], missionSeq: s.missionSeq, missionCount,
  };
}
