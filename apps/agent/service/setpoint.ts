/**
 * What the agent would fly this tick before the safety envelope, pure: climb during the takeoff,
 * else the plan's flight mode — GOTO a target, a WAYPOINTS tour, hover otherwise. POLICY is the
 * policy driver's (an ONNX inference, in the shell).
 */
import type { Setpoint, Vec3 } from '../../../firmware-bridge/vehicle.ts';
import { FlightMode, type Plan } from '../../../proto/index.ts';
import { missionToNed, nextWaypoint, tourVelocity, velocityTowards, type GuidanceProfile } from '../flight/guidance.ts';
import type { Phase } from '../telemetry.ts';

/** Zero velocity: hover where the vehicle is. */
export function still(): Setpoint {
  return { kind: 'velocity_ned', velocityMS: { x: 0, y: 0, z: 0 } };
}

export interface SetpointInput {
  phase: Phase;
  flight: Plan['flight'];
  /** Mission-frame NED position, m. */
  pos: Vec3;
  guidance: GuidanceProfile;
  takeoffAltM: number;
  /** The waypoint flown to so far (WAYPOINTS). */
  waypoint: number;
  /** Whether a policy driver is there to fly POLICY plans. */
  hasPolicy: boolean;
}

export type SetpointChoice = { kind: 'policy' } | { kind: 'setpoint'; setpoint: Setpoint; waypoint: number };

export function chooseSetpoint(i: SetpointInput): SetpointChoice {
  const { flight: f, pos, guidance: g } = i;
  const fly = (velocityMS: Vec3, waypoint = i.waypoint): SetpointChoice => ({ kind: 'setpoint', setpoint: { kind: 'velocity_ned', velocityMS }, waypoint });
  if (i.phase === 'takeoff') return fly(velocityTowards(pos, { x: pos.x, y: pos.y, z: -i.takeoffAltM }, g));
  if (f?.mode === FlightMode.FLIGHT_MODE_POLICY && i.hasPolicy) return { kind: 'policy' };
  if (f?.mode === FlightMode.FLIGHT_MODE_GOTO && f.target) return fly(velocityTowards(pos, missionToNed(f.target), g));
  if (f?.mode === FlightMode.FLIGHT_MODE_WAYPOINTS && f.waypoints.length) {
    const wps = f.waypoints.map(missionToNed);
    const w = nextWaypoint(pos, wps, i.waypoint, g.reachedM);
    return fly(tourVelocity(pos, wps, w, g), w);
  }
  return fly({ x: 0, y: 0, z: 0 });
}
