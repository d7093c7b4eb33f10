import type { MergedDag, MergedMember } from '../merge/merge.ts';

/**
 * P2 of S1 (§4.2, SPEC §5.3): with association and trajectories fixed, choose the UAV and CPU
 * frequency of every merged subtask to minimise `max_n (γ E_n^move + E_n^c)` subject to the
 * energy budget (S1 (19)).
 */

/** A UAV as it enters the compute stage (the output of P1). */
export interface PoolUavState {
  readonly id: string;
  /** Hover position during the compute stage (m); UAV–UAV rates follow from it. */
  readonly x: number;
  readonly y: number;
  readonly z: number;
  /** CPU levels (Hz), ascending. All UAVs of one problem must offer the same number of levels. */
  readonly freqLevelsHz: readonly number[];
  readonly kappa: number;
  /** p_n^hov (W), paid from SSC until the UAV's last subtask ends (S1 Eq. 12). */
  readonly hoverPowerW: number;
  /** E_n^0 (J), against unweighted E_move + E_c (S1 (19)). */
  readonly energyBudgetJ: number;
  /** Movement energy outside the compute stage: flight (Eq. 10), waiting hover E_h1 (Eq. 11), return leg (J). */
  readonly moveEnergyFixedJ: number;
  /** CFT_n: when this UAV finished collecting (s). */
  readonly collectDoneS: number;
}

export interface SchedulingProblem {
  readonly dag: MergedDag;
  readonly uavs: readonly PoolUavState[];
  /** SSC: start of the compute stage, max_n CFT_n (S1 §3.2.1). */
  readonly poolStartS: number;
  /** γ of the objective. */
  readonly gamma: number;
  /** UAV a → UAV b rate (bit/s), S1 Eq. (8); the diagonal is unused. */
  readonly rateBps: readonly (readonly number[])[];
  /**
   * Per merged node index: the UAV holding its input data (the one that collected the node's
   * uploader), or -1 for the virtual entry/exit. Computing the node elsewhere first moves
   * `inputBits` over the UAV–UAV link, starting at SSC. S1 only counts dependent data between
   * UAVs; moving the collected input is the same link and cannot be free, so it is charged too.
   */
  readonly inputHolder: readonly number[];
}

/** Flat, typed-array form of a problem for the GA's hot loop. Task t is merged node t + 1. */
export interface CompiledProblem {
  readonly source: SchedulingProblem;
  readonly T: number;
  readonly N: number;
  readonly L: number;
  /** CSR predecessors / successors among real tasks (virtual nodes dropped). */
  readonly predStart: Int32Array;
  readonly predList: Int32Array;
  readonly succStart: Int32Array;
  readonly succList: Int32Array;
  /** A topological order of the tasks. */
  readonly topo: Int32Array;
  /** Input transfer time to UAV n: inTime[t*N + n] (0 on the holder). */
  readonly inTime: Float64Array;
  /** Result transfer time from UAV a to b of task t: outBits[t] * invRate[a*N + b]. */
  readonly outBits: Float64Array;
  readonly invRate: Float64Array;
  /** dur[(t*N + n)*L + l] = cycles / f; ecost likewise = κ f² cycles (SPEC §4). */
  readonly dur: Float64Array;
  readonly ecost: Float64Array;
  readonly freq: Float64Array;
  readonly hover: Float64Array;
  readonly fixedMove: Float64Array;
  readonly budget: Float64Array;
  readonly ssc: number;
  readonly gamma: number;
}

export class ProblemError extends Error {
  override name = 'ProblemError';
}

