/**
 * S0's setting as a mission (SPEC §5.6): 1 km², UAVs hovering at 800 m (HAP above at 2000 m),
 * MEDs on the ground issuing one task-assignment request per slot — task 5–25 MB, ϑ 50–300
 * cycles/bit, p 50–100 mW, deadline 150–500 ms — and UAVs with b_max 1–5 MHz, cache 1–2 MB,
 * f_max 4–10 GHz, κ 1–2.5·10⁻²⁸, hover 168 W; noise −110 dBm, γ = 4, Rayleigh fading per slot.
 *
 * Scaled in time: S0's slots are 60 s; a slot here is `slotS` (default 4 s), which changes nothing
 * within a slot (the deadlines are < 0.5 s) and lets a mission run in minutes.
 *
 * [choice] Compute the twin does not know: each UAV delivers a fraction η_j ∈ `efficiency` of the
 * compute it advertises (background load on its companion computer). S0 §VI-C models exactly this
 * deviation f̃_j = f_j + Δf_j; the HAP's twin learns it from measured shares (fidelity).
 * [choice] The MEDs' own CPU (1 GHz) only fills the contract's T_i^loc; S0 computes nothing locally.
 * Pure: everything comes from the seed.
 */
import { dbmToW } from '../../../core/models/channel.ts';
import { createRng } from '../../../core/rng.ts';

export type Vec3 = [number, number, number];

export interface S0UavProfile {
  id: number;
  /** Where it hovers (mission frame, m): its launch point, at the hover altitude. */
  station: Vec3;
  cpuHz: number;
  bandwidthHz: number;
  cacheBits: number;
  kappa: number;
  hoverW: number;
  /** η_j: the fraction of the advertised compute it really delivers. */
  computeEfficiency: number;
}

export interface S0MedSite {
  id: number;
  pos: Vec3;
  txPowerW: number;
  localCpuHz: number;
}

export interface S0Setting {
  seed: number;
  slots: number;
  slotS: number;
  areaM: number;
  altM: number;
  uavs: S0UavProfile[];
  meds: S0MedSite[];
  task: { bytes: [number, number]; cyclesPerBit: [number, number]; deadlineS: [number, number] };
  noiseW: number;
  pathLossExp: number;
}

export interface S0SettingOptions {
  seed?: number;
  uavs?: number;
  meds?: number;
  slots?: number;
  slotS?: number;
  /** Range of η_j (default [0.75, 1]). */
  efficiency?: [number, number];
}

export const S0_DEFAULTS = { uavs: 8, meds: 3, slots: 10, slotS: 4 } as const;

export function s0Setting(o: S0SettingOptions = {}): S0Setting {
  const seed = o.seed ?? 1;
  const rng = createRng(seed * 7 + 3);
  const areaM = 1000;
  const altM = 800;
  const [eLo, eHi] = o.efficiency ?? [0.75, 1];
  const stations: Vec3[] = [];
  for (let j = 0; j < (o.uavs ?? S0_DEFAULTS.uavs); j++) {
    // Stations 60 m apart at least, so the fleet's separation never has to act.
    let p: Vec3 = [0, 0, altM];
    for (let k = 0; k < 100; k++) {
      p = [rng.uniform(50, areaM - 50), rng.uniform(50, areaM - 50), altM];
      if (stations.every((q) => Math.hypot(q[0] - p[0], q[1] - p[1]) >= 60)) break;
    }
    stations.push(p);
  }
  const uavs = stations.map((station, j) => ({
    id: j + 1, station, cpuHz: rng.uniform(4e9, 10e9), bandwidthHz: rng.uniform(1e6, 5e6), cacheBits: 8 * rng.uniform(1e6, 2e6),
    kappa: rng.uniform(1e-28, 2.5e-28), hoverW: 168, computeEfficiency: rng.uniform(eLo, eHi),
  }));
  const meds = Array.from({ length: o.meds ?? S0_DEFAULTS.meds }, (_, i) => ({
    id: i + 1, pos: [rng.uniform(0, areaM), rng.uniform(0, areaM), 0] as Vec3, txPowerW: rng.uniform(0.05, 0.1), localCpuHz: 1e9,
  }));
  return {
    seed, slots: o.slots ?? S0_DEFAULTS.slots, slotS: o.slotS ?? S0_DEFAULTS.slotS, areaM, altM, uavs, meds,
    task: { bytes: [5e6, 25e6], cyclesPerBit: [50, 300], deadlineS: [0.15, 0.5] }, noiseW: dbmToW(-110), pathLossExp: 4,
  };
}

/** Checks a setting; returns the first problem found. */
export function validateS0Setting(s: S0Setting): string | undefined {
  if (!(Number.isInteger(s.slots) && s.slots >= 1)) return 'slots must be a whole number ≥ 1';
  if (!(s.slotS >= 1)) return 'slot length must be ≥ 1 s (the deadlines are up to 0.5 s and the HAP collects requests for a quarter slot)';
  if (!(s.uavs.length >= 1 && s.uavs.length <= 30)) return 'S0 flies 1–30 UAVs (its setting: 5–30)';
  if (!(s.meds.length >= 1 && s.meds.length <= 30)) return 'MEDs must be 1–30';
  return undefined;
}

export interface S0RequestSpec {
  taskId: number;
  medId: number;
  pos: Vec3;
  dataBits: number;
  cyclesPerBit: number;
  txPowerW: number;
  localCpuHz: number;
  deadlineS: number;
  releaseUs: number;
  /** |h|² of the channel to each UAV id this slot (Exp(1), SPEC §3 S0). */
  fading: { uavId: number; gain: number }[];
}

/** Task ids encode slot and MED: (slot + 1) · 100000 + MED id (as the S3 world's). */
export const s0TaskId = (slot: number, medId: number) => (slot + 1) * 100_000 + medId;

/** Slot `slot`'s requests: one per MED, with this slot's block fading to every UAV. Seeded per slot. */
export function s0Requests(s: S0Setting, slot: number, releaseUs: number): S0RequestSpec[] {
  const rng = createRng(s.seed * 104_729 + slot);
  return s.meds.map((m) => ({
    taskId: s0TaskId(slot, m.id), medId: m.id, pos: m.pos,
    dataBits: Math.round(8 * rng.uniform(s.task.bytes[0], s.task.bytes[1])), cyclesPerBit: rng.uniform(s.task.cyclesPerBit[0], s.task.cyclesPerBit[1]),
    txPowerW: m.txPowerW, localCpuHz: m.localCpuHz, deadlineS: rng.uniform(s.task.deadlineS[0], s.task.deadlineS[1]), releaseUs,
    fading: s.uavs.map((u) => ({ uavId: u.id, gain: Math.max(1e-6, rng.exponential()) })),
  }));
}
