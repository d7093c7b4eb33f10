/**
 * The pool (dag-mode) half of the planning-inputs rebuild (inputs.ts): what the controller's
 * `PoolController` (apps/controller/pool.ts) knew at each round's planning, from a recording.
 *
 * - Pending DAG tasks: every TaskRequest with subtasks received once slots run waits for the next
 *   round, however late in the slot (`PoolController.add`); a later copy updates it in place.
 *   Where the controller's planning-inputs event for the round exists (`pool: true`), the tasks
 *   are exactly its ids in its order instead.
 * - The twin's fidelity (SPEC §2) learns from the running round's subtask completions: the first
 *   non-failed completion of each of its nodes, planned vs measured completion after valid_from
 *   and compute time (`PoolController.fidelitySample`). The round runs from its plans until every
 *   node has a completion or until the first slot step after its expiry; the node predictions
 *   come from the recorded plans' schedules (doubles on the wire, so exactly the planner's).
 * - After a round closes, the next slot plan's previous hover targets are the round's pool
 *   positions (each recorded pool plan's last waypoint, service.ts `afterPool`).
 * Pure: recorded messages in, inputs out.
 */
import type { TaskCompletion, TaskRequest } from '../../proto/index.ts';
import type { Point2, PoolTask } from '../controller/slot/index.ts';
import { poolTask } from '../controller/pool.ts';
import { recordCompletion, type Twin } from '../controller/twin/index.ts';
import type { RecordedPlan } from './recording.ts';

/** `Plan.planner` of the controller's pool-round plans. */
export const POOL_PLANNER = 'pool';

/** What one pool round was planned from. */
export interface PoolRoundInputs {
  slot: number;
  /** When the controller planned it (the plans' valid_from_t_us), µs. */
  planUs: number;
  twin: Twin;
  /** The DAG tasks, in the order given to `planPoolSlot`. */
  tasks: PoolTask[];
  /** The round's recorded plans, by UAV id. */
  recorded: Map<number, RecordedPlan>;
  /** Whether the tasks come from the controller's planning-inputs event (else inferred from receive times). */
  fromEvent: boolean;
}

interface RoundNode {
  predictedEndS: number;
  cycles: number;
  cpuHz: number;
}

export class PoolTracker {
  private pending = new Map<number, TaskRequest>();
  private round: { nodes: Map<string, RoundNode>; done: Set<string>; validFromUs: number; expiresUs: number; targets: Map<number, Point2> } | undefined;
  /** Pool positions of the last round closed and not yet followed by a slot plan. */
  private closedTargets: Map<number, Point2> | undefined;

  /** A task request (slot ≥ 0); false when it is not a DAG task. */
  onTask(m: TaskRequest): boolean {
    if (m.subtasks.length === 0) return false;
    this.pending.set(m.task_id, m);
    return true;
  }

  /** A subtask completion: returns the twin with its fidelity sample applied (or unchanged). */
  onCompletion(c: TaskCompletion, twin: Twin): Twin {
    const r = this.round;
    if (!r) return twin;
    const n = r.nodes.get(c.subtask_id);
    if (!n || r.done.has(c.subtask_id)) return twin;
    const out = c.failed ? twin : recordCompletion(twin, c.uav_id, { predictedS: n.predictedEndS, actualS: (c.done_t_us - r.validFromUs) / 1e6, predictedComputeS: n.cycles / n.cpuHz, actualComputeS: c.compute_s });
    r.done.add(c.subtask_id);
    if (r.done.size === r.nodes.size) this.close();
    return out;
  }

  /** At a slot's planning step: the running round closes when its plans have expired. */
  onStep(nowUs: number): void {
    if (this.round && nowUs > this.round.expiresUs) this.close();
  }

  get active(): boolean {
    return this.round !== undefined;
  }

  /** A round's planning: its tasks (pending, or the listed ids' last copies), then it runs. */
  startRound(slot: number, planUs: number, twin: Twin, recorded: Map<number, RecordedPlan>, listed: number[] | undefined, lastCopy: (id: number) => TaskRequest | undefined): PoolRoundInputs {
    const tasks = listed ? listed.map(lastCopy).filter((m) => m !== undefined).map(poolTask) : [...this.pending.values()].map(poolTask);
    this.pending = new Map();
    const nodes = new Map<string, RoundNode>();
    const targets = new Map<number, Point2>();
    let expiresUs = planUs;
    for (const [uavId, p] of recorded) {
      for (const s of p.msg.schedule) nodes.set(s.node_key, { predictedEndS: s.end_s, cycles: s.cycles, cpuHz: s.cpu_hz });
      const wp = p.msg.flight?.waypoints.at(-1);
      if (wp) targets.set(uavId, [wp.x_east_m, wp.y_north_m]);
      expiresUs = Math.max(expiresUs, p.msg.expires_t_us);
    }
    this.round = { nodes, done: new Set(), validFromUs: planUs, expiresUs, targets };
    return { slot, planUs, twin, tasks, recorded, fromEvent: listed !== undefined };
  }

  /** For the next slot plan: the closed round's pool positions as previous targets (once). */
  takeClosedTargets(): Map<number, Point2> | undefined {
    const t = this.closedTargets;
    this.closedTargets = undefined;
    return t;
  }

  private close(): void {
    this.closedTargets = this.round!.targets;
    this.round = undefined;
  }
}
