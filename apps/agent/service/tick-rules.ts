/**
 * The control loop's decisions (control.ts), pure: the tick's time step, which flight phase a tick
 * leaves the agent in and whether it streams a setpoint, odometry, battery energy and the tally of
 * envelope reasons.
 */
import type { VehicleState, Vec3 } from '../../../firmware-bridge/vehicle.ts';
import type { Phase } from '../telemetry.ts';

/** Seconds since the last tick; the nominal period on the first. */
export function tickDtS(lastTickUs: number | undefined, nowUs: number, controlRateHz: number): number {
  return lastTickUs === undefined ? 1 / controlRateHz : (nowUs - lastTickUs) / 1e6;
}

/** The phases in which the agent streams setpoints to the autopilot. */
export function inAir(phase: Phase): boolean {
  return phase === 'flying' || phase === 'takeoff';
}

/**
 * Controller silence is measured from takeoff on: on the ground nothing flies, and during the
 * takeoff the controller is waiting for the fleet to be airborne (it sends no slot clock yet).
 */
export function silenceEvent(phase: Phase): 'resume' | 'tick' {
  return phase === 'ground' || phase === 'takeoff' ? 'resume' : 'tick';
}

/**
 * The autopilot flies its own return or landing (the plan's RTL or LAND, the mission-end RTL among
 * them, or a failsafe RTL): the failsafe does not judge the controller's silence then (failsafe.ts).
 */
export function returning(phase: Phase): boolean {
  return phase === 'rtl' || phase === 'landing';
}

export function reachedTakeoffAlt(s: VehicleState, takeoffAltM: number): boolean {
  return (s.global?.relAltM ?? 0) >= 0.9 * takeoffAltM;
}

/**
 * The phase a tick leaves the agent in and whether it flies (streams a setpoint): back on the
 * ground once a return or landing ends disarmed; an ArduPilot takeoff climbs on its own until
 * 90 % of the takeoff altitude (no setpoints), then the agent flies.
 */
export function tickGate(phase: Phase, s: VehicleState, takeoffAltM: number): { phase: Phase; fly: boolean } {
  if ((phase === 'rtl' || phase === 'landing') && !s.armed && s.landed !== 'in_air') return { phase: 'ground', fly: false };
  const reached = reachedTakeoffAlt(s, takeoffAltM);
  if (phase === 'takeoff' && s.flavour === 'ardupilot' && !reached) return { phase, fly: false };
  if (phase === 'takeoff' && reached) return { phase: 'flying', fly: true };
  return { phase, fly: inAir(phase) };
}

/** Energy left in the battery, J, from the autopilot's state of charge. */
export function batteryJ(s: VehicleState, capacityJ: number): number | undefined {
  return s.batteryRemainingPct === undefined ? undefined : (s.batteryRemainingPct / 100) * capacityJ;
}

export interface Odometry {
  distanceM: number;
  maxAltM: number;
  lastPos: Vec3 | undefined;
}

/** Distance flown and highest altitude after moving to `p` (NED, m). */
export function odometryStep(o: Odometry, p: Vec3): Odometry {
  const last = o.lastPos;
  return {
    distanceM: last ? o.distanceM + Math.hypot(p.x - last.x, p.y - last.y, p.z - last.z) : o.distanceM,
    maxAltM: Math.max(o.maxAltM, -p.z),
    lastPos: p,
  };
}

/** Counts each envelope reason under its prefix (before ':'), in place. */
export function tallyReasons(counts: Record<string, number>, reasons: readonly string[]): void {
  for (const r of reasons) {
    const k = r.replace(/:.*/, '');
    counts[k] = (counts[k] ?? 0) + 1;
  }
}
