import type { Assignment, CompiledProblem } from './problem.ts';
import { repairOrder } from './decode.ts';

/**
 * Deterministic schedulers: HEFT (Topcuoglu et al. 2002) and the scheduling halves of S1's
 * queue- and region-based baselines (S1 §5.1). All run at f_max and produce an `Assignment`
 * that the shared `Decoder` turns into times, so every method is scored by one model.
 */

const maxLevel = (cp: CompiledProblem) => new Int32Array(cp.T).fill(cp.L - 1);

/** HEFT upward rank: mean compute time at f_max + max over successors of (mean transfer + rank). */
export function upwardRank(cp: CompiledProblem): Float64Array {
  const { T, N, L, dur, outBits, invRate } = cp;
  let meanInv = 0;
  if (N > 1) {
    for (let a = 0; a < N; a++) for (let b = 0; b < N; b++) if (a !== b) meanInv += invRate[a * N + b]!;
    meanInv /= N * (N - 1);
  }
  const rank = new Float64Array(T);
  for (let k = T - 1; k >= 0; k--) {
    const t = cp.topo[k]!;
    let w = 0;
    for (let n = 0; n < N; n++) w += dur[(t * N + n) * L + L - 1]!;
    w /= N;
    let best = 0;
    const c = outBits[t]! * meanInv;
    for (let j = cp.succStart[t]!; j < cp.succStart[t + 1]!; j++) best = Math.max(best, c + rank[cp.succList[j]!]!);
    rank[t] = w + best;
  }
  return rank;
}

/**
 * HEFT without insertion: tasks by decreasing upward rank (a topological order, since ranks
 * strictly decrease along edges when every task has work), each on the UAV giving the earliest
 * finish time at f_max. Non-insertion keeps it inside the decoder's schedule space, so its
 * decoded schedule is exactly the one HEFT built.
 */
export function heft(cp: CompiledProblem): Assignment {
  const { T, N, L, dur, inTime, outBits, invRate, ssc } = cp;
  const rank = upwardRank(cp);
  const neg = Float64Array.from(rank, (r) => -r);
  // Ties (equal ranks) resolved by topological position via repair.
  const byRank = Array.from(cp.topo).sort((a, b) => neg[a]! - neg[b]!);
  const order = repairOrder(cp, byRank);
  const uav = new Int32Array(T);
  const finish = new Float64Array(T);
  const free = new Float64Array(N).fill(ssc);
  for (let k = 0; k < T; k++) {
    const t = order[k]!;
    let bestN = 0;
    let bestF = Infinity;
    for (let n = 0; n < N; n++) {
      let ready = ssc + inTime[t * N + n]!;
      for (let j = cp.predStart[t]!; j < cp.predStart[t + 1]!; j++) {
        const p = cp.predList[j]!;
        const m = uav[p]!;
        const arrive = m === n ? finish[p]! : finish[p]! + outBits[p]! * invRate[m * N + n]!;
        if (arrive > ready) ready = arrive;
      }
      const f = Math.max(ready, free[n]!) + dur[(t * N + n) * L + L - 1]!;
      if (f < bestF) {
        bestF = f;
        bestN = n;
      }
    }
    uav[t] = bestN;
    finish[t] = bestF;
    free[bestN] = bestF;
  }
  return { order, uav, level: maxLevel(cp) };
}

/** Region/locality baseline: every subtask computed by the UAV that collected its input. */
export function localSchedule(cp: CompiledProblem): Assignment {
  const holder = cp.source.inputHolder;
  return { order: cp.topo.slice(), uav: Int32Array.from({ length: cp.T }, (_, t) => holder[t + 1]!), level: maxLevel(cp) };
}

/**
 * Queue baseline: subtasks released in request order (earliest requesting user first, then
 * topologically); each goes to the UAV that becomes free first — no look at transfers or data.
 */
export function queueSchedule(cp: CompiledProblem, requestS: ReadonlyMap<string, number>): Assignment {
  const { T, N, L, dur } = cp;
  const nodes = cp.source.dag.nodes;
  const key = new Float64Array(T);
  const topoPos = new Int32Array(T);
  cp.topo.forEach((t, k) => (topoPos[t] = k));
  for (let t = 0; t < T; t++) {
    let r = Infinity;
    for (const u of nodes[t + 1]!.users) r = Math.min(r, requestS.get(u) ?? 0);
    key[t] = r * (T + 1) + topoPos[t]!;
  }
  const prio = Array.from(cp.topo).sort((a, b) => key[a]! - key[b]!);
  const order = repairOrder(cp, prio);
  const free = new Float64Array(N).fill(cp.ssc);
  const uav = new Int32Array(T);
  for (let k = 0; k < T; k++) {
    const t = order[k]!;
    let n = 0;
    for (let m = 1; m < N; m++) if (free[m]! < free[n]!) n = m;
    uav[t] = n;
    free[n] = free[n]! + dur[(t * N + n) * L + L - 1]!;
  }
  return { order, uav, level: maxLevel(cp) };
}
