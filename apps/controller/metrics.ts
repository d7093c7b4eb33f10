/**
 * Mission metrics, slot by slot: what was released, planned, acknowledged and completed, the
 * achieved delay optimisation ratio (SPEC §5.1: Σ_i (1 − T_i / T_i^loc) over the slot's completed
 * tasks, with T_i measured from release to result), lateness and energy. Pure bookkeeping.
 */
import type { TaskCompletion } from '../../proto/index.ts';
import type { PoolRoundMetrics } from './slot/pool-round.ts';

export interface SlotMetrics {
  slot: number;
  startUs: number;
  released: number;
  servingUavs: number;
  predictedDor: number;
  plansSent: number;
  plansAcked: number;
  plansNacked: number;
  offloaded: number;
  completed: number;
  completedOnUav: number;
  late: number;
  failed: number;
  /** Achieved DOR of the slot's completed tasks (T_i from service start, SPEC §5.1). */
  dor: number;
  /** Tasks that reached the controller after the slot's plan was made (left to the device). */
  missedWindow: number;
  /** Sum of decision latencies (service start − release) of offloaded completions, s. */
  decisionLatencySumS: number;
  /** Energy used by each UAV by the end of the slot (flight + compute), J. */
  energyJ: Record<number, number>;
}

export class MetricsLedger {
  readonly slots: SlotMetrics[] = [];
  /** Plans sent before slot 0 (take-off) and their answers. */
  readonly launch = { plansSent: 0, plansAcked: 0, plansNacked: 0 };
  /** Computing-power-pool rounds (dag mode), in order, closed ones only. */
  readonly pools: PoolRoundMetrics[] = [];
  private readonly taskSlot = new Map<number, number>();
  private readonly done = new Set<number>();
  private readonly planSlot = new Map<string, number>();

  beginSlot(slot: number, startUs: number): SlotMetrics {
    const m: SlotMetrics = { slot, startUs, released: 0, servingUavs: 0, predictedDor: 0, plansSent: 0, plansAcked: 0, plansNacked: 0, offloaded: 0, completed: 0, completedOnUav: 0, late: 0, failed: 0, dor: 0, missedWindow: 0, decisionLatencySumS: 0, energyJ: {} };
    this.slots[slot] = m;
    return m;
  }

  taskReleased(taskId: number, slot: number): void {
    if (this.taskSlot.has(taskId)) return;
    this.taskSlot.set(taskId, slot);
    const m = this.slots[slot];
    if (m) m.released++;
  }

  /** Records a plan; slot −1 is the launch before slot 0. */
  planSent(uavId: number, planSeq: number, slot: number): void {
    this.planSlot.set(`${uavId}:${planSeq}`, slot);
    const m = slot < 0 ? this.launch : this.slots[slot];
    if (m) m.plansSent++;
  }

  planAnswered(uavId: number, planSeq: number, accepted: boolean): void {
    const slot = this.planSlot.get(`${uavId}:${planSeq}`);
    if (slot === undefined) return;
    this.planSlot.delete(`${uavId}:${planSeq}`);
    const m = slot < 0 ? this.launch : this.slots[slot]!;
    if (accepted) m.plansAcked++;
    else m.plansNacked++;
  }

  /** Counts a completion once per task; returns false for duplicates and unknown tasks. */
  completion(c: TaskCompletion): boolean {
    const slot = this.taskSlot.get(c.task_id);
    if (slot === undefined || this.done.has(c.task_id)) return false;
    this.done.add(c.task_id);
    const m = this.slots[slot]!;
    m.completed++;
    if (c.site === 2) m.completedOnUav++;
    if (c.late) m.late++;
    if (c.failed) {
      m.failed++;
      return true;
    }
    // A task computed locally contributes exactly 0 (T_i = T_i^loc); only offloaded tasks move the DOR.
    if (c.site === 2) {
      const start = c.service_start_t_us || c.release_t_us;
      m.dor += 1 - (c.done_t_us - start) / 1e6 / c.local_s;
      m.decisionLatencySumS += (start - c.release_t_us) / 1e6;
    }
    return true;
  }

  /**
   * A dependent task (SPEC §5.3) finished: all its subtasks' results exist, or it failed. Counted
   * as completed on the UAVs; it does not enter the DOR (an S3 quantity for indivisible tasks).
   */
  dagCompletion(taskId: number, failed: boolean): boolean {
    const slot = this.taskSlot.get(taskId);
    if (slot === undefined || this.done.has(taskId)) return false;
    this.done.add(taskId);
    const m = this.slots[slot]!;
    m.completed++;
    m.completedOnUav++;
    if (failed) m.failed++;
    return true;
  }

  /** A task arrived after its slot was planned. */
  missed(slot: number): void {
    const m = this.slots[slot];
    if (m) m.missedWindow++;
  }

  totals(): { released: number; completed: number; completedOnUav: number; late: number; failed: number; dor: number; meanDorPerSlot: number; plansSent: number; plansAcked: number; plansNacked: number; missedWindow: number; meanDecisionLatencyS: number } {
    const s = this.slots.filter(Boolean);
    const sum = (f: (m: SlotMetrics) => number) => s.reduce((a, m) => a + f(m), 0);
    const dor = sum((m) => m.dor);
    return {
      released: sum((m) => m.released),
      completed: sum((m) => m.completed),
      completedOnUav: sum((m) => m.completedOnUav),
      late: sum((m) => m.late),
      failed: sum((m) => m.failed),
      dor,
      meanDorPerSlot: s.length ? dor / s.length : 0,
      plansSent: sum((m) => m.plansSent) + this.launch.plansSent,
      plansAcked: sum((m) => m.plansAcked) + this.launch.plansAcked,
      plansNacked: sum((m) => m.plansNacked) + this.launch.plansNacked,
      missedWindow: sum((m) => m.missedWindow),
      meanDecisionLatencyS: sum((m) => m.completedOnUav) > 0 ? sum((m) => m.decisionLatencySumS) / sum((m) => m.completedOnUav) : 0,
    };
  }
}
