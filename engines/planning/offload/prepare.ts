/**
 * Precomputation shared by every planner: per-user local delay and weight, the coverage relation,
 * spectral efficiencies, and each user's candidate (access, exec) options expressed as the
 * √a_i coefficients it adds to each KKT pool (see kkt.ts).
 *
 * Pool indices: k (0…K−1) is UAV k's G2A bandwidth, K + k is UAV k's CPU, 2K is the shared A2A
 * bandwidth.
 *
 * Size (issue 20). Every option is (covering UAV k) × (k itself or a relay target m). Relaying to
 * *every* UAV made the options, the time and the memory grow as K per user (3 339 options per user
 * and 8 GB at 1 000 UAVs × 10 000 users). [choice] Each access UAV k now relays only to the UAVs
 * that can help (relay-targets.ts): its RELAY_NEAREST nearest UAVs (best A2A links; A2A spectral
 * efficiency falls with distance) and the RELAY_SPARE UAVs with the most spare CPU (the least
 * CPU demand from the users they cover, per Hz). With K ≤ 1 + RELAY_NEAREST + RELAY_SPARE that is
 * every UAV, so small fleets keep exactly the previous option set; `relay: 'all'` restores it on
 * any fleet. Coverage uses a grid of the UAVs' coverage radius, so building options is linear in
 * the users and in the options, not in users × UAVs.
 */
import { covers, g2aSpectralEfficiency } from '../../../core/models/channel.ts';
import { localDelayS } from '../../../core/models/compute.ts';
import { coverageGrid } from './coverage.ts';
import { relayTargets, RELAY_NEAREST, RELAY_SPARE, type RelayMode, type RelayTargets } from './relay-targets.ts';
import type { OffloadInstance } from './types.ts';

export { RELAY_NEAREST, RELAY_SPARE, type RelayMode };

/** One edge option of one user. `a2aRoot` is 0 when exec == access. */
export interface Option {
  access: number;
  exec: number;
  g2aRoot: number;
  cpuRoot: number;
  a2aRoot: number;
  /** G2A spectral efficiency user → access UAV (bit/s/Hz). */
  g2aE: number;
  /** A2A spectral efficiency access → exec UAV (bit/s/Hz); 0 when not relayed. */
  a2aE: number;
}

/**
 * The options are not stored one object each (that was most of the time and the memory at scale):
 * a user's options are its covering UAVs (flat arrays `acc*`, from `accStart[i]`) each times that
 * UAV's executing list `targets[k]`, enumerated access by access, exec by exec. Option o of user i
 * is the j-th target of the access entry a with accOptStart[a] ≤ o < accOptStart[a] + targets.
 * `optionAt` builds one as an object; `optionsOf` builds a user's whole list (tests, small cases).
 */
export interface Prepared {
  nUsers: number;
  nUavs: number;
  /** Pool capacities, indexed as above (length 2K+1). */
  capacity: Float64Array;
  tLocal: Float64Array;
  /** √(w_i D_i C_i): the user's CPU-pool coefficient. */
  cpuRoot: Float64Array;
  /** w_i D_i (w_i = 1/T_i^loc): a relay's A2A coefficient is √(w_i D_i / e_kk'). */
  wD: Float64Array;
  /** User i's access entries are accStart[i] … accStart[i+1] − 1. */
  accStart: Int32Array;
  accUav: Int32Array;
  accG2aRoot: Float64Array;
  accG2aE: Float64Array;
  /** Index of the access entry's first option within its user's options. */
  accOptStart: Int32Array;
  /** Number of options of each user (0 when no UAV covers it). */
  optionCount: Int32Array;
  /** Executing UAVs (k itself and its relay targets) per access UAV k. */
  targets: RelayTargets[];
}

/** Option `o` of user `i` as an object. */
export function optionAt(prep: Prepared, i: number, o: number): Option {
  let a = prep.accStart[i]!;
  while (a + 1 < prep.accStart[i + 1]! && prep.accOptStart[a + 1]! <= o) a++;
  const j = o - prep.accOptStart[a]!;
  const k = prep.accUav[a]!;
  const t = prep.targets[k]!;
  const m = t.exec[j]!;
  const a2aE = m === k ? 0 : t.a2aE[j]!;
  return { access: k, exec: m, g2aRoot: prep.accG2aRoot[a]!, cpuRoot: prep.cpuRoot[i]!, a2aRoot: m === k ? 0 : Math.sqrt(prep.wD[i]! / a2aE), g2aE: prep.accG2aE[a]!, a2aE };
}

