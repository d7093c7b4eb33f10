/**
 * Separation from the other UAVs along the *braking path* of a command.
 *
 * Model: the command v is flown for one tick, then the envelope can brake at `aMax` along the same
 * line (|v| shrinking by aMax·dt per tick) until stopped. Checking the whole braking path — not
 * just one tick — makes the check recursively feasible: if last tick's command was accepted, the
 * braking command (v − aMax·dt·v̂) is accepted now against any stationary obstacle, because its
 * braking path is the tail of the old one. Each neighbour is assumed to keep its velocity over
 * the horizon (every UAV runs this envelope, so each one takes care of its own motion).
 *
 * A fresh neighbour's keep-out sphere also grows by growthMS = a_fleet·dt per second of look-ahead:
 * if it also runs this envelope it may change its velocity by up to a·dt before braking, and since
 * braking (v ↦ v·max(0, 1 − a·dt/|v|)) is non-expansive, its path then deviates from the predicted
 * one by at most a·dt·t. This made reciprocal encounters (every UAV running the envelope, no
 * one keeping its velocity) keep ≈ d_min in tests (envelope.coop.test.ts) — measured, not proven.
 *
 * Fleet data is conservative:
 * - fresh with velocity: extrapolated to `nowUs`; keep-out radius d_min + ½·a_fleet·age²;
 * - no velocity, or older than `staleS`: assumed stationary at the last position, keep-out radius
 *   d_min + v_fleet·age (everywhere it could have flown since), capped at d_min + maxUncertaintyM.
 *   An entry is never dropped here: the caller removes UAVs that have landed or left.
 */
import { add, dot, isFiniteVec, minNormOnSegment, norm, scale, sub, unit, ZERO, type Vec3 } from './vec.ts';

export interface FleetEntry {
  id: string;
  posNedM: Vec3;
  velNedMS?: Vec3;
  /** Time of the report, µs. */
  tUs: number;
}

export interface SeparationParams {
  dMinM: number;
  horizonS: number;
  staleS: number;
  fleetMaxSpeedMS: number;
  fleetMaxAccelMS2: number;
  maxUncertaintyM: number;
  /** Keep-out growth for fresh neighbours, m/s of look-ahead; default 0. */
  growthMS?: number;
}

export interface Neighbour {
  id: string;
  /** Predicted position at `nowUs`. */
  pos: Vec3;
  /** Assumed constant velocity over the horizon (zero when unknown or stale). */
  vel: Vec3;
  /** Keep-out radius (d_min plus position uncertainty), m. */
  radiusM: number;
  /** Growth of the keep-out radius over the look-ahead, m/s (a fresh neighbour may change course). */
  growthMS: number;
  stale: boolean;
}

/** Turns fleet reports into neighbours at `nowUs`; entries with non-finite positions are returned in `invalid`. */
export function predictNeighbours(
  fleet: readonly FleetEntry[],
  nowUs: number,
  p: SeparationParams,
  selfId?: string,
): { neighbours: Neighbour[]; invalid: string[] } {
  const neighbours: Neighbour[] = [];
  const invalid: string[] = [];
  for (const f of fleet) {
    if (selfId !== undefined && f.id === selfId) continue;
    if (!isFiniteVec(f.posNedM) || !Number.isFinite(f.tUs)) {
      invalid.push(f.id);
      continue;
    }
    // A report from the future (clock skew) is as uncertain as one equally old.
    const ageS = Math.abs(nowUs - f.tUs) / 1e6;
    const hasVel = isFiniteVec(f.velNedMS);
    const stale = !hasVel || ageS > p.staleS;
    if (!stale) {
      const unc = Math.min(p.maxUncertaintyM, 0.5 * p.fleetMaxAccelMS2 * ageS * ageS);
      neighbours.push({ id: f.id, pos: add(f.posNedM, scale(f.velNedMS!, ageS)), vel: f.velNedMS!, radiusM: p.dMinM + unc, growthMS: p.growthMS ?? 0, stale });
    } else {
      const unc = Math.min(p.maxUncertaintyM, p.fleetMaxSpeedMS * ageS);
      neighbours.push({ id: f.id, pos: f.posNedM, vel: ZERO, radiusM: p.dMinM + unc, growthMS: 0, stale });
    }
  }
  return { neighbours, invalid };
}

/** Speeds per tick of the braking profile: u_k = max(0, |v| − k·aMax·dt), k = 0 … until 0. */
export function brakingSpeeds(speed: number, aMax: number, dt: number): number[] {
  const out: number[] = [];
  for (let k = 0; ; k++) {
    const u = speed - k * aMax * dt;
    if (u <= 0) break;
    out.push(u);
  }
  return out;
}

