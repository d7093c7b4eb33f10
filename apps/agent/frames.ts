/**
 * Frame conversions the agent needs: the autopilot's geodetic position to the mission frame
 * (NED about the mission origin; the contract's mission frame is x east, y north, alt up), and
 * the controller's fleet state to the envelope's neighbour list. Pure.
 */
import type { VehicleState, Vec3 } from '../../firmware-bridge/vehicle.ts';
import { geoToNed, type GeoPoint } from '../../core/geo.ts';
import type { FleetState } from '../../proto/index.ts';
import { missionToNed } from './flight/guidance.ts';
import type { FleetEntry } from './safety/separation.ts';

/** Mission-frame NED position (north, east, down) from the autopilot's global position. */
export function positionNed(origin: GeoPoint, s: VehicleState): Vec3 | undefined {
  if (!s.global) return undefined;
  return geoToNed(origin, { latDeg: s.global.latDeg, lonDeg: s.global.lonDeg, altAmslM: s.global.altAmslM });
}

export function homeNed(origin: GeoPoint, s: VehicleState): Vec3 | undefined {
  return s.home ? geoToNed(origin, s.home) : undefined;
}

/** NED → mission (east, north, alt). */
export const nedToMission = (p: Vec3): [number, number, number] => [p.y, p.x, -p.z];

/** The other UAVs as the envelope's separation check wants them. */
export function fleetEntries(fleet: FleetState | undefined, selfId: number): FleetEntry[] {
  if (!fleet) return [];
  return fleet.members
    .filter((m) => m.uav_id !== selfId && m.position)
    .map((m) => ({
      id: String(m.uav_id),
      posNedM: missionToNed(m.position!),
      ...(m.velocity ? { velNedMS: { x: m.velocity.vy_north_m_s, y: m.velocity.vx_east_m_s, z: -m.velocity.vz_up_m_s } } : {}),
      tUs: m.reported_t_us,
    }));
}

export function memberPos(fleet: FleetState | undefined, id: number): [number, number, number] | undefined {
  const m = fleet?.members.find((x) => x.uav_id === id)?.position;
  return m ? [m.x_east_m, m.y_north_m, m.alt_m] : undefined;
}
