/**
 * Guidance: turns the plan's flight command into a desired velocity in the mission NED frame
 * (north, east, down). The safety envelope then bounds it (speed, acceleration, fence, separation)
 * before anything reaches the autopilot. Pure.
 *
 * GOTO/WAYPOINTS fly straight at the target; the speed is the one from which the UAV can still
 * stop (or slow to a corner speed) at the target with the deceleration it will actually get:
 *
 * SPEC has no section on flight control: these are point-mass kinematics, the whole profile is
 * [choice] of this module.
 * - Braking. The envelope bounds every command change by |Δv| ≤ a·dt (safety/envelope.ts step 4,
 *   `maxAccelMS2`, one isotropic bound for all axes, so the profile uses one a as well); the
 *   profile brakes at a_b = `brakeFraction`·a ([choice] 0.8: the remaining 20 % absorb the
 *   envelope's per-tick quantisation and the vehicle's tracking error, so the envelope never has
 *   to cut a braking wish — a cut wish is what made the UAVs overshoot).
 * - Lag. A command computed from the position measured now takes effect about τ later (one
 *   control tick until the next command replaces it, plus half a tick of the envelope's stepwise
 *   deceleration); meanwhile the UAV flies on at s, so s·τ is added to the stopping distance.
 * - Capture. Near the target a pure √ profile has unbounded gain and chatters; below the speed
 *   a_b/k it is linear, v = k·d_eff, the form of ArduPilot's `sqrt_controller`, which joins the
 *   √ branch with equal value and slope.
 *
 * Stopping distance from speed s (all three terms):
 *   D(s) = s·τ + s/k                        for s ≤ a_b/k
 *   D(s) = s·τ + s²/(2·a_b) + a_b/(2·k²)    for s > a_b/k
 * and the commanded speed at distance d is its inverse, s = D⁻¹(d), capped by the cruise speed,
 * the envelope's speed bound and, along the flight direction u, its vertical bound (s·|u_z| ≤ v_z).
 * To pass a waypoint at speed v_c instead of stopping there, s = D⁻¹(d + D(v_c)).
 */
import type { Vec3 } from '../../../firmware-bridge/vehicle.ts';
import type { EnvelopeConfig } from '../safety/config.ts';

/** What the operator sets (AgentConfig.guidance). */
export interface GuidanceParams {
  /** Cruise speed, m/s (a plan's speed_m_s replaces it). */
  speedMS: number;
  /** A waypoint counts as reached within this distance, m; also the corner-swing tolerance. */
  reachedM: number;
  /** a_b / the envelope's maxAccelMS2; default 0.8 (see the module comment). */
  brakeFraction?: number;
  /**
   * Gain of the linear capture zone, 1/s; default 1.5. [choice] With the one-tick loop delay the
   * discrete capture x' = x − k·dt·x(t − dt) is free of oscillation for k·dt ≤ 1/4 (k ≤ 2.5 at
   * 10 Hz); 1.5 keeps a margin for the autopilot's own velocity-tracking lag.
   */
  captureGainPerS?: number;
}

export const DEFAULT_GUIDANCE: GuidanceParams = { speedMS: 8, reachedM: 1.5 };

/** Everything the speed profile needs, resolved from the operator's params and the envelope. */
export interface GuidanceProfile {
  /** Speed cap: min(cruise, envelope maxSpeedMS), m/s. */
  cruiseMS: number;
  /** The envelope's |v_z| bound, m/s. */
  maxVerticalMS: number;
  /** a_b, m/s². */
  brakeAccelMS2: number;
  /** τ, s. */
  lagS: number;
  /** k, 1/s. */
  gainPerS: number;
  reachedM: number;
}

/**
 * The profile for this agent: a_b = brakeFraction · the envelope's maxAccelMS2, τ = 1.5 control
 * ticks (one tick of command lag + half a tick of stepwise braking), cruise capped by the envelope.
 */
