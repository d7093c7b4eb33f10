/**
 * Seeded synthetic instances in S0's setting (SPEC §5.6): 1 km², UAVs at 800 m, MEDs on the
 * ground, task 5–25 MB, ϑ 50–300 cycles/bit, p_tr 50–100 mW, b_max 1–5 MHz, cache 1–2 MB,
 * deadline 150–500 ms, f_max 4–10 GHz, hover 168 W, κ 1–2.5 × 1e-28, optional Rayleigh fading.
 */
import type { Rng } from '../../../core/rng.ts';
import { defaultCoalitionParams } from './plan.ts';
import type { CoalitionInstance, CoalitionParams } from './types.ts';

export interface S0GenOptions {
  uavs: number;
  meds?: number;
  cyclesPerBit?: [number, number];
  deadlineS?: [number, number];
  taskBytes?: [number, number];
  rayleigh?: boolean;
  params?: Partial<CoalitionParams>;
}

export function generateS0Instance(rng: Rng, o: S0GenOptions): CoalitionInstance {
  const [cLo, cHi] = o.cyclesPerBit ?? [50, 300];
  const [dLo, dHi] = o.deadlineS ?? [0.15, 0.5];
  const [tLo, tHi] = o.taskBytes ?? [5e6, 25e6];
  const meds = Array.from({ length: o.meds ?? 1 }, (_, i) => ({
    id: `m${i}`,
    pos: [rng.uniform(0, 1000), rng.uniform(0, 1000), 0] as [number, number, number],
    taskBits: 8 * rng.uniform(tLo, tHi),
    cyclesPerBit: rng.uniform(cLo, cHi),
    txPowerW: rng.uniform(0.05, 0.1),
    deadlineS: rng.uniform(dLo, dHi),
  }));
  const uavs = Array.from({ length: o.uavs }, (_, j) => ({
    id: `v${j}`,
    pos: [rng.uniform(0, 1000), rng.uniform(0, 1000), 800] as [number, number, number],
    bandwidthHz: rng.uniform(1e6, 5e6),
    cpuHz: rng.uniform(4e9, 10e9),
    cacheBits: 8 * rng.uniform(1e6, 2e6),
    hoverW: 168,
    kappa: rng.uniform(1e-28, 2.5e-28),
  }));
  const inst: CoalitionInstance = { meds, uavs, params: { ...defaultCoalitionParams(), ...o.params } };
  if (o.rayleigh) inst.fading = meds.map(() => uavs.map(() => rng.exponential()));
  return inst;
}