export function compileProblem(p: SchedulingProblem): CompiledProblem {
  const N = p.uavs.length;
  if (N === 0) throw new ProblemError('no UAVs');
  const L = p.uavs[0]!.freqLevelsHz.length;
  if (L === 0 || p.uavs.some((u) => u.freqLevelsHz.length !== L)) throw new ProblemError('every UAV needs the same, non-zero number of frequency levels');
  const T = p.dag.taskCount;
  const nodes = p.dag.nodes;
  const predStart = new Int32Array(T + 1);
  const succStart = new Int32Array(T + 1);
  const preds: number[] = [];
  const succs: number[] = [];
  for (let t = 0; t < T; t++) {
    predStart[t] = preds.length;
    for (const q of nodes[t + 1]!.preds) if (q !== p.dag.entry) preds.push(q - 1);
    succStart[t] = succs.length;
    for (const q of nodes[t + 1]!.succs) if (q !== p.dag.exit) succs.push(q - 1);
  }
  predStart[T] = preds.length;
  succStart[T] = succs.length;
  const invRate = new Float64Array(N * N);
  for (let a = 0; a < N; a++)
    for (let b = 0; b < N; b++) {
      if (a === b) continue;
      const r = p.rateBps[a]?.[b];
      if (r === undefined || !(r > 0)) throw new ProblemError(`rate ${a}→${b} must be positive`);
      invRate[a * N + b] = 1 / r;
    }
  const inTime = new Float64Array(T * N);
  const outBits = new Float64Array(T);
  const dur = new Float64Array(T * N * L);
  const ecost = new Float64Array(T * N * L);
  const freq = new Float64Array(N * L);
  for (let n = 0; n < N; n++) for (let l = 0; l < L; l++) freq[n * L + l] = p.uavs[n]!.freqLevelsHz[l]!;
  for (let t = 0; t < T; t++) {
    const nd = nodes[t + 1]!;
    outBits[t] = nd.outputBits;
    const h = p.inputHolder[t + 1] ?? -1;
    if (h < 0 || h >= N) throw new ProblemError(`node ${t + 1} has no valid input holder`);
    for (let n = 0; n < N; n++) {
      inTime[t * N + n] = n === h ? 0 : nd.inputBits * invRate[h * N + n]!;
      for (let l = 0; l < L; l++) {
        const f = freq[n * L + l]!;
        dur[(t * N + n) * L + l] = nd.cycles / f;
        ecost[(t * N + n) * L + l] = p.uavs[n]!.kappa * f * f * nd.cycles;
      }
    }
  }
  const topo = new Int32Array(T);
  let k = 0;
  for (const v of p.dag.topoOrder) if (v !== p.dag.entry && v !== p.dag.exit) topo[k++] = v - 1;
  return {
    source: p,
    T,
    N,
    L,
    predStart,
    predList: Int32Array.from(preds),
    succStart,
    succList: Int32Array.from(succs),
    topo,
    inTime,
    outBits,
    invRate,
    dur,
    ecost,
    freq,
    hover: Float64Array.from(p.uavs, (u) => u.hoverPowerW),
    fixedMove: Float64Array.from(p.uavs, (u) => u.moveEnergyFixedJ),
    budget: Float64Array.from(p.uavs, (u) => u.energyBudgetJ),
    ssc: p.poolStartS,
    gamma: p.gamma,
  };
}

/** A candidate solution: a topological order of tasks, the UAV and the frequency level of each task. */
export interface Assignment {
  readonly order: Int32Array;
  readonly uav: Int32Array;
  readonly level: Int32Array;
}

export interface ScheduledSubtask {
  /** Merged node index and the original subtasks it computes. */
  readonly node: number;
  readonly members: readonly MergedMember[];
  readonly startS: number;
  readonly endS: number;
  readonly fHz: number;
  /** UAV that held the input data (input transfer needed when it differs). */
  readonly inputFrom: number;
  /** Each real predecessor, where it ran, and when its result is available here. */
  readonly predecessors: readonly { readonly node: number; readonly uav: number; readonly arriveS: number }[];
}

export interface UavSchedule {
  readonly uav: string;
  /** Subtasks in execution order (one at a time). */
  readonly entries: readonly ScheduledSubtask[];
  /** SFC_n: the end of its last subtask, or SSC when it has none. */
  readonly finishS: number;
  readonly computeEnergyJ: number;
  /** E_move = fixed part + hover from SSC to SFC_n. */
  readonly moveEnergyJ: number;
  /** γ E_move + E_c. */
  readonly objectiveJ: number;
  readonly busyS: number;
  /** Hovering idle inside [SSC, SFC_n] (waiting for predecessors / transfers). */
  readonly idleS: number;
}

export interface ScheduleMetrics {
  /** The objective: max_n (γ E_move + E_c). */
  readonly maxObjectiveJ: number;
  /** max_n and Σ_n of unweighted E_move + E_c. */
  readonly maxEnergyJ: number;
  readonly totalEnergyJ: number;
  /** Compute-stage length: max_n SFC_n − SSC. */
  readonly makespanS: number;
  /** Σ_n idle time inside the compute stage. */
  readonly computeWaitingS: number;
  readonly budgetViolationJ: number;
  readonly feasible: boolean;
  /** When each user's task completes (its last node ends), s. */
  readonly userCompletionS: ReadonlyMap<string, number>;
}

export interface Schedule {
  readonly perUav: readonly UavSchedule[];
  readonly metrics: ScheduleMetrics;
  readonly assignment: Assignment;
}
