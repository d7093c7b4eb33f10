/**
 * Precomputation shared by every planner: per-user local delay and weight, the coverage relation,
 * spectral efficiencies, and each user's candidate (access, exec) options expressed as the
 * √a_i coefficients it adds to each KKT pool (see kkt.ts).
 *
 * Pool indices: k (0…K−1) is UAV k's G2A bandwidth, K + k is UAV k's CPU, 2K is the shared A2A
 * bandwidth.
 */
import { a2aSpectralEfficiency, covers, g2aSpectralEfficiency } from '../../../core/models/channel.ts';
import { localDelayS } from '../../../core/models/compute.ts';
import type { OffloadInstance } from './types.ts';

/** One edge option of one user. `a2aRoot` is 0 when exec == access. */
export interface Option {
  access: number;
  exec: number;
  g2aRoot: number;
  cpuRoot: number;
  a2aRoot: number;
}

export interface Prepared {
  nUsers: number;
  nUavs: number;
  /** Pool capacities, indexed as above (length 2K+1). */
  capacity: Float64Array;
  tLocal: Float64Array;
  /** Options per user (empty when no UAV covers the user). */
  options: Option[][];
  /** G2A spectral efficiency e_ik (0 when k does not cover i), row-major n×K. */
  eG2A: Float64Array;
  /** A2A spectral efficiency e_kk', row-major K×K. */
  eA2A: Float64Array;
}

export const a2aPool = (nUavs: number): number => 2 * nUavs;

/**
 * Builds the candidate options (SPEC §5.1): access UAV k must cover the user (SPEC §3 coverage
 * cone); the executing UAV is k itself or, with a positive A2A pool, any other UAV reached by a
 * relay. [choice] SPEC relays only to UAVs that do not cover the user; we allow relaying to any
 * UAV (a superset of options: it can only raise the optimum, and costs nothing to evaluate).
 */
export function prepare(inst: OffloadInstance): Prepared {
  const { users, uavs, params } = inst;
  const n = users.length;
  const K = uavs.length;
  const capacity = new Float64Array(2 * K + 1);
  uavs.forEach((u, k) => {
    capacity[k] = u.bandwidthHz;
    capacity[K + k] = u.cpuHz;
  });
  capacity[2 * K] = params.a2aBandwidthHz;

  const eA2A = new Float64Array(K * K);
  for (let k = 0; k < K; k++) {
    for (let m = 0; m < K; m++) {
      if (k !== m) eA2A[k * K + m] = a2aSpectralEfficiency(params, uavs[k]!.pos, uavs[m]!.pos, uavs[k]!.txPowerW);
    }
  }

  const tLocal = new Float64Array(n);
  const eG2A = new Float64Array(n * K);
  const options: Option[][] = [];
  const relayOn = params.a2aBandwidthHz > 0;
  for (let i = 0; i < n; i++) {
    const u = users[i]!;
    const tl = localDelayS(u.dataBits, u.cyclesPerBit, u.fLocalHz);
    tLocal[i] = tl;
    const w = 1 / tl;
    const opts: Option[] = [];
    const cpuRoot = Math.sqrt(w * u.dataBits * u.cyclesPerBit);
    for (let k = 0; k < K; k++) {
      const uav = uavs[k]!;
      if (!covers(uav.pos, u.pos, params.thetaMaxDeg)) continue;
      const e = g2aSpectralEfficiency(params, u.pos, uav.pos, u.txPowerW);
      if (!(e > 0) || !(capacity[k]! > 0)) continue;
      eG2A[i * K + k] = e;
      const g2aRoot = Math.sqrt((w * u.dataBits) / e);
      for (let m = 0; m < K; m++) {
        if (!(capacity[K + m]! > 0)) continue;
        if (m === k) {
          opts.push({ access: k, exec: m, g2aRoot, cpuRoot, a2aRoot: 0 });
        } else if (relayOn) {
          const ea = eA2A[k * K + m]!;
          if (ea > 0) opts.push({ access: k, exec: m, g2aRoot, cpuRoot, a2aRoot: Math.sqrt((w * u.dataBits) / ea) });
        }
      }
    }
    options.push(opts);
  }
  return { nUsers: n, nUavs: K, capacity, tLocal, options, eG2A, eA2A };
}
