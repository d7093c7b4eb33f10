/**
 * S2's observation and action mapping (S2 Eqs. 28–29, SPEC §5.4), shared by the learning env
 * (sim/envs/s2-video.ts) and the controller's slot planner (apps/controller/s2/), so a flown slot
 * decides exactly what the same actor output decides in the env. Pure.
 *
 * Observation: busy-UD positions (x, y), their video sizes D_i (bits), the slot's complexity C
 * (cycles/bit), UAV positions (x, y, z) and UAV remaining energy (J).
 * Action, in physical units (the actor's output), clipped to the bounds here:
 *   e1, e2, e3 — offloading weights, normalised to ratios ε1+ε2+ε3 = 1 (all zero → all local);
 *   fi, fj, fk — CPU of busy UDs / idle UDs / UAVs as fractions of f_max;
 *   pk, pj     — unit prices of UAV / idle-UD compute (per GHz);
 *   level      — transcoding level, [0, 1) → index into b_O;
 *   per UAV k vx, vy, vz at columns 9 + 3k … 11 + 3k, m/s; |v| > v_max is scaled back to v_max.
 */
import { dist, type P3, type S2Model } from './model.ts';

export interface S2Bounds { names: string[]; low: number[]; high: number[] }

/** Names and bounds of the observation columns (the env's spec and the policy metadata). */
export function s2ObservationBounds(m: S2Model): S2Bounds {
  const b: S2Bounds = { names: [], low: [], high: [] };
  const add = (n: string, lo: number, hi: number): void => {
    b.names.push(n);
    b.low.push(lo);
    b.high.push(hi);
  };
  for (let i = 0; i < m.busy; i++) for (const ax of ['x', 'y']) add(`busy${i}.${ax}`, 0, m.areaM);
  for (let i = 0; i < m.busy; i++) add(`busy${i}.D`, m.dataBits[0], m.dataBits[1]);
  add('C', m.cyclesPerBit[0], m.cyclesPerBit[1]);
  for (let k = 0; k < m.uavs; k++) for (const ax of ['x', 'y', 'z']) add(`uav${k}.${ax}`, ax === 'z' ? m.altitudeM[0] : 0, ax === 'z' ? m.altitudeM[1] : m.areaM);
  for (let k = 0; k < m.uavs; k++) add(`uav${k}.E`, 0, m.batteryJ);
  return b;
}

/** Names and bounds of the action columns. */
export function s2ActionBounds(m: S2Model): S2Bounds {
  const names = ['e1', 'e2', 'e3', 'fi', 'fj', 'fk', 'pk', 'pj', 'level'];
  const low = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  const high = [1, 1, 1, 1, 1, 1, m.priceMax, m.priceMax, 1];
  for (let k = 0; k < m.uavs; k++) {
    for (const ax of ['vx', 'vy', 'vz']) {
      names.push(`uav${k}.${ax}`);
      low.push(-m.vMaxMS);
      high.push(m.vMaxMS);
    }
  }
  return { names, low, high };
}

export interface S2ObservationInput {
  busyPos: readonly (readonly number[])[];
  dataBits: readonly number[];
  cyclesPerBit: number;
  uavPos: readonly (readonly number[])[];
  /** Energy each UAV has used of its budget E_r since the episode (mission) started, J. */
  usedJ: readonly number[];
}

/** The observation row (S2 Eq. 28); remaining energy = max(0, E_r − used). */
export function s2Observation(m: Pick<S2Model, 'batteryJ'>, s: S2ObservationInput): number[] {
  return [
    ...s.busyPos.flatMap((p) => [p[0]!, p[1]!]), ...s.dataBits, s.cyclesPerBit,
    ...s.uavPos.flatMap((p) => [p[0]!, p[1]!, p[2]!]), ...s.usedJ.map((u) => Math.max(0, m.batteryJ - u)),
  ];
}

