/**
 * Seeded synthetic instances in the S3 setting (SPEC §5.5): 50 m × 50 m area, users on the
 * ground, UAVs at 10–20 m, tasks 100–150 kb at 500–1000 cycles/bit, user CPU 0.8–1 GHz, user
 * power 1 W, UAV CPU 10 GHz, UAV power 5 W, 20 MHz per UAV. Every field can be overridden.
 */
import type { Rng } from '../../../core/rng.ts';
import { defaultChannelParams } from './plan.ts';
import type { ChannelParams, OffloadInstance, OffloadUav } from './types.ts';

export interface S3GenOptions {
  users: number;
  uavs: number;
  areaM?: number;
  altitudeM?: [number, number];
  dataBits?: [number, number];
  cyclesPerBit?: [number, number];
  fLocalHz?: [number, number];
  userTxPowerW?: number;
  uavCpuHz?: number;
  uavBandwidthHz?: number;
  uavTxPowerW?: number;
  /** Fixed UAV positions (overrides the random ones; `uavs` must match its length). */
  uavPositions?: [number, number, number][];
  params?: Partial<ChannelParams>;
}

/** Hover positions of K UAVs on a centred grid over a square area at altitude `h` (for sweeps). */
export function gridHover(k: number, areaM: number, h: number): [number, number, number][] {
  const cols = Math.ceil(Math.sqrt(k));
  const rows = Math.ceil(k / cols);
  const out: [number, number, number][] = [];
  for (let j = 0; j < k; j++) {
    const c = j % cols;
    const r = Math.floor(j / cols);
    out.push([((c + 0.5) * areaM) / cols, ((r + 0.5) * areaM) / rows, h]);
  }
  return out;
}

export function generateS3Instance(rng: Rng, o: S3GenOptions): OffloadInstance {
  const area = o.areaM ?? 50;
  const [hLo, hHi] = o.altitudeM ?? [10, 20];
  const [dLo, dHi] = o.dataBits ?? [100e3, 150e3];
  const [cLo, cHi] = o.cyclesPerBit ?? [500, 1000];
  const [fLo, fHi] = o.fLocalHz ?? [0.8e9, 1e9];
  const users = Array.from({ length: o.users }, (_, i) => ({
    id: `u${i}`,
    pos: [rng.uniform(0, area), rng.uniform(0, area), 0] as [number, number, number],
    dataBits: rng.uniform(dLo, dHi),
    cyclesPerBit: rng.uniform(cLo, cHi),
    fLocalHz: rng.uniform(fLo, fHi),
    txPowerW: o.userTxPowerW ?? 1,
  }));
  const uavs: OffloadUav[] = Array.from({ length: o.uavs }, (_, k) => ({
    id: `v${k}`,
    pos: o.uavPositions?.[k] ?? [rng.uniform(0, area), rng.uniform(0, area), rng.uniform(hLo, hHi)],
    bandwidthHz: o.uavBandwidthHz ?? 20e6,
    cpuHz: o.uavCpuHz ?? 10e9,
    txPowerW: o.uavTxPowerW ?? 5,
  }));
  return { users, uavs, params: { ...defaultChannelParams(), ...o.params } };
}