/** Length of the braking path of a command of magnitude `speed` (m): dt·Σ u_k. */
export function brakingDistanceM(speed: number, aMax: number, dt: number): number {
  return brakingSpeeds(speed, aMax, dt).reduce((s, u) => s + u * dt, 0);
}

export interface SeparationCheck {
  /** min over neighbours and path of (distance − keep-out radius), m; +Infinity with no neighbours. */
  clearanceM: number;
  worstId?: string;
  /** Unit vector from the worst neighbour to us at the closest approach (escape direction). */
  awayDir?: Vec3;
}

/**
 * Closest approach to every neighbour along the braking path of command `v` from `p`, over
 * max(horizon, stopping time). Exact per tick (relative motion is linear within a tick).
 */
export function checkSeparation(p: Vec3, v: Vec3, nbs: readonly Neighbour[], aMax: number, dt: number, horizonS: number): SeparationCheck {
  const res: SeparationCheck = { clearanceM: Infinity };
  if (nbs.length === 0) return res;
  const dir = unit(v);
  const speeds = brakingSpeeds(norm(v), aMax, dt);
  const reach = reachOf(speeds, dt, horizonS);
  for (const nb of nbs) {
    // A neighbour that cannot come closer than the worst one so far within the look-ahead cannot be
    // the worst: skip the path integration (same result; a fleet of 250 made it O(n²) per tick).
    if (clearanceLowerBound(p, nb, reach) > res.clearanceM + LOWER_BOUND_SLACK_M) continue;
    const { best, bestR } = pathClearance(p, dir, speeds, nb, dt, horizonS);
    const c = best - nb.radiusM; // best already has the growth subtracted
    if (c < res.clearanceM) {
      res.clearanceM = c;
      res.worstId = nb.id;
      res.awayDir = norm(bestR) > 0 ? unit(bestR) : unit(sub(p, nb.pos));
    }
  }
  return res;
}

/** Slack on the skip test, m: a skipped neighbour's clearance is at least this above the worst one (rounding). */
const LOWER_BOUND_SLACK_M = 1e-6;

/** How far this UAV can move (braking, then still) and how long the look-ahead lasts. */
function reachOf(speeds: readonly number[], dt: number, horizonS: number): { ownM: number; tS: number } {
  let ownM = 0;
  for (const u of speeds) ownM += Math.abs(u) * dt;
  return { ownM, tS: Math.max(horizonS, speeds.length * dt) };
}

/**
 * A lower bound on `checkSeparation`'s clearance to `nb`: today's distance less how far both can
 * move and the neighbour's sphere can grow within the look-ahead, less its radius.
 */
export function clearanceLowerBound(p: Vec3, nb: Neighbour, reach: { ownM: number; tS: number }): number {
  return norm(sub(p, nb.pos)) - reach.ownM - (norm(nb.vel) + Math.max(0, nb.growthMS)) * reach.tS - nb.radiusM;
}

/**
 * The closest approach to `nb` along this UAV's braking path (then hovering to the horizon), the
 * neighbour flying on at its velocity, less its sphere's growth; and the relative position there.
 */
export function pathClearance(p: Vec3, dir: Vec3, speeds: readonly number[], nb: Neighbour, dt: number, horizonS: number): { best: number; bestR: Vec3 } {
  let own = p;
  let other = nb.pos;
  let t = 0;
  let best = Infinity;
  let bestR: Vec3 = sub(p, nb.pos);
  const step = (ownVel: Vec3, len: number) => {
    const r0 = sub(own, other);
    const d = scale(sub(ownVel, nb.vel), len);
    const m = minNormOnSegment(r0, d) - nb.growthMS * (t + len);
    if (m < best) {
      best = m;
      const s = dot(d, d) === 0 ? 0 : Math.min(1, Math.max(0, -dot(r0, d) / dot(d, d)));
      bestR = add(r0, scale(d, s));
    }
    own = add(own, scale(ownVel, len));
    other = add(other, scale(nb.vel, len));
    t += len;
  };
  for (const u of speeds) step(scale(dir, u), dt);
  if (t < horizonS) step(ZERO, horizonS - t);
  if (speeds.length === 0 && horizonS <= 0) step(ZERO, 0);
  return { best, bestR };
}

/** Clearance after exactly one tick at command v (used to rank recovery options), m. */
export function oneTickClearance(p: Vec3, v: Vec3, nbs: readonly Neighbour[], dt: number): number {
  let c = Infinity;
  for (const nb of nbs) c = Math.min(c, norm(sub(add(p, scale(v, dt)), add(nb.pos, scale(nb.vel, dt)))) - nb.radiusM);
  return c;
}