export function guidanceProfile(
  g: GuidanceParams,
  env: Pick<EnvelopeConfig, 'maxSpeedMS' | 'maxVerticalSpeedMS' | 'maxAccelMS2'>,
  controlRateHz: number,
  planSpeedMS?: number,
): GuidanceProfile {
  const cruise = planSpeedMS !== undefined && planSpeedMS > 0 ? planSpeedMS : g.speedMS;
  return {
    cruiseMS: Math.min(cruise, env.maxSpeedMS),
    maxVerticalMS: env.maxVerticalSpeedMS,
    brakeAccelMS2: (g.brakeFraction ?? 0.8) * env.maxAccelMS2,
    lagS: 1.5 / controlRateHz,
    gainPerS: g.captureGainPerS ?? 1.5,
    reachedM: g.reachedM,
  };
}

/** D(s): distance needed to stop from speed s under the profile (module comment), m. */
export function stoppingDistanceM(s: number, p: GuidanceProfile): number {
  const a = p.brakeAccelMS2;
  const k = p.gainPerS;
  const v = Math.max(0, s);
  return v * p.lagS + (v <= a / k ? v / k : (v * v) / (2 * a) + a / (2 * k * k));
}

/** D⁻¹(d): the largest speed that still stops within d metres, m/s. */
export function profileSpeedMS(d: number, p: GuidanceProfile): number {
  const a = p.brakeAccelMS2;
  const k = p.gainPerS;
  const tau = p.lagS;
  if (!(d > 0)) return 0;
  if (d <= a / (k * k) + (a * tau) / k) return d / (tau + 1 / k);
  return -a * tau + Math.sqrt(a * a * tau * tau + 2 * a * (d - a / (2 * k * k)));
}

/** Mission-frame position (x east, y north, alt up) → NED (north, east, down). */
export function missionToNed(p: { x_east_m: number; y_north_m: number; alt_m: number }): Vec3 {
  return { x: p.y_north_m, y: p.x_east_m, z: -p.alt_m };
}

const sub = (a: Vec3, b: Vec3): Vec3 => ({ x: a.x - b.x, y: a.y - b.y, z: a.z - b.z });
const len = (a: Vec3): number => Math.hypot(a.x, a.y, a.z);

/** Velocity along `dir` (not normalised, length `dist`) at speed `speed`, capped by cruise and |v_z|. */
function along(dir: Vec3, dist: number, speed: number, p: GuidanceProfile): Vec3 {
  if (dist < 1e-6) return { x: 0, y: 0, z: 0 };
  const uz = Math.abs(dir.z) / dist;
  const s = Math.min(speed, p.cruiseMS, uz > 0 ? p.maxVerticalMS / uz : Infinity);
  return { x: (dir.x / dist) * s, y: (dir.y / dist) * s, z: (dir.z / dist) * s };
}

/** Velocity towards `target` from `pos`, NED, arriving there at `endSpeedMS` (default: stopped). */
export function velocityTowards(pos: Vec3, target: Vec3, p: GuidanceProfile, endSpeedMS = 0): Vec3 {
  const d = sub(target, pos);
  const dist = len(d);
  const extra = endSpeedMS > 0 ? stoppingDistanceM(endSpeedMS, p) : 0;
  return along(d, dist, profileSpeedMS(dist + extra, p), p);
}

/**
 * Speed at which a corner of turn angle θ (between the incoming and outgoing directions) may be
 * flown so that turning with acceleration a_b swings at most `reachedM` off the path. Turning
 * from v·u1 to v·u2 at a constant acceleration a (the envelope moves the command straight from
 * one to the other) leaves the outgoing line by v²·sin(θ/2)·sin θ / a; beyond 90° the UAV also
 * runs past the corner along u1 by v² / (2a·sin(θ/2)). [choice] The swing tolerance is the
 * capture radius: a waypoint counts as visited within it anyway.
 */
