/**
 * S2's model in one place (SPEC §5.4, paper S2 §III–IV): the constants the learning env, the
 * controller's slot planner, the agents and the world share. Pure: SI units in and out, except the
 * utilities, which take compute in GHz and prices per GHz as the env does (its doc comment says why).
 */
import { dbmToW, s2Gain, s2Rate, type S2RicianParams } from '../../core/models/channel.ts';
import { createRng, type Rng } from '../../core/rng.ts';

export type P3 = [number, number, number];

/** What of the S2 setting the shared mapping, energies and revenue need (`S2EnvConfig` has all of it). */
export interface S2Model {
  busy: number; idle: number; uavs: number; areaM: number; altitudeM: [number, number]; vMaxMS: number; slotS: number;
  dataBits: [number, number]; cyclesPerBit: [number, number];
  noiseDbm: number; b0Hz: number; b1Hz: number; fkMaxHz: number; fiMaxHz: number; fjMaxHz: number; pdMaxW: number;
  batteryJ: number; kappa: number; s1: number; y1: number; m1: number; m2: number; levelsMbps: number[]; sourceMbps: number;
  priceMax: number; omega: [number, number, number]; uav: S2RicianParams; d2d: S2RicianParams;
}

export const GHZ = 1e9;

/** The fixed device layout of an S2 world: busy UDs, then idle UDs, uniform in the area from `layoutSeed` (the env's draw order). */
export function s2Layout(m: Pick<S2Model, 'busy' | 'idle' | 'areaM'>, layoutSeed: number): { busyPos: P3[]; idlePos: P3[] } {
  const layout = createRng(layoutSeed);
  const ground = (): P3 => [layout.uniform(0, m.areaM), layout.uniform(0, m.areaM), 0];
  const busyPos = Array.from({ length: m.busy }, ground);
  const idlePos = Array.from({ length: m.idle }, ground);
  return { busyPos, idlePos };
}

/** [choice] UAV starts (the env's): evenly spaced along the south edge at H_min (S2 does not give them). */
export function s2Starts(m: Pick<S2Model, 'uavs' | 'areaM' | 'altitudeM'>): P3[] {
  return Array.from({ length: m.uavs }, (_, k) => [((k + 0.5) * m.areaM) / m.uavs, 0, m.altitudeM[0]] as P3);
}

/** Euclidean distance of 2D or 3D points (a missing z is 0: ground devices). */
export const dist = (a: readonly number[], b: readonly number[]): number => Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, (a[2] ?? 0) - (b[2] ?? 0));

/** Index of the point of `set` nearest to `p` (3D distance; the first on ties). S2's Ω_ik and the D2D partner. */
export function nearestIndex(p: readonly number[], set: readonly (readonly number[])[]): number {
  return set.reduce((best, q, j) => (dist(p, q) < dist(p, set[best]!) ? j : best), 0);
}

/**
 * [choice] association (the env's): each busy UD sends ε1 to its nearest UAV and ε2 to its nearest
 * idle UD; a UAV's B1 is split equally among the busy UDs it serves. `perUav[k]` counts them.
 */
export function s2Association(busyPos: readonly P3[], uavPos: readonly P3[], idlePos: readonly P3[]): { access: number[]; helper: number[]; perUav: number[] } {
  const access = busyPos.map((p) => nearestIndex(p, uavPos));
  const helper = busyPos.map((p) => nearestIndex(p, idlePos));
  const perUav = uavPos.map((_, k) => access.filter((x) => x === k).length);
  return { access, helper, perUav };
}

/** Transcoding cycles of `bits` input bits to level `bO` Mbps: C_k = m1·b_O^m2 per bit (SPEC §5.4). */
export function transcodeCycles(m: Pick<S2Model, 'm1' | 'm2'>, bits: number, bOMbps: number): number {
  return m.m1 * bOMbps ** m.m2 * bits;
}

/** Size of `bits` of the source stream transcoded to `bO` Mbps: D' = bits·b_O / source rate. */
export function transcodedBits(m: Pick<S2Model, 'sourceMbps'>, bits: number, bOMbps: number): number {
  return (bits * bOMbps) / m.sourceMbps;
}

/** Transcoding energy s1 f^y1 t with t = cycles / f (SPEC §5.4). */
export function transcodeEnergyJ(m: Pick<S2Model, 's1' | 'y1'>, fHz: number, cycles: number): number {
  return m.s1 * fHz ** m.y1 * (cycles / fHz);
}

/** CPU energy κ f² · bits · C (S2 Eqs. 11, 18, 22; SPEC §4). */
export function cpuEnergyBitsJ(kappa: number, fHz: number, bits: number, cyclesPerBit: number): number {
  return kappa * fHz * fHz * bits * cyclesPerBit;
}

/** Transmission energy P·t with t = bits / rate (S2 Eqs. 13–14, 19–20). */
export function txEnergyJ(powerW: number, bits: number, rateBps: number): number {
  return powerW * (bits / rateBps);
}

/** β_k = 1/(1−ε1) (S2), β_j = 1/(1−ε2) by analogy, each capped at 100; β_i = 1 (the env's [choice]). */
export function s2Betas(e1: number, e2: number): { bI: number; bK: number; bJ: number } {
  return { bI: 1, bK: Math.min(100, 1 / Math.max(1e-9, 1 - e1)), bJ: Math.min(100, 1 / Math.max(1e-9, 1 - e2)) };
}

/**
 * One S2 link (SPEC §3 "S2"): rate B log2(1 + P|h|²/σ0²) with one Rician draw from `rng` at distance
 * `distanceM` (at least 1 m), and how long `bits` take over it. D2D uses B0, the UD→UAV uplink B1's share.
 */
export function s2Transfer(p: S2RicianParams, noiseDbm: number, bandwidthHz: number, txPowerW: number, distanceM: number, bits: number, rng: Rng): { rateBps: number; seconds: number } {
  const rateBps = s2Rate(bandwidthHz, txPowerW, s2Gain(p, Math.max(1, distanceM), rng), dbmToW(noiseDbm));
  return { rateBps, seconds: rateBps > 0 ? bits / rateBps : Infinity };
}

/** Seed of the fading draw of one part's link: the segment and the receiver, so every process draws the same. */
export function linkSeed(taskId: number, receiverId: number): number {
  return (taskId * 7919 + receiverId * 104729) % 2147483647;
}