/** Every option of user `i`, in order. */
export function optionsOf(prep: Prepared, i: number): Option[] {
  return Array.from({ length: prep.optionCount[i]! }, (_, o) => optionAt(prep, i, o));
}

export interface PrepareOptions {
  /** Relay targets per access UAV: 'pruned' (default; see above) or 'all' (every other UAV). */
  relay?: RelayMode;
  /** Pruned relay: how many nearest and how many most-spare UAVs (defaults RELAY_NEAREST, RELAY_SPARE). */
  nearest?: number;
  spare?: number;
}

export const a2aPool = (nUavs: number): number => 2 * nUavs;

/**
 * Builds the candidate options (SPEC §5.1): access UAV k must cover the user (SPEC §3 coverage
 * cone); the executing UAV is k itself or, with a positive A2A pool, a relay target of k.
 * [choice] SPEC relays only to UAVs that do not cover the user; we allow relaying to any target
 * (a superset of options: it can only raise the optimum, and costs nothing to evaluate).
 * Options are listed by access UAV, then exec UAV, ascending.
 */
export function prepare(inst: OffloadInstance, opts: PrepareOptions = {}): Prepared {
  const { users, uavs, params } = inst;
  const n = users.length;
  const K = uavs.length;
  const capacity = new Float64Array(2 * K + 1);
  uavs.forEach((u, k) => {
    capacity[k] = u.bandwidthHz;
    capacity[K + k] = u.cpuHz;
  });
  capacity[2 * K] = params.a2aBandwidthHz;

  // Pass 1: coverage, local delays, and each UAV's CPU demand from the users it covers.
  const tLocal = new Float64Array(n);
  const cpuRoot = new Float64Array(n);
  const wD = new Float64Array(n);
  const accStart = new Int32Array(n + 1);
  const accUav: number[] = [];
  const accG2aRoot: number[] = [];
  const accG2aE: number[] = [];
  const cpuDemand = new Float64Array(K);
  const grid = coverageGrid(uavs.map((u) => u.pos), users.reduce((z, u) => Math.min(z, u.pos[2]), Infinity), params.thetaMaxDeg);
  for (let i = 0; i < n; i++) {
    const u = users[i]!;
    const tl = localDelayS(u.dataBits, u.cyclesPerBit, u.fLocalHz);
    tLocal[i] = tl;
    const w = 1 / tl;
    cpuRoot[i] = Math.sqrt(w * u.dataBits * u.cyclesPerBit);
    wD[i] = w * u.dataBits;
    accStart[i] = accUav.length;
    for (const k of grid.near(u.pos)) {
      const uav = uavs[k]!;
      if (!covers(uav.pos, u.pos, params.thetaMaxDeg)) continue;
      const e = g2aSpectralEfficiency(params, u.pos, uav.pos, u.txPowerW);
      if (!(e > 0) || !(capacity[k]! > 0)) continue;
      accUav.push(k);
      accG2aRoot.push(Math.sqrt((w * u.dataBits) / e));
      accG2aE.push(e);
      cpuDemand[k]! += cpuRoot[i]!;
    }
  }
  accStart[n] = accUav.length;

  // Pass 2: relay targets per access UAV, then where each user's options start.
  const relayOn = params.a2aBandwidthHz > 0;
  const targets = relayTargets(inst, capacity, cpuDemand, relayOn ? (opts.relay ?? 'pruned') : 'none', { nearest: opts.nearest ?? RELAY_NEAREST, spare: opts.spare ?? RELAY_SPARE });
  const accOptStart = new Int32Array(accUav.length);
  const optionCount = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let count = 0;
    for (let a = accStart[i]!; a < accStart[i + 1]!; a++) {
      accOptStart[a] = count;
      count += targets[accUav[a]!]!.exec.length;
    }
    optionCount[i] = count;
  }
  return {
    nUsers: n,
    nUavs: K,
    capacity,
    tLocal,
    cpuRoot,
    wD,
    accStart,
    accUav: Int32Array.from(accUav),
    accG2aRoot: Float64Array.from(accG2aRoot),
    accG2aE: Float64Array.from(accG2aE),
    accOptStart,
    optionCount,
    targets,
  };
}
