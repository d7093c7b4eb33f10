import type { Assignment, CompiledProblem, Schedule, ScheduledSubtask, UavSchedule } from './problem.ts';

/**
 * List-schedule decoder shared by the GA, HEFT and the simple baselines (SPEC §5.3, S1 §3.3–3.6).
 * Tasks are taken in `order` (a topological order); each starts when its UAV is free (one
 * subtask at a time, no insertion into earlier gaps) and every predecessor's result has arrived:
 * finish of the predecessor plus `outputBits / R_uav-uav` (S1 Eq. 9) when it ran on another UAV.
 * Its input data is available at SSC on the collecting UAV, or `inputBits / R` later elsewhere.
 *
 * Energies per UAV n (S1 Eq. 11–15): E_c = Σ κ f² cycles; E_move = fixed part (flight, waiting
 * hover before SSC, return leg) + p_hov (SFC_n − SSC), i.e. hover through the whole compute stage
 * including idle waits, until the UAV's own last subtask ends (then it leaves the pool, S1 §3.6).
 *
 * For a fixed assignment the decoder yields the earliest (semi-active) schedule of each UAV's
 * sequence; since the objective never decreases when any finish time grows, some topological
 * order reaches the optimum over all schedules — the GA and the exact MILP share that optimum.
 */
export class Decoder {
  readonly start: Float64Array;
  readonly finish: Float64Array;
  readonly free: Float64Array;
  readonly ec: Float64Array;
  readonly busy: Float64Array;
  /** Penalty per joule of budget violation added to the fitness. */
  static readonly PENALTY = 1e6;

  constructor(readonly cp: CompiledProblem) {
    this.start = new Float64Array(cp.T);
    this.finish = new Float64Array(cp.T);
    this.free = new Float64Array(cp.N);
    this.ec = new Float64Array(cp.N);
    this.busy = new Float64Array(cp.N);
  }

  /** Fills the buffers; returns fitness = objective + PENALTY × budget violation. */
  run(order: Int32Array, uav: Int32Array, level: Int32Array): number {
    const { T, N, L, predStart, predList, inTime, outBits, invRate, dur, ecost, ssc } = this.cp;
    const { start, finish, free, ec, busy } = this;
    free.fill(ssc);
    ec.fill(0);
    busy.fill(0);
    for (let k = 0; k < T; k++) {
      const t = order[k]!;
      const n = uav[t]!;
      let ready = ssc + inTime[t * N + n]!;
      for (let j = predStart[t]!, end = predStart[t + 1]!; j < end; j++) {
        const p = predList[j]!;
        const m = uav[p]!;
        const arrive = m === n ? finish[p]! : finish[p]! + outBits[p]! * invRate[m * N + n]!;
        if (arrive > ready) ready = arrive;
      }
      const s = ready > free[n]! ? ready : free[n]!;
      const idx = (t * N + n) * L + level[t]!;
      const d = dur[idx]!;
      start[t] = s;
      finish[t] = s + d;
      free[n] = s + d;
      busy[n] = busy[n]! + d;
      ec[n] = ec[n]! + ecost[idx]!;
    }
    return this.fitnessFromBuffers();
  }

  private fitnessFromBuffers(): number {
    const { N, hover, fixedMove, budget, ssc, gamma } = this.cp;
    let worst = -Infinity;
    let violation = 0;
    for (let n = 0; n < N; n++) {
      const move = fixedMove[n]! + hover[n]! * (this.free[n]! - ssc);
      const obj = gamma * move + this.ec[n]!;
      if (obj > worst) worst = obj;
      const over = move + this.ec[n]! - budget[n]!;
      if (over > 0) violation += over;
    }
    return worst + Decoder.PENALTY * violation;
  }

