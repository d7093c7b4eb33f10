/**
 * The controller's side of the computing power pool (SPEC §5.3) in dag mode: it collects DAG task
 * requests, starts a pool round when tasks are pending and no round is running (`planPoolSlot`),
 * tracks the round's subtask completions (`PoolRound`), says which results are ready for the
 * FleetState, turns completed user tasks into task completions for the ledger, and closes the
 * round — when every node is done, or at the plans' expiry with the rest reported failed.
 * No bus and no clock: the service passes time and the twin in and publishes what comes out.
 */
import type { TaskCompletion, TaskRequest } from '../../proto/index.ts';
import type { GaOptions, PoolParams } from '../../engines/scheduling/index.ts';
import type { PlanBody, Point2 } from './slot/index.ts';
import { planPoolSlot, PoolRound, type PoolRoundMetrics, type PoolTask } from './slot/index.ts';
import type { Twin } from './twin/index.ts';

export interface PoolConfig {
  params: PoolParams;
  /** κ the agents charge for computing (SPEC §4). */
  kappa: number;
  cruiseAltM: number;
  speedMS: number;
  seed: number;
  ga?: Partial<GaOptions>;
}

/** What the service does after a pool step. */
export interface PoolStep {
  /** Plans to publish (a round started). */
  plans?: Map<number, PlanBody>;
  /** With `plans`: the DAG task ids the round was planned from, in the order given to the planner. */
  taskIds?: number[];
  /** The round closed with these metrics. */
  closed?: PoolRoundMetrics;
  /** User tasks finished (all their subtasks' results exist), or failed when the round closed early. */
  completions: PoolTaskDone[];
  /** Why a round could not start. */
  error?: string;
}

export interface PoolTaskDone {
  taskId: number;
  userId: number;
  releaseUs: number;
  doneUs: number;
  failed: boolean;
  failureReason?: string;
}

/** Energy used so far per UAV (flight + compute), J. */
export function energyUsed(twin: Twin): Map<number, number> {
  return new Map([...twin.values()].map((u) => [u.id, (u.flightEnergyJ ?? 0) + u.computeEnergyJ]));
}

export class PoolController {
  private readonly pending = new Map<number, PoolTask>();
  private round: PoolRound | undefined;
  private readonly releases = new Map<number, { userId: number; releaseUs: number }>();
  readonly rounds: PoolRoundMetrics[] = [];
  /** Pool positions of the last round started (where the UAVs end up). */
  lastTargets: Map<number, Point2> | undefined;

  constructor(private readonly cfg: PoolConfig) {}

  get active(): boolean {
    return this.round !== undefined;
  }

  /** Keeps a DAG task request for the next round; false when it has no subtasks (not a pool task). */
  add(m: TaskRequest): boolean {
    if (m.subtasks.length === 0) return false;
    this.pending.set(m.task_id, poolTask(m));
    return true;
  }

  /** At a slot's planning instant: start a round if tasks are pending and none runs; close an expired one. */
  step(slot: number, nowUs: number, twin: Twin): PoolStep {
    const out: PoolStep = { completions: [] };
    if (this.round && nowUs > this.round.plan.expiresUs) this.close(nowUs, twin, out);
    if (this.round || this.pending.size === 0) return out;
    const tasks = [...this.pending.values()];
    const r = planPoolSlot({ slot, nowUs, twin, tasks, params: this.cfg.params, cruiseAltM: this.cfg.cruiseAltM, speedMS: this.cfg.speedMS, kappa: this.cfg.kappa, seed: this.cfg.seed, ...(this.cfg.ga ? { ga: this.cfg.ga } : {}) });
    if (!r.ok) return { ...out, error: `${r.reason}${r.detail ? `: ${r.detail}` : ''}` };
    this.pending.clear();
    for (const t of tasks) this.releases.set(t.taskId, { userId: t.userId, releaseUs: t.releaseUs });
    this.round = new PoolRound(r.value, slot, energyUsed(twin));
    this.lastTargets = r.value.targets;
    return { ...out, plans: r.value.plans, taskIds: tasks.map((t) => t.taskId) };
  }

  /** Closes the running round now (mission end): its open tasks are reported failed. */
  closeNow(nowUs: number, twin: Twin): PoolStep {
    const out: PoolStep = { completions: [] };
    if (this.round) this.close(nowUs, twin, out);
    return out;
  }

  /** FleetState fields: the current round's results so far. */
  ready(): { results_ready: string[]; results_ready_t_us: number[] } {
    const r = this.round?.ready() ?? { keys: [], doneUs: [] };
    return { results_ready: r.keys, results_ready_t_us: r.doneUs };
  }

  /**
   * The twin's fidelity sample for a subtask completion of the running round (SPEC §2): planned vs
   * measured completion (s after valid_from) and compute time; undefined for unknown keys and
   * repeats (call before `onSubtask`).
   */
  fidelitySample(c: TaskCompletion): { predictedS: number; actualS: number; predictedComputeS: number; actualComputeS: number } | undefined {
    const n = this.round?.plan.nodes.get(c.subtask_id);
    if (!n || c.failed || this.round!.done.has(c.subtask_id)) return undefined;
    const t0 = this.round!.plan.validFromUs;
    return { predictedS: n.predictedEndS, actualS: (c.done_t_us - t0) / 1e6, predictedComputeS: n.cycles / n.cpuHz, actualComputeS: c.compute_s };
  }

  /** A subtask completion (subtask_id = node key); returns true when it belonged to the round. */
  onSubtask(c: TaskCompletion, nowUs: number, twin: Twin, out: PoolStep): boolean {
    const round = this.round;
    if (!round) return false;
    const done = round.complete({ key: c.subtask_id, uavId: c.uav_id, serviceStartUs: c.service_start_t_us || c.done_t_us, doneUs: c.done_t_us, computeEnergyJ: c.compute_energy_j, failed: c.failed });
    if (!done) return round.plan.nodes.has(c.subtask_id);
    for (const d of done) out.completions.push(this.taskCompletion(d.taskId, d.doneUs, d.failed ? 'a subtask failed' : undefined));
    if (round.finished) this.close(nowUs, twin, out);
    return true;
  }

  private close(nowUs: number, twin: Twin, out: PoolStep): void {
    const round = this.round!;
    for (const t of round.openTasks()) out.completions.push(this.taskCompletion(t, Math.round(nowUs), 'pool round expired before all its subtasks were done'));
    out.closed = round.close(energyUsed(twin));
    this.rounds.push(out.closed);
    this.round = undefined;
  }

  private taskCompletion(taskId: number, doneUs: number, failure?: string): PoolTaskDone {
    const r = this.releases.get(taskId)!;
    this.releases.delete(taskId);
    return { taskId, userId: r.userId, releaseUs: r.releaseUs, doneUs: Math.max(doneUs, r.releaseUs), failed: failure !== undefined, ...(failure ? { failureReason: failure } : {}) };
  }
}

/** A DAG TaskRequest as the pool keeps it (also how replay rebuilds a round's inputs). */
export function poolTask(m: TaskRequest): PoolTask {
  const p = m.user_position!;
  return {
    taskId: m.task_id,
    userId: m.user_id,
    pos: [p.x_east_m, p.y_north_m, p.alt_m],
    releaseUs: m.release_t_us || m.header!.t_us,
    subtasks: m.subtasks.map((s) => ({ id: s.id, contentId: s.content_id || `${m.task_id}/${s.id}`, inputBits: s.input_bits, cycles: s.cycles, outputBits: s.output_bits })),
    edges: m.edges.map((e) => ({ from: e.from, to: e.to })),
  };
}