export function cornerSpeedMS(u1: Vec3, u2: Vec3, p: GuidanceProfile): number {
  const n1 = len(u1);
  const n2 = len(u2);
  if (n1 < 1e-9 || n2 < 1e-9) return 0;
  const c = Math.max(-1, Math.min(1, (u1.x * u2.x + u1.y * u2.y + u1.z * u2.z) / (n1 * n2)));
  const th = Math.acos(c);
  const h = Math.sin(th / 2);
  const lateral = h * Math.sin(th);
  const f = th <= Math.PI / 2 ? lateral : Math.max(lateral, 1 / (2 * h));
  return f < 1e-12 ? p.cruiseMS : Math.min(p.cruiseMS, Math.sqrt((p.reachedM * p.brakeAccelMS2) / f));
}

/** Corner speed for an unknown incoming direction: the sharpest case of `cornerSpeedMS` (θ ≈ 109.5°). */
function worstCornerSpeedMS(p: GuidanceProfile): number {
  const th = 2 * Math.acos(1 / Math.sqrt(3));
  return cornerSpeedMS({ x: 1, y: 0, z: 0 }, { x: Math.cos(th), y: Math.sin(th), z: 0 }, p);
}

/**
 * Velocity to fly a tour: towards waypoints[index], at the largest speed from which every later
 * corner can still be taken at its corner speed and the last waypoint reached at rest (the path
 * length to each is |pos − w_index| plus the legs in between).
 *
 * Leaving waypoint index − 1 the speed is also held to the mirror profile, D⁻¹(|pos − w_prev| +
 * D(v_c)): the corner-speed bound assumes the turn is made at constant speed, but the envelope
 * moves the command straight towards the wish, so a wish for full speed on the new leg would
 * spend most of the |Δv| budget on accelerating and little on cancelling the old direction
 * (a 5 m swing at a 90° corner in the point-mass test). [choice] For the first leg's start the
 * incoming direction is unknown and the sharpest corner is assumed.
 */
export function tourVelocity(pos: Vec3, waypoints: readonly Vec3[], index: number, p: GuidanceProfile): Vec3 {
  const i = Math.max(0, Math.min(index, waypoints.length - 1));
  const d0 = sub(waypoints[i]!, pos);
  const dist0 = len(d0);
  let path = dist0;
  let speed = Infinity;
  if (i > 0) {
    const prev = waypoints[i - 1]!;
    const out = sub(waypoints[i]!, prev);
    const vPrev = i > 1 ? cornerSpeedMS(sub(prev, waypoints[i - 2]!), out, p) : worstCornerSpeedMS(p);
    speed = profileSpeedMS(len(sub(pos, prev)) + stoppingDistanceM(vPrev, p), p);
  }
  let inbound = d0;
  for (let j = i; j < waypoints.length; j++) {
    if (j > i) {
      const leg = sub(waypoints[j]!, waypoints[j - 1]!);
      path += len(leg);
      if (len(leg) > 1e-6) inbound = leg;
    }
    const outbound = j + 1 < waypoints.length ? sub(waypoints[j + 1]!, waypoints[j]!) : undefined;
    const vEnd = outbound && len(outbound) > 1e-6 ? cornerSpeedMS(inbound, outbound, p) : outbound ? Infinity : 0;
    if (vEnd === Infinity) continue;
    speed = Math.min(speed, profileSpeedMS(path + (vEnd > 0 ? stoppingDistanceM(vEnd, p) : 0), p));
    if (vEnd === 0) break;
  }
  return along(d0, dist0, speed, p);
}

/** Index of the waypoint to fly to: advances past every waypoint already within `reachedM`. */
export function nextWaypoint(pos: Vec3, waypoints: readonly Vec3[], from: number, reachedM: number): number {
  let i = from;
  while (i < waypoints.length - 1) {
    const w = waypoints[i]!;
    if (Math.hypot(w.x - pos.x, w.y - pos.y, w.z - pos.z) > reachedM) break;
    i++;
  }
  return i;
}