  /** Decodes and builds the full per-UAV schedule with metrics. */
  schedule(a: Assignment): Schedule {
    this.run(a.order, a.uav, a.level);
    const cp = this.cp;
    const p = cp.source;
    const { N, L, ssc, gamma } = cp;
    const lists: ScheduledSubtask[][] = Array.from({ length: N }, () => []);
    for (let k = 0; k < cp.T; k++) {
      const t = a.order[k]!;
      const n = a.uav[t]!;
      const preds = [];
      for (let j = cp.predStart[t]!; j < cp.predStart[t + 1]!; j++) {
        const q = cp.predList[j]!;
        const m = a.uav[q]!;
        preds.push({ node: q + 1, uav: m, arriveS: m === n ? this.finish[q]! : this.finish[q]! + cp.outBits[q]! * cp.invRate[m * N + n]! });
      }
      lists[n]!.push({
        node: t + 1,
        members: p.dag.nodes[t + 1]!.members,
        startS: this.start[t]!,
        endS: this.finish[t]!,
        fHz: cp.freq[n * L + a.level[t]!]!,
        inputFrom: p.inputHolder[t + 1]!,
        predecessors: preds,
      });
    }
    let maxObj = -Infinity;
    let maxE = -Infinity;
    let totalE = 0;
    let latest = ssc;
    let waiting = 0;
    let violation = 0;
    const perUav: UavSchedule[] = lists.map((entries, n) => {
      const finishS = this.free[n]!;
      const moveEnergyJ = cp.fixedMove[n]! + cp.hover[n]! * (finishS - ssc);
      const computeEnergyJ = this.ec[n]!;
      const objectiveJ = gamma * moveEnergyJ + computeEnergyJ;
      const e = moveEnergyJ + computeEnergyJ;
      maxObj = Math.max(maxObj, objectiveJ);
      maxE = Math.max(maxE, e);
      totalE += e;
      violation += Math.max(0, e - cp.budget[n]!);
      latest = Math.max(latest, finishS);
      const idleS = finishS - ssc - this.busy[n]!;
      waiting += idleS;
      return { uav: p.uavs[n]!.id, entries, finishS, computeEnergyJ, moveEnergyJ, objectiveJ, busyS: this.busy[n]!, idleS };
    });
    const userCompletionS = new Map<string, number>();
    for (const [u, idxs] of p.dag.userNodes) {
      let done = ssc;
      for (const i of idxs) done = Math.max(done, this.finish[i - 1]!);
      userCompletionS.set(u, done);
    }
    return {
      perUav,
      assignment: a,
      metrics: {
        maxObjectiveJ: maxObj,
        maxEnergyJ: maxE,
        totalEnergyJ: totalE,
        makespanS: latest - ssc,
        computeWaitingS: waiting,
        budgetViolationJ: violation,
        feasible: violation <= 0,
        userCompletionS,
      },
    };
  }
}

/** True when `order` is a permutation of the tasks in which every predecessor comes first. */
export function isTopological(cp: CompiledProblem, order: Int32Array): boolean {
  if (order.length !== cp.T) return false;
  const pos = new Int32Array(cp.T).fill(-1);
  for (let k = 0; k < order.length; k++) {
    const t = order[k]!;
    if (t < 0 || t >= cp.T || pos[t] !== -1) return false;
    pos[t] = k;
  }
  for (let t = 0; t < cp.T; t++)
    for (let j = cp.predStart[t]!; j < cp.predStart[t + 1]!; j++) if (pos[cp.predList[j]!]! > pos[t]!) return false;
  return true;
}

/**
 * Repair: the topological order closest to `priority` — Kahn's algorithm always releasing the
 * ready task that appears earliest in `priority` (any sequence of tasks; missing ones go last).
 */
export function repairOrder(cp: CompiledProblem, priority: ArrayLike<number>): Int32Array {
  const T = cp.T;
  const rank = new Float64Array(T).fill(Infinity);
  for (let k = 0; k < priority.length; k++) {
    const t = priority[k]!;
    if (t >= 0 && t < T && rank[t] === Infinity) rank[t] = k;
  }
  for (let t = 0; t < T; t++) if (rank[t] === Infinity) rank[t] = T + t;
  const indeg = new Int32Array(T);
  for (let t = 0; t < T; t++) indeg[t] = cp.predStart[t + 1]! - cp.predStart[t]!;
  const heap = new MinHeap(rank);
  for (let t = 0; t < T; t++) if (indeg[t] === 0) heap.push(t);
  const out = new Int32Array(T);
  let k = 0;
  while (heap.size > 0) {
    const t = heap.pop();
    out[k++] = t;
    for (let j = cp.succStart[t]!; j < cp.succStart[t + 1]!; j++) {
      const s = cp.succList[j]!;
      if (--indeg[s]! === 0) heap.push(s);
    }
  }
  return out;
}

/** Binary min-heap of task ids keyed by a fixed rank array. */
export class MinHeap {
  private readonly items: number[] = [];
  constructor(private readonly key: ArrayLike<number>) {}
  get size(): number {
    return this.items.length;
  }
  push(v: number): void {
    const a = this.items;
    a.push(v);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.key[a[p]!]! <= this.key[a[i]!]!) break;
      [a[p], a[i]] = [a[i]!, a[p]!];
      i = p;
    }
  }
  pop(): number {
    const a = this.items;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.key[a[l]!]! < this.key[a[m]!]!) m = l;
        if (r < a.length && this.key[a[r]!]! < this.key[a[m]!]!) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i]!, a[m]!];
        i = m;
      }
    }
    return top;
  }
}
