/**
 * Radio channel models of the four source papers (SPEC §3), as pure functions of plain numbers.
 * Units are SI: metres, watts, hertz, bits/s. Fading draws come only from an injected `Rng`;
 * without one, the functions return the mean channel power gain.
 */
import type { Rng } from '../rng.ts';

export type Vec3 = readonly [number, number, number];

/** Speed of light (m/s). */
export const SPEED_OF_LIGHT = 299_792_458;

/** dBm → W: `10^((dBm − 30)/10)` (SPEC "Units"). */
export function dbmToW(dbm: number): number {
  return 10 ** ((dbm - 30) / 10);
}

/** W → dBm, the inverse of `dbmToW`. */
export function wToDbm(w: number): number {
  return 10 * Math.log10(w) + 30;
}

/** dB → linear power ratio. */
export function dbToLinear(db: number): number {
  return 10 ** (db / 10);
}

/** Euclidean distance between two 3D points (m). */
export function distance3(a: Vec3, b: Vec3): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

/** Horizontal (x, y) distance between two points (m). */
export function horizontalDistance(a: Vec3, b: Vec3): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

/** Shannon rate `B · log2(1 + snr)` (bits/s). */
export function shannonRate(bandwidthHz: number, snr: number): number {
  return bandwidthHz * Math.log2(1 + snr);
}

// ---------------------------------------------------------------------------------------------
// S0: MED → UAV (M2U), SPEC §3 "S0 (M2U)"
// ---------------------------------------------------------------------------------------------

/**
 * S0 M2U channel power gain `|g_ij|² = d^(−γ)` (SPEC §3, γ = 4), times an Exp(1) Rayleigh
 * power-fading sample when `rng` is given.
 */
export function m2uGain(distanceM: number, gamma = 4, rng?: Rng): number {
  const mean = distanceM ** -gamma;
  return rng ? mean * rng.exponential() : mean;
}

/**
 * S0 M2U capacity `C_ij = b_j · log2(1 + |g_ij|² p_i / σ²)` (SPEC §3; log2 is the SPEC [choice]).
 * Pass `rng` for a Rayleigh-faded sample, omit it for the mean-gain capacity.
 */
export function m2uRate(bandwidthHz: number, distanceM: number, txPowerW: number, noiseW: number, gamma = 4, rng?: Rng): number {
  return shannonRate(bandwidthHz, (m2uGain(distanceM, gamma, rng) * txPowerW) / noiseW);
}

// ---------------------------------------------------------------------------------------------
// S1: UAV–user Rician and UAV–UAV LoS, SPEC §3 "S1"
// ---------------------------------------------------------------------------------------------

export interface S1RicianParams {
  /** Rician factor S (linear). */
  kFactor: number;
  /** Reference channel gain g0 at 1 m (linear). */
  g0: number;
  /** Path-loss exponent α. */
  alpha: number;
}

/** Draws a circularly-symmetric complex normal CN(0, 1) as [re, im]. */
function complexNormal(rng: Rng): [number, number] {
  return [rng.normal() * Math.SQRT1_2, rng.normal() * Math.SQRT1_2];
}

/**
 * |h|² for a Rician channel `h = (√(K/(K+1))·h_LoS + √(1/(K+1))·h_NLoS) · √(gain)` with
 * `|h_LoS| = 1` (phase 0 without loss of generality) and `h_NLoS ~ CN(0,1)` (SPEC §3 S1/S2).
 * Without `rng` returns the mean `E|h|² = gain`.
 */
export function ricianPowerGain(kFactor: number, largeScaleGain: number, rng?: Rng): number {
  if (!rng) return largeScaleGain;
  const [re, im] = complexNormal(rng);
  const los = Math.sqrt(kFactor / (kFactor + 1));
  const nlos = Math.sqrt(1 / (kFactor + 1));
  const hr = los + nlos * re;
  const hi = nlos * im;
  return (hr * hr + hi * hi) * largeScaleGain;
}

/** S1 UAV–user |h|² with `l = √(‖q−w‖² + H²)` (i.e. the 3D distance) and gain `g0 · l^(−α)` (SPEC §3 S1). */
export function s1UserGain(p: S1RicianParams, distanceM: number, rng?: Rng): number {
  return ricianPowerGain(p.kFactor, p.g0 * distanceM ** -p.alpha, rng);
}

/**
 * S1 user↔UAV rate `b·B_max·log2(1 + P_m|h|² / (b σ²))` (SPEC §3 S1): `share` is the bandwidth
 * share b ∈ (0, 1], `noiseW` the noise power σ² over the full band B_max.
 */
export function s1UserRate(share: number, bMaxHz: number, txPowerW: number, powerGain: number, noiseW: number): number {
  if (share <= 0) return 0;
  return share * bMaxHz * Math.log2(1 + (txPowerW * powerGain) / (share * noiseW));
}

/** S1 UAV–UAV LoS rate `B_max log2(1 + P_u h0 l^(−α) / σ²)` (SPEC §3 S1). */
export function s1UavUavRate(bMaxHz: number, txPowerW: number, h0: number, alpha: number, distanceM: number, noiseW: number): number {
  return shannonRate(bMaxHz, (txPowerW * h0 * distanceM ** -alpha) / noiseW);
}

// ---------------------------------------------------------------------------------------------
// S2: D2D and UD→UAV Rician, SPEC §3 "S2"
// ---------------------------------------------------------------------------------------------

export interface S2RicianParams {
  /** Reference gain β0 at 1 m (linear). */
  beta0: number;
  /** Path-loss exponent χ. */
  chi: number;
  /** Rician factor Γ (linear). */
  gamma: number;
}

