/**
 * Flying a stored mission (MISSION_ITEM_INT items) in AUTO / AUTO.MISSION. Supported items:
 * NAV_WAYPOINT (16: p1 hold s, p2 acceptance radius m), NAV_LOITER_UNLIM (17), NAV_LOITER_TIME
 * (19: p1 s), NAV_RETURN_TO_LAUNCH (20), NAV_LAND (21), NAV_TAKEOFF (22), DO_CHANGE_SPEED (178:
 * p2 m/s). Anything else is skipped with a STATUSTEXT. ArduPilot keeps home at seq 0 and starts at 1.
 */
import { geoToNed, horiz, norm, sub, type GeoPoint, type Vec3 } from '../../../core/geo.ts';
import type { VehicleConfig } from './params.ts';
import { SEVERITY, type MissionItem, type Nav, type SimEvent, type SimState } from './types.ts';

export const MAV_CMD = {
  NAV_WAYPOINT: 16,
  NAV_LOITER_UNLIM: 17,
  NAV_LOITER_TIME: 19,
  NAV_RETURN_TO_LAUNCH: 20,
  NAV_LAND: 21,
  NAV_TAKEOFF: 22,
  DO_CHANGE_SPEED: 178,
} as const;

const GLOBAL_AMSL = new Set([0, 5]);
const GLOBAL_REL = new Set([3, 6, 10, 11]);

/**
 * Item position in local NED, or undefined when the item has no position. Global lat/lon 0/0
 * means "here" (ArduPilot's convention), keeping the current horizontal position.
 */
export function itemPositionNed(item: MissionItem, origin: GeoPoint, here: Vec3): Vec3 | undefined {
  if (item.frame === 1) return { x: item.x / 1e4, y: item.y / 1e4, z: item.z };
  const amsl = GLOBAL_AMSL.has(item.frame);
  if (!amsl && !GLOBAL_REL.has(item.frame)) return undefined;
  const z = amsl ? -(item.z - origin.altAmslM) : -item.z;
  if (item.x === 0 && item.y === 0) return { x: here.x, y: here.y, z };
  const ned = geoToNed(origin, { latDeg: item.x / 1e7, lonDeg: item.y / 1e7, altAmslM: origin.altAmslM });
  return { x: ned.x, y: ned.y, z };
}

export function firstMissionSeq(flavour: VehicleConfig['flavour']): number {
  return flavour === 'ardupilot' ? 1 : 0;
}

export interface MissionStep {
  state: SimState;
  events: SimEvent[];
  /** Set when the mission hands over to another mode (RTL item, or end of mission on PX4). */
  switchTo?: 'rtl' | 'hold';
}

/** Advances the mission logic one step and sets `nav`. Pure. */
export function missionStep(s: SimState, cfg: VehicleConfig): MissionStep {
  const events: SimEvent[] = [];
  let st = s;
  for (let guard = 0; guard < 64; guard++) {
    const item = st.mission[st.missionSeq];
    if (!item) {
      if (!st.missionDone) events.push({ kind: 'statustext', severity: SEVERITY.INFO, text: 'Mission complete' });
      const hold: Nav = st.nav.kind === 'hold' ? st.nav : { kind: 'brake' };
      st = { ...st, missionDone: true, nav: st.landed === 'on_ground' ? { kind: 'idle' } : hold };
      return cfg.flavour === 'px4' && !s.missionDone ? { state: st, events, switchTo: 'hold' } : { state: st, events };
    }
    const advance = (reached: boolean): void => {
      if (reached) events.push({ kind: 'mission_item_reached', seq: st.missionSeq });
      st = { ...st, missionSeq: st.missionSeq + 1, missionHoldUntilUs: undefined };
      events.push({ kind: 'mission_current', seq: st.missionSeq });
    };
    const pos = itemPositionNed(item, st.origin, st.posM);
    const speed = st.missionSpeedMS ?? cfg.cruiseSpeedMS;
    switch (item.command) {
      case MAV_CMD.DO_CHANGE_SPEED:
        st = item.param2 > 0 ? { ...st, missionSpeedMS: Math.min(item.param2, cfg.maxHorizSpeedMS) } : st;
        advance(false);
        continue;
      case MAV_CMD.NAV_RETURN_TO_LAUNCH:
        advance(true);
        return { state: st, events, switchTo: 'rtl' };
      case MAV_CMD.NAV_TAKEOFF: {
        const altM = pos ? -pos.z : item.z;
        if (-st.posM.z >= altM - 0.5) {
          advance(true);
          continue;
        }
        st = { ...st, nav: { kind: 'takeoff', posM: { x: st.posM.x, y: st.posM.y, z: -altM } } };
        return { state: st, events };
      }
      case MAV_CMD.NAV_LAND: {
        const p = pos ?? st.posM;
        if (st.landed === 'on_ground' && st.nav.kind === 'land') {
          advance(true);
          continue;
        }
        const dh = horiz(sub(p, st.posM));
        if (st.nav.kind !== 'land' && dh > cfg.acceptRadiusM) {
          st = { ...st, nav: { kind: 'goto', posM: { x: p.x, y: p.y, z: Math.min(st.posM.z, -1) }, speedMS: speed } };
        } else if (st.nav.kind !== 'land') {
          st = { ...st, nav: { kind: 'land', north: p.x, east: p.y } };
        }
        return { state: st, events };
      }
      case MAV_CMD.NAV_WAYPOINT:
      case MAV_CMD.NAV_LOITER_UNLIM:
      case MAV_CMD.NAV_LOITER_TIME: {
        const p = pos ?? st.posM;
        const radius = item.command === MAV_CMD.NAV_WAYPOINT && item.param2 > 0 ? item.param2 : cfg.acceptRadiusM;
        st = { ...st, nav: { kind: 'goto', posM: p, speedMS: speed } };
        if (st.missionHoldUntilUs === undefined && norm(sub(p, st.posM)) > radius) return { state: st, events };
        if (item.command === MAV_CMD.NAV_LOITER_UNLIM) return { state: st, events };
        const holdS = Math.max(0, item.param1);
        if (st.missionHoldUntilUs === undefined) {
          if (holdS === 0) {
            advance(true);
            continue;
          }
          events.push({ kind: 'mission_item_reached', seq: st.missionSeq });
          st = { ...st, missionHoldUntilUs: st.tUs + holdS * 1e6 };
          return { state: st, events };
        }
        if (st.tUs >= st.missionHoldUntilUs) {
          st = { ...st, missionSeq: st.missionSeq + 1, missionHoldUntilUs: undefined };
          events.push({ kind: 'mission_current', seq: st.missionSeq });
          continue;
        }
        return { state: st, events };
      }
      default:
        events.push({ kind: 'statustext', severity: SEVERITY.WARNING, text: `Skipping unsupported mission item ${item.command}` });
        advance(false);
    }
  }
  return { state: st, events };
}
