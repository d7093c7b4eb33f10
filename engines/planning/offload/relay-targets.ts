/**
 * The UAVs each access UAV may relay a task to over A2A (issue 20, [choice] in prepare.ts): the
 * RELAY_NEAREST nearest UAVs (A2A spectral efficiency, SPEC §3 S3, falls with distance, so these
 * have the cheapest relay) and the RELAY_SPARE UAVs with the most spare CPU — the least
 * Σ √(w_i D_i C_i) over the users they cover, per Hz of their CPU: the UAVs whose CPU pool the
 * KKT cost (S_p²/X_p, kkt.ts) leaves cheapest. A relay only helps by reaching idle CPU, and the
 * shared A2A pool makes every relay costly, so a handful of targets per UAV keeps the optimum
 * (measured against relaying to every UAV in cd.test.ts and bench/planner.ts).
 */
import { a2aSpectralEfficiency } from '../../../core/models/channel.ts';
import type { OffloadInstance } from './types.ts';

export type RelayMode = 'pruned' | 'all' | 'none';
export const RELAY_NEAREST = 8;
export const RELAY_SPARE = 8;

export interface RelayTargets {
  /** Executing UAVs for access UAV k, ascending: k itself (when it has CPU) and its relay targets. */
  exec: Int32Array;
  /** A2A spectral efficiency k → exec[j]; 0 for k itself. */
  a2aE: Float64Array;
}

/** `capacity` as in prepare.ts (CPU of UAV m at K + m); `cpuDemand[m]` = Σ cpu roots of the users m covers. */
export function relayTargets(
  inst: OffloadInstance,
  capacity: Float64Array,
  cpuDemand: Float64Array,
  mode: RelayMode,
  counts: { nearest: number; spare: number } = { nearest: RELAY_NEAREST, spare: RELAY_SPARE },
): RelayTargets[] {
  const { uavs, params } = inst;
  const K = uavs.length;
  const hasCpu = (m: number) => capacity[K + m]! > 0;
  const everyone = mode === 'all' || K <= 1 + counts.nearest + counts.spare;
  const spare = mode === 'pruned' && !everyone ? mostSpare(K, capacity, cpuDemand, counts.spare) : [];
  const out: RelayTargets[] = [];
  for (let k = 0; k < K; k++) {
    let ms: number[];
    if (mode === 'none') ms = hasCpu(k) ? [k] : [];
    else if (everyone) ms = uavs.map((_, m) => m).filter(hasCpu);
    else ms = [...new Set([k, ...nearest(inst, k, hasCpu, counts.nearest), ...spare])].filter(hasCpu).sort((a, b) => a - b);
    const exec: number[] = [];
    const e: number[] = [];
    for (const m of ms) {
      const ea = m === k ? 0 : a2aSpectralEfficiency(params, uavs[k]!.pos, uavs[m]!.pos, uavs[k]!.txPowerW);
      if (m !== k && !(ea > 0)) continue;
      exec.push(m);
      e.push(ea);
    }
    out.push({ exec: Int32Array.from(exec), a2aE: Float64Array.from(e) });
  }
  return out;
}

/** The `count` UAVs with the lowest CPU demand per Hz (ties: lower index). */
function mostSpare(K: number, capacity: Float64Array, cpuDemand: Float64Array, count: number): number[] {
  const load = (m: number) => cpuDemand[m]! / capacity[K + m]!;
  return Array.from({ length: K }, (_, m) => m)
    .filter((m) => capacity[K + m]! > 0)
    .sort((a, b) => load(a) - load(b) || a - b)
    .slice(0, count);
}

/** The `count` UAVs nearest to k with CPU (ties: lower index), by a bounded insertion sort. */
function nearest(inst: OffloadInstance, k: number, hasCpu: (m: number) => boolean, count: number): number[] {
  if (count <= 0) return [];
  const p = inst.uavs[k]!.pos;
  const best: { m: number; d: number }[] = [];
  inst.uavs.forEach((u, m) => {
    if (m === k || !hasCpu(m)) return;
    const d = (u.pos[0] - p[0]) ** 2 + (u.pos[1] - p[1]) ** 2 + (u.pos[2] - p[2]) ** 2;
    if (best.length === count && d >= best[count - 1]!.d) return;
    let j = best.length < count ? best.length : count - 1;
    while (j > 0 && best[j - 1]!.d > d) j--;
    best.splice(j, 0, { m, d });
    if (best.length > count) best.pop();
  });
  return best.map((b) => b.m);
}