/** What one action decides for a slot. */
export interface S2Decision {
  /** ε1 (UAV), ε2 (D2D), ε3 (local), summing to 1. */
  ratios: [number, number, number];
  fiHz: number; fjHz: number; fkHz: number;
  /** Unit prices per GHz: UAV compute p_k, idle-UD compute p_j. */
  pk: number; pj: number;
  levelIndex: number;
  levelMbps: number;
  /** Per UAV: velocity after the speed limit (m/s), its speed, and the graded excess (|v| − v_max)/v_max (0 within the limit). */
  velocities: P3[];
  speeds: number[];
  speedExcess: number[];
}

/** The action clipped to its bounds, then mapped (S2 Eq. 29 and the [choice]s of the env). */
export function mapS2Action(m: S2Model, raw: readonly number[]): S2Decision {
  const { low, high } = s2ActionBounds(m);
  const a = low.map((lo, d) => Math.min(high[d]!, Math.max(lo, raw[d] ?? 0)));
  const wsum = a[0]! + a[1]! + a[2]!;
  const ratios: [number, number, number] = wsum > 1e-9 ? [a[0]! / wsum, a[1]! / wsum, a[2]! / wsum] : [0, 0, 1];
  const levelIndex = Math.min(m.levelsMbps.length - 1, Math.floor(a[8]! * m.levelsMbps.length));
  const velocities: P3[] = [];
  const speeds: number[] = [];
  const speedExcess: number[] = [];
  for (let k = 0; k < m.uavs; k++) {
    let v: P3 = [a[9 + 3 * k]!, a[10 + 3 * k]!, a[11 + 3 * k]!];
    const n = Math.hypot(v[0], v[1], v[2]);
    let excess = 0;
    if (n > m.vMaxMS + 1e-9) {
      excess = (n - m.vMaxMS) / m.vMaxMS;
      v = v.map((x) => (x * m.vMaxMS) / n) as P3;
    }
    velocities.push(v);
    speeds.push(Math.min(n, m.vMaxMS));
    speedExcess.push(excess);
  }
  return {
    ratios, fiHz: a[3]! * m.fiMaxHz, fjHz: a[4]! * m.fjMaxHz, fkHz: a[5]! * m.fkMaxHz, pk: a[6]!, pj: a[7]!,
    levelIndex, levelMbps: m.levelsMbps[levelIndex]!, velocities, speeds, speedExcess,
  };
}

/** The box a UAV flies in: [0, area]² × [H_min, H_max]. */
export function s2Box(m: Pick<S2Model, 'areaM' | 'altitudeM'>): { lo: P3; hi: P3 } {
  return { lo: [0, 0, m.altitudeM[0]], hi: [m.areaM, m.areaM, m.altitudeM[1]] };
}

/**
 * One slot's move p + v·τ, clipped into the box; `overshoot` is the sum over axes of the clipped
 * distance / (v_max·τ) (the env's graded area penalty) and `clippedAxes` how many axes were clipped.
 */
export function moveInBox(m: Pick<S2Model, 'areaM' | 'altitudeM' | 'vMaxMS' | 'slotS'>, p: readonly number[], v: readonly number[]): { next: P3; overshoot: number; clippedAxes: number } {
  const { lo, hi } = s2Box(m);
  const next: P3 = [0, 0, 0];
  let overshoot = 0, clippedAxes = 0;
  for (let d = 0; d < 3; d++) {
    const x = p[d]! + v[d]! * m.slotS;
    const over = Math.max(lo[d]! - x, x - hi[d]!, 0);
    if (over > 1e-9) {
      clippedAxes++;
      overshoot += over / (m.vMaxMS * m.slotS);
    }
    next[d] = Math.min(hi[d]!, Math.max(lo[d]!, x));
  }
  return { next, overshoot, clippedAxes };
}

/** Pairs of UAVs closer than d_min: their count and the graded shortfall Σ (d_min − d)/d_min. */
export function separationShortfall(uavPos: readonly (readonly number[])[], dMinM: number): { pairs: number; term: number } {
  let pairs = 0, term = 0;
  for (let x = 0; x < uavPos.length; x++) {
    for (let y = x + 1; y < uavPos.length; y++) {
      const d = dist(uavPos[x]!, uavPos[y]!);
      if (d < dMinM) {
        pairs++;
        term += (dMinM - d) / dMinM;
      }
    }
  }
  return { pairs, term };
}