/** S2 |h|² with `h = √(β0 d^(−χ)) (√(Γ/(1+Γ)) η + √(1/(Γ+1)) η̃)` (SPEC §3 S2). */
export function s2Gain(p: S2RicianParams, distanceM: number, rng?: Rng): number {
  return ricianPowerGain(p.gamma, p.beta0 * distanceM ** -p.chi, rng);
}

/** S2 rate `B log2(1 + P |h|² / σ0²)` — D2D with B0, UD→UAV with B (SPEC §3 S2). */
export function s2Rate(bandwidthHz: number, txPowerW: number, powerGain: number, noiseW: number): number {
  return shannonRate(bandwidthHz, (txPowerW * powerGain) / noiseW);
}

// ---------------------------------------------------------------------------------------------
// S3: probabilistic-LoS G2A and free-space A2A, SPEC §3 "S3"
// ---------------------------------------------------------------------------------------------

export interface S3ChannelParams {
  /** Carrier frequency f_c (Hz); SPEC [choice] 2 GHz. */
  carrierHz: number;
  /** Environment constant a (9.61). */
  losA: number;
  /** Environment constant b (0.16). */
  losB: number;
  /** Excess path loss for LoS η_LoS (dB); SPEC [choice] 1 dB. */
  etaLosDb: number;
  /** Excess path loss for NLoS η_NLoS (dB); SPEC [choice] 20 dB. */
  etaNlosDb: number;
  /** G2A noise power σ² (W). */
  noiseG2AW: number;
  /** A2A noise power (W). */
  noiseA2AW: number;
  /** Coverage-cone half-angle θ_max (degrees); SPEC [choice] 60°. */
  thetaMaxDeg: number;
}

/** Elevation angle (degrees) from the ground user up to the UAV. */
export function elevationDeg(user: Vec3, uav: Vec3): number {
  return (Math.atan2(uav[2] - user[2], horizontalDistance(user, uav)) * 180) / Math.PI;
}

/** `P_LoS = 1 / (1 + a·exp(−b(θ − a)))`, θ in degrees (SPEC §3 S3). */
export function losProbability(thetaDeg: number, a: number, b: number): number {
  return 1 / (1 + a * Math.exp(-b * (thetaDeg - a)));
}

/** Free-space path loss `20·log10(4π f_c d / c)` (dB) (SPEC §3 S3). */
export function fsplDb(carrierHz: number, distanceM: number): number {
  return 20 * Math.log10((4 * Math.PI * carrierHz * distanceM) / SPEED_OF_LIGHT);
}

/** Mean G2A path loss `PL = FSPL + P_LoS·η_LoS + (1−P_LoS)·η_NLoS` (dB) (SPEC §3 S3). */
export function g2aPathLossDb(p: S3ChannelParams, user: Vec3, uav: Vec3): number {
  const pLos = losProbability(elevationDeg(user, uav), p.losA, p.losB);
  return fsplDb(p.carrierHz, distance3(user, uav)) + pLos * p.etaLosDb + (1 - pLos) * p.etaNlosDb;
}

/**
 * G2A spectral efficiency `log2(1 + P_i·10^(−PL/10) / σ²)` (bits/s/Hz) (SPEC §3 S3). The noise σ²
 * is a power, not a density, so the efficiency does not depend on the allocated bandwidth — the
 * property the KKT closed forms of SPEC §5.1 rely on.
 */
export function g2aSpectralEfficiency(p: S3ChannelParams, user: Vec3, uav: Vec3, txPowerW: number): number {
  return Math.log2(1 + (txPowerW * 10 ** (-g2aPathLossDb(p, user, uav) / 10)) / p.noiseG2AW);
}

/** G2A rate `r_ik = B_ik log2(1 + P_i·10^(−PL/10) / σ²)` (SPEC §3 S3). */
export function g2aRate(p: S3ChannelParams, user: Vec3, uav: Vec3, txPowerW: number, bandwidthHz: number): number {
  return bandwidthHz * g2aSpectralEfficiency(p, user, uav, txPowerW);
}

/** A2A (UAV→UAV) spectral efficiency, free-space path loss only (SPEC §3 S3). */
export function a2aSpectralEfficiency(p: S3ChannelParams, from: Vec3, to: Vec3, txPowerW: number): number {
  const d = Math.max(distance3(from, to), 1e-3);
  return Math.log2(1 + (txPowerW * 10 ** (-fsplDb(p.carrierHz, d) / 10)) / p.noiseA2AW);
}

/** A2A rate `B log2(1 + P_u·10^(−FSPL/10) / σ²)` (SPEC §3 S3). */
export function a2aRate(p: S3ChannelParams, from: Vec3, to: Vec3, txPowerW: number, bandwidthHz: number): number {
  return bandwidthHz * a2aSpectralEfficiency(p, from, to, txPowerW);
}

/** Coverage radius `R_k = H_k · tan(θ_max)` (SPEC §3 S3), H the UAV height above the user plane. */
export function coverageRadius(heightM: number, thetaMaxDeg: number): number {
  return Math.max(heightM, 0) * Math.tan((thetaMaxDeg * Math.PI) / 180);
}

/** Whether the UAV's coverage cone contains the user: horizontal distance ≤ (H_uav − z_user)·tan θ_max. */
export function covers(uav: Vec3, user: Vec3, thetaMaxDeg: number): boolean {
  return horizontalDistance(uav, user) <= coverageRadius(uav[2] - user[2], thetaMaxDeg);
}
