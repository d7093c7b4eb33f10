/**
 * The slot planner of SPEC §5.1: decisions by CD (or the AO/AL baselines), then the KKT
 * allocation of every pool, then each user's delays evaluated through the channel and compute
 * models. Pure: plain instance in, plain plan out.
 */
import { dbmToW } from '../../../core/models/channel.ts';
import { computeTimeS, taskCycles } from '../../../core/models/compute.ts';
import { allOffload, cdMultiStart, type ChoiceVector } from './cd.ts';
import { kktShares } from './kkt.ts';
import { a2aPool, optionAt, prepare, type Prepared, type RelayMode } from './prepare.ts';
import type { ChannelParams, Choice, Decision, OffloadAlgo, OffloadInstance, OffloadPlan, UserOutcome } from './types.ts';

/**
 * SPEC §5.5 S3 setting values and the SPEC §3 [choice]s: f_c = 2 GHz, a = 9.61, b = 0.16,
 * η_LoS = 1 dB, η_NLoS = 20 dB, noise −70 dBm (G2A and A2A), θ_max = 60°, and [choice] a 20 MHz
 * A2A pool (S3 gives no A2A figure; we reuse its 20 MHz G2A bandwidth).
 */
export function defaultChannelParams(): ChannelParams {
  return {
    carrierHz: 2e9,
    losA: 9.61,
    losB: 0.16,
    etaLosDb: 1,
    etaNlosDb: 20,
    noiseG2AW: dbmToW(-70),
    noiseA2AW: dbmToW(-70),
    thetaMaxDeg: 60,
    a2aBandwidthHz: 20e6,
  };
}

export interface PlanOptions {
  /** Sweep bound per CD run (default 1000; CD normally stops after a handful). */
  maxSweeps?: number;
  /** Relay targets per access UAV: 'pruned' (default, prepare.ts) or 'all' (the planner before issue 20). */
  relay?: RelayMode;
  /** Only the primary CD run (all-local start, decreasing standalone gain); see `cdMultiStart`. */
  singleStart?: boolean;
}

/** Plans one slot: `cd-kkt` (default), `ao` (all covered users offload) or `al` (all local). */
export function planOffloading(inst: OffloadInstance, algo: OffloadAlgo = 'cd-kkt', opts: PlanOptions = {}): OffloadPlan {
  const prep = prepare(inst, { relay: opts.relay ?? 'pruned' });
  if (algo === 'al') return buildPlan(inst, prep, new Int32Array(prep.nUsers).fill(-1), 'al', 0);
  if (algo === 'ao') return buildPlan(inst, prep, allOffload(prep), 'ao', 0);
  const r = cdMultiStart(prep, opts.maxSweeps ?? 1000, opts.singleStart ?? false);
  return buildPlan(inst, prep, r.choice, 'cd-kkt', r.sweeps);
}

/**
 * KKT allocation and evaluation for given decisions (e.g. the controller's previous slot, or an
 * exhaustive search). Throws RangeError if a choice names an unknown UAV or an access UAV that
 * does not cover the user.
 */
export function allocate(inst: OffloadInstance, choices: readonly Choice[], algo: OffloadAlgo = 'cd-kkt'): OffloadPlan {
  const index = new Map(inst.uavs.map((u, k) => [u.id, k]));
  const pairs = choices.map((c) => (c.mode === 'local' ? undefined : ([index.get(c.accessUav), index.get(c.execUav)] as const)));
  // Decisions made elsewhere (e.g. with `relay: 'all'`) may relay outside the pruned targets.
  let prep = prepare(inst);
  if (pairs.some((p, i) => p && optionIndex(prep, i, p[0], p[1]) < 0)) prep = prepare(inst, { relay: 'all' });
  const choice = new Int32Array(prep.nUsers).fill(-1);
  choices.forEach((c, i) => {
    if (c.mode === 'local') return;
    const o = optionIndex(prep, i, pairs[i]![0], pairs[i]![1]);
    if (o < 0) throw new RangeError(`user ${inst.users[i]!.id}: (${c.accessUav} → ${c.execUav}) is not a feasible option`);
    choice[i] = o;
  });
  return buildPlan(inst, prep, choice, algo, 0);
}

/** Index of user i's option (access a, exec e), −1 when it has none. */
function optionIndex(prep: Prepared, i: number, a: number | undefined, e: number | undefined): number {
  if (a === undefined || e === undefined) return -1;
  for (let x = prep.accStart[i]!; x < prep.accStart[i + 1]!; x++) {
    if (prep.accUav[x] !== a) continue;
    const j = prep.targets[a]!.exec.indexOf(e);
    return j < 0 ? -1 : prep.accOptStart[x]! + j;
  }
  return -1;
}

function buildPlan(inst: OffloadInstance, prep: Prepared, choice: ChoiceVector, algo: OffloadAlgo, sweeps: number): OffloadPlan {
  const K = prep.nUavs;
  const nPools = prep.capacity.length;
  const members: number[][] = Array.from({ length: nPools }, () => []);
  const weights: number[][] = Array.from({ length: nPools }, () => []);
  const push = (p: number, i: number, root: number): void => {
    members[p]!.push(i);
    weights[p]!.push(root * root);
  };
  for (let i = 0; i < prep.nUsers; i++) {
    if (choice[i]! < 0) continue;
    const o = optionAt(prep, i, choice[i]!);
    push(o.access, i, o.g2aRoot);
    push(K + o.exec, i, o.cpuRoot);
    if (o.exec !== o.access) push(a2aPool(K), i, o.a2aRoot);
  }
  const share = new Float64Array(prep.nUsers * 3); // [g2a, cpu, a2a] per user
  for (let p = 0; p < nPools; p++) {
    const xs = kktShares(weights[p]!, prep.capacity[p]!);
    const slot = p < K ? 0 : p < 2 * K ? 1 : 2;
    members[p]!.forEach((i, j) => (share[i * 3 + slot] = xs[j]!));
  }

  const decisions: Decision[] = [];
  const perUser: UserOutcome[] = [];
  let dor = 0;
  inst.users.forEach((u, i) => {
    const tLocalS = prep.tLocal[i]!;
    const c = choice[i]!;
    let out: UserOutcome;
    if (c < 0) {
      decisions.push({ mode: 'local' });
      out = { tLocalS, tS: tLocalS, uplinkS: 0, relayS: 0, computeS: tLocalS };
    } else {
      const o = optionAt(prep, i, c);
      const bw = share[i * 3]!;
      const cpu = share[i * 3 + 1]!;
      const relayBw = o.exec !== o.access ? share[i * 3 + 2]! : 0;
      decisions.push({ mode: 'edge', accessUav: inst.uavs[o.access]!.id, execUav: inst.uavs[o.exec]!.id, bandwidthHz: bw, cpuHz: cpu, relayBandwidthHz: relayBw });
      const uplinkS = u.dataBits / (bw * o.g2aE);
      const relayS = o.exec !== o.access ? u.dataBits / (relayBw * o.a2aE) : 0;
      const computeS = computeTimeS(taskCycles(u.dataBits, u.cyclesPerBit), cpu);
      out = { tLocalS, tS: uplinkS + relayS + computeS, uplinkS, relayS, computeS };
    }
    if (u.deadlineS !== undefined) out.meetsDeadline = out.tS <= u.deadlineS;
    dor += 1 - out.tS / tLocalS;
    perUser.push(out);
  });
  return { algo, decisions, perUser, dor, sweeps };
}
