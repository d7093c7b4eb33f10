/**
 * Bookkeeping of one computing-power-pool round (SPEC §5.3) while it flies: which merged nodes'
 * results exist (relayed to the agents in FleetState.results_ready), when each user's task
 * completes (all the nodes it needs are done), and the round's measured metrics next to the
 * engine's prediction. Pure: completions and energy readings in, metrics out.
 */
import type { PoolRoundPlan } from './pool-slot.ts';

export interface PoolRoundMetrics {
  /** Slot the round started in. */
  slot: number;
  tasks: number;
  /** Merged nodes computed once each, and the original subtasks they stand for. */
  nodes: number;
  subtasks: number;
  /** Nodes serving more than one user (computed once, results shared). */
  sharedNodes: number;
  uavs: number;
  predicted: { maxEnergyJ: number; totalEnergyJ: number; collectionS: number; makespanS: number; totalTimeS: number };
  /** Measured: subtask completions received, duplicates, and tasks complete. */
  nodesDone: number;
  duplicateCompletions: number;
  failedNodes: number;
  tasksDone: number;
  /** tasksDone / tasks. */
  completion: number;
  /** Last result − valid_from (s): the round's total time, S1 Fig. 4's quantity. */
  totalTimeS: number;
  /** Last result − first subtask start (s): the compute stage. */
  makespanS: number;
  /** Per UAV: flight + compute energy spent during the round (J); max and sum over UAVs. */
  energyJ: Record<number, number>;
  maxEnergyJ: number;
  totalEnergyJ: number;
  computeEnergyJ: number;
  /** Whether every node was done when the round closed (false = closed by expiry). */
  finished: boolean;
}

export interface NodeCompletion {
  key: string;
  uavId: number;
  serviceStartUs: number;
  doneUs: number;
  computeEnergyJ: number;
  failed: boolean;
}

export class PoolRound {
  readonly done = new Map<string, NodeCompletion>();
  private readonly tasksDone = new Map<number, number>();
  private duplicates = 0;
  private closed: PoolRoundMetrics | undefined;

  constructor(
    readonly plan: PoolRoundPlan,
    readonly slot: number,
    /** Each UAV's energy used so far (flight + compute, J) when the round started. */
    private readonly energyAtStartJ: ReadonlyMap<number, number>,
  ) {}

  get finished(): boolean {
    return this.done.size === this.plan.nodes.size;
  }

  /** Keys and result times of the nodes done so far, for FleetState (failed ones excluded). */
  ready(): { keys: string[]; doneUs: number[] } {
    const ok = [...this.done.values()].filter((c) => !c.failed);
    return { keys: ok.map((c) => c.key), doneUs: ok.map((c) => c.doneUs) };
  }

  /**
   * Records a node's completion; returns the tasks it completed (all their nodes done), with the
   * completion time = their last node's. Unknown keys and repeats return undefined.
   */
  complete(c: NodeCompletion): { taskId: number; doneUs: number; failed: boolean }[] | undefined {
    if (!this.plan.nodes.has(c.key)) return undefined;
    if (this.done.has(c.key)) {
      this.duplicates++;
      return undefined;
    }
    this.done.set(c.key, c);
    const out: { taskId: number; doneUs: number; failed: boolean }[] = [];
    for (const taskId of this.plan.nodes.get(c.key)!.taskIds) {
      if (this.tasksDone.has(taskId)) continue;
      const need = this.plan.taskNodes.get(taskId) ?? [];
      if (!need.every((k) => this.done.has(k))) continue;
      const doneUs = Math.max(...need.map((k) => this.done.get(k)!.doneUs));
      this.tasksDone.set(taskId, doneUs);
      out.push({ taskId, doneUs, failed: need.some((k) => this.done.get(k)!.failed) });
    }
    return out;
  }

  /** Tasks whose nodes are not all done (to report as failed when the round is closed early). */
  openTasks(): number[] {
    return [...this.plan.taskNodes.keys()].filter((t) => !this.tasksDone.has(t));
  }

  /** The round's metrics; `energyNowJ` = each UAV's energy used so far now. Idempotent after the first call. */
  close(energyNowJ: ReadonlyMap<number, number>): PoolRoundMetrics {
    if (this.closed) return this.closed;
    const p = this.plan;
    const comps = [...this.done.values()];
    const lastUs = comps.length ? Math.max(...comps.map((c) => c.doneUs)) : p.validFromUs;
    const firstStartUs = comps.length ? Math.min(...comps.map((c) => c.serviceStartUs)) : lastUs;
    const energyJ: Record<number, number> = {};
    for (const id of p.plans.keys()) energyJ[id] = Math.max(0, (energyNowJ.get(id) ?? 0) - (this.energyAtStartJ.get(id) ?? 0));
    const e = Object.values(energyJ);
    const nodes = [...p.nodes.values()];
    this.closed = {
      slot: this.slot,
      tasks: p.taskNodes.size,
      nodes: nodes.length,
      subtasks: nodes.reduce((a, n) => a + n.members.length, 0),
      sharedNodes: nodes.filter((n) => n.taskIds.length > 1).length,
      uavs: p.plans.size,
      predicted: {
        maxEnergyJ: Math.max(...p.engine.schedule.perUav.map((u) => u.moveEnergyJ + u.computeEnergyJ)),
        totalEnergyJ: p.predicted.totalEnergyJ,
        collectionS: p.predicted.collectionTimeS,
        makespanS: p.predicted.computeTimeS,
        totalTimeS: p.predicted.totalTimeS,
      },
      nodesDone: comps.filter((c) => !c.failed).length,
      duplicateCompletions: this.duplicates,
      failedNodes: comps.filter((c) => c.failed).length,
      tasksDone: [...this.tasksDone.keys()].length,
      completion: p.taskNodes.size ? this.tasksDone.size / p.taskNodes.size : 1,
      totalTimeS: (lastUs - p.validFromUs) / 1e6,
      makespanS: (lastUs - firstStartUs) / 1e6,
      energyJ,
      maxEnergyJ: e.length ? Math.max(...e) : 0,
      totalEnergyJ: e.reduce((a, b) => a + b, 0),
      computeEnergyJ: comps.reduce((a, c) => a + c.computeEnergyJ, 0),
      finished: this.finished,
    };
    return this.closed;
  }
}
