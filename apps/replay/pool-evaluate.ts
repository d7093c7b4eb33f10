/**
 * Side-by-side metrics of pool rounds (SPEC §5.3, S1's quantities), the same for every planner:
 * - predicted (each planner's own model, `PlanMetrics`): max UAV energy max_n(γ E_move + E_c) —
 *   S1's objective (19), γ = 1 so it is the largest UAV energy —, total energy Σ_n, the compute
 *   stage (makespan, max_n SFC_n − SSC), the round's completion time SSC + makespan (S1 Fig. 4),
 *   the mean task completion time (each user's last node end), waiting Σ_n (SSC − CFT_n) +
 *   compute-stage idle (S1 Fig. 5), and the tasks the schedule completes;
 * - measured, for the recorded planner only: the round as it flew (summary.json `pools`, the
 *   controller's `PoolRoundMetrics`, energies from the twin's battery readings) plus, from the
 *   recorded subtask completions, the mean task completion and the compute-stage idle (per UAV,
 *   gaps between one subtask's end and the next one's start). Collection waiting is not measured.
 * All times in s after the round's planning instant (valid_from).
 */
import type { PoolRoundMetrics, PoolRoundPlan } from '../controller/slot/index.ts';
import type { RunRecording } from './recording.ts';
import type { PoolRoundInputs } from './pool-inputs.ts';
import type { ReplannedRound } from './pool-replan.ts';

export interface PoolRoundPredicted {
  slot: number;
  tasks: number;
  /** Undefined when the planner could not plan the round. */
  error?: string;
  maxEnergyJ: number;
  totalEnergyJ: number;
  makespanS: number;
  completionS: number;
  meanTaskCompletionS: number;
  waitingS: number;
  collectWaitS: number;
  computeWaitS: number;
  tasksCompleted: number;
  feasible: boolean;
}

export interface PoolRoundMeasured {
  slot: number;
  tasks: number;
  maxEnergyJ: number;
  totalEnergyJ: number;
  makespanS: number;
  completionS: number;
  /** Over the tasks that completed; NaN when none did. */
  meanTaskCompletionS: number;
  computeWaitS: number;
  tasksCompleted: number;
  finished: boolean;
}

export function evaluateRound(inp: PoolRoundInputs, r: ReplannedRound): PoolRoundPredicted {
  const base = { slot: inp.slot, tasks: inp.tasks.length };
  if (!r.out.ok) {
    return { ...base, error: r.out.detail ?? r.out.reason, maxEnergyJ: NaN, totalEnergyJ: NaN, makespanS: NaN, completionS: NaN, meanTaskCompletionS: NaN, waitingS: NaN, collectWaitS: NaN, computeWaitS: NaN, tasksCompleted: 0, feasible: false };
  }
  const p: PoolRoundPlan = r.out.value;
  const m = p.predicted;
  const done = [...p.engine.schedule.metrics.userCompletionS.values()].filter(Number.isFinite);
  return {
    ...base,
    maxEnergyJ: m.maxObjectiveJ,
    totalEnergyJ: m.totalEnergyJ,
    makespanS: m.computeTimeS,
    completionS: m.totalTimeS,
    meanTaskCompletionS: mean(done),
    waitingS: m.collectWaitS + m.computeWaitS,
    collectWaitS: m.collectWaitS,
    computeWaitS: m.computeWaitS,
    tasksCompleted: done.length,
    feasible: m.feasible,
  };
}

/** The recorded round as it flew; undefined when the run's summary has no metrics for it. */
export function measuredRound(inp: PoolRoundInputs, pools: readonly PoolRoundMetrics[], rec: RunRecording): PoolRoundMeasured | undefined {
  const m = pools.find((x) => x.slot === inp.slot);
  if (!m) return undefined;
  // Node keys of the round and which tasks each serves, from the recorded plans.
  const taskNodes = new Map<number, Set<string>>();
  const uavOf = new Map<string, number>();
  for (const [uavId, p] of inp.recorded) {
    for (const s of p.msg.schedule) {
      uavOf.set(s.node_key, uavId);
      for (const member of s.serves) {
        const t = Number(member.split('/')[0]);
        taskNodes.set(t, (taskNodes.get(t) ?? new Set()).add(s.node_key));
      }
    }
  }
  const first = new Map<string, { startUs: number; doneUs: number; failed: boolean }>();
  for (const { msg: c } of rec.completions) {
    if (!uavOf.has(c.subtask_id) || first.has(c.subtask_id)) continue;
    first.set(c.subtask_id, { startUs: c.service_start_t_us || c.done_t_us, doneUs: c.done_t_us, failed: c.failed });
  }
  const taskDone: number[] = [];
  for (const keys of taskNodes.values()) {
    const cs = [...keys].map((k) => first.get(k));
    if (cs.every((c) => c && !c.failed)) taskDone.push((Math.max(...cs.map((c) => c!.doneUs)) - inp.planUs) / 1e6);
  }
  let idleUs = 0;
  for (const uavId of inp.recorded.keys()) {
    const mine = [...first].filter(([k]) => uavOf.get(k) === uavId).map(([, c]) => c).sort((a, b) => a.startUs - b.startUs);
    for (let i = 1; i < mine.length; i++) idleUs += Math.max(0, mine[i]!.startUs - mine[i - 1]!.doneUs);
  }
  return {
    slot: inp.slot, tasks: m.tasks, maxEnergyJ: m.maxEnergyJ, totalEnergyJ: m.totalEnergyJ, makespanS: m.makespanS, completionS: m.totalTimeS,
    meanTaskCompletionS: mean(taskDone), computeWaitS: idleUs / 1e6, tasksCompleted: m.tasksDone, finished: m.finished,
  };
}

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

/** Sums over rounds (energies, waiting, tasks) and the mean of the per-round times. */
export function poolTotals<T extends { tasks: number; maxEnergyJ: number; totalEnergyJ: number; makespanS: number; completionS: number; meanTaskCompletionS: number; computeWaitS: number; tasksCompleted: number }>(rows: readonly T[]): Omit<PoolRoundMeasured, 'slot' | 'finished'> {
  const sum = (f: (r: T) => number) => rows.reduce((a, r) => a + f(r), 0);
  return {
    tasks: sum((r) => r.tasks),
    maxEnergyJ: sum((r) => r.maxEnergyJ),
    totalEnergyJ: sum((r) => r.totalEnergyJ),
    makespanS: sum((r) => r.makespanS),
    completionS: sum((r) => r.completionS),
    meanTaskCompletionS: mean(rows.map((r) => r.meanTaskCompletionS).filter(Number.isFinite)),
    computeWaitS: sum((r) => r.computeWaitS),
    tasksCompleted: sum((r) => r.tasksCompleted),
  };
}
