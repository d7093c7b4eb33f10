import { dbmToW, dbToLinear, s1UavUavRate, s1UserGain, s1UserRate } from '../../../core/models/channel.ts';
import { S2_ROTOR, hoverPowerW, propulsionPowerW } from '../../../core/models/propulsion.ts';
import type { RotorParams } from '../../../core/models/propulsion.ts';

/**
 * Physical parameters of the computing-power-pool scenario (SPEC §5.3, S1 §3, §5.1). S1's
 * parameter table (Table S2) is in the supplementary material, not in the extracted text; every
 * value not printed in S1's body is a [choice] marked below.
 */
export interface PoolParams {
  /** Fixed flight height H (m). [choice] */
  readonly heightM: number;
  /** Cruise speed used on every leg (m/s), ≤ vMaxMS. [choice] default = maximum-range speed. */
  readonly cruiseMS: number;
  /** V_max of S1 Eq. (1). [choice] */
  readonly vMaxMS: number;
  /** d_min of S1 Eq. (1). [choice] */
  readonly dMinM: number;
  /** B_max (Hz), shared by the UAV–user and UAV–UAV links (S1 Eq. 4, 8). [choice] */
  readonly bandwidthHz: number;
  /** User transmit power P_m (W). [choice] */
  readonly userTxW: number;
  /** UAV transmit power P_u (W). [choice] */
  readonly uavTxW: number;
  /** Noise power σ² over B_max (W). [choice] */
  readonly noiseW: number;
  /** Reference gains at 1 m, g0 (UAV–user) and h0 (UAV–UAV), linear. [choice] */
  readonly g0: number;
  readonly h0: number;
  /** Path-loss exponent α and Rician factor S (S1 Eq. 2). [choice] */
  readonly alpha: number;
  readonly ricianK: number;
  /** γ: weight of moving energy in the objective (S1 problem P). [choice] */
  readonly gamma: number;
}

export const DEFAULT_POOL_PARAMS: PoolParams = {
  heightM: 100,
  cruiseMS: 15,
  vMaxMS: 20,
  dMinM: 10,
  bandwidthHz: 1e6,
  userTxW: 0.1,
  uavTxW: 1,
  noiseW: dbmToW(-100),
  g0: dbToLinear(-40),
  h0: dbToLinear(-40),
  alpha: 2,
  ricianK: 10,
  gamma: 1,
};

/** One UAV of the pool. */
export interface UavSpec {
  readonly id: string;
  /** Start point l_{n,init} (horizontal, m); the tour starts and ends there (S1 Eq. 1). */
  readonly startX: number;
  readonly startY: number;
  /** CPU frequency levels (Hz), ascending; the last is f_n^max (S1 §3.5). */
  readonly freqLevelsHz: readonly number[];
  /** κ_n (SPEC §4 [choice] 1e-28…1e-27). */
  readonly kappa: number;
  /** E_n^0 of S1 constraint (19) (J). */
  readonly energyBudgetJ: number;
  readonly motion: MotionModel;
}

/**
 * Movement power. S1 §3.4 uses flight energy `0.5 M v²` per slot (Eq. 10) and a hover power
 * `η√η / (φ √(2π q r² ρ))` (§3.4.2); SPEC §4 gives the rotary-wing model. Both are provided.
 * The default is the rotary-wing model from `core/models/propulsion.ts` (SPEC §4): under S1's
 * Eq. (10) flying slower is always cheaper and flying costs less than hovering, so a UAV would
 * rather crawl than wait; the rotary-wing model has the physical hover ≈ slow-flight power.
 */
export interface MotionModel {
  readonly name: string;
  flightPowerW(vMS: number): number;
  readonly hoverPowerW: number;
}

export function rotaryWingMotion(rotor: RotorParams = S2_ROTOR): MotionModel {
  return { name: 'rotary-wing (SPEC §4)', flightPowerW: (v) => propulsionPowerW(v, rotor), hoverPowerW: hoverPowerW(rotor) };
}

export interface S1Airframe {
  readonly massKg: number;
  readonly rotors: number;
  /** Rotor radius (m); S1 writes "diameter" but the formula is momentum theory with r the radius. */
  readonly rotorRadiusM: number;
  /** Power efficiency φ. */
  readonly efficiency: number;
  readonly airDensity: number;
}

/** S1: 20 kg UAVs (§5.1); rotor geometry and φ are [choice]. */
export const S1_AIRFRAME: S1Airframe = { massKg: 20, rotors: 4, rotorRadiusM: 0.25, efficiency: 0.7, airDensity: 1.225 };

/** S1 §3.4.2 hover power with η = M g (thrust equals weight in hover). */
export function s1HoverPowerW(a: S1Airframe = S1_AIRFRAME): number {
  const eta = a.massKg * 9.81;
  return (eta * Math.sqrt(eta)) / (a.efficiency * Math.sqrt(2 * Math.PI * a.rotors * a.rotorRadiusM ** 2 * a.airDensity));
}

/** S1 Eq. (10) read as power: `0.5 M v²` W while flying at v, plus §3.4.2 hover power. */
export function s1Motion(a: S1Airframe = S1_AIRFRAME): MotionModel {
  return { name: 'S1 Eq. 10 + §3.4.2', flightPowerW: (v) => 0.5 * a.massKg * v * v, hoverPowerW: s1HoverPowerW(a) };
}

/** Default UAV CPU: levels 1.5–3 GHz, κ = 1e-27 [choice], battery 500 kJ [choice]. */
export function defaultUav(id: string, startX: number, startY: number, motion: MotionModel = rotaryWingMotion()): UavSpec {
  return { id, startX, startY, freqLevelsHz: [1.5e9, 2e9, 2.5e9, 3e9], kappa: 1e-27, energyBudgetJ: 5e5, motion };
}

/**
 * Start points for N UAVs: S1's two corners (0,0) and (A,A) for N = 2; otherwise spread evenly
 * along the square's perimeter starting at (0,0) [choice].
 */
export function startPoints(n: number, areaM: number): [number, number][] {
  if (n === 2) return [[0, 0], [areaM, areaM]];
  const pts: [number, number][] = [];
  for (let k = 0; k < n; k++) {
    let s = (4 * areaM * k) / n;
    const side = Math.floor(s / areaM);
    s -= side * areaM;
    pts.push(side === 0 ? [s, 0] : side === 1 ? [areaM, s] : side === 2 ? [areaM - s, areaM] : [0, areaM - s]);
  }
  return pts;
}

/** Expected UAV–user rate while hovering at horizontal distance `dh` with share b (S1 Eq. 2–4, mean |h|²). */
export function userRateBps(p: PoolParams, share: number, dh: number): number {
  const l = Math.sqrt(dh * dh + p.heightM * p.heightM);
  return s1UserRate(share, p.bandwidthHz, p.userTxW, s1UserGain({ kFactor: p.ricianK, g0: p.g0, alpha: p.alpha }, l), p.noiseW);
}

/** UAV–UAV LoS rate at distance d (S1 Eq. 8); UAVs closer than 1 m are treated as 1 m apart. */
export function uavRateBps(p: PoolParams, d: number): number {
  return s1UavUavRate(p.bandwidthHz, p.uavTxW, p.h0, p.alpha, Math.max(1, d), p.noiseW);
}
