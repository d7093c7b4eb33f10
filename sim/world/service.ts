/**
 * The simulated user devices on the bus. On each slot the controller announces (FleetState), the
 * users move, release one task each (TaskRequest, as the UAV that hears them would relay it), and
 * learn from the plans which tasks a UAV took. A task no UAV took is computed on the device and
 * reported as a local completion at release + T_i^loc. With `taskModel: 'dag'` users release one
 * dependent task each at every pool-round slot instead (dag.ts), which only the pool computes.
 */
import type { Clock, Timer } from '../../core/clock.ts';
import { createRng } from '../../core/rng.ts';
import type { Bus } from '../../apps/common/bus.ts';
import type { Logger } from '../../apps/common/log.ts';
import { ExecutionSite } from '../../proto/index.ts';
import type { Scenario } from './scenario.ts';
import { createUsers, localTimeS, moveUsers, slotTasks, type TaskSpec, type UserDevice } from './users.ts';
import { isPoolSlot, poolRoundTasks, taskModelOf, type DagTaskSpec } from './dag.ts';

export interface WorldStats {
  slots: number;
  released: number;
  offloaded: number;
  local: number;
}

export class WorldService {
  readonly stats: WorldStats = { slots: 0, released: 0, offloaded: 0, local: 0 };
  private users: UserDevice[];
  private lastSlot = -1;
  private readonly claimed = new Set<number>();
  private readonly timers = new Set<Timer>();

  constructor(
    private readonly bus: Bus,
    private readonly clock: Clock,
    private readonly scenario: Scenario,
    private readonly log: Logger,
  ) {
    this.users = createUsers(scenario, createRng(scenario.seed));
  }

  /** Current user positions (for reports). */
  userPositions(): readonly UserDevice[] {
    return this.users;
  }

  async start(): Promise<void> {
    await this.bus.subscribe('plan', {}, (plan) => {
      for (const a of plan.assignments) this.claimed.add(a.task_id);
    });
    await this.bus.subscribe('fleet', {}, (fleet) => !fleet.launching && this.onSlot(fleet.slot));
  }

  stop(): void {
    for (const t of this.timers) t.cancel();
    this.timers.clear();
  }

  private onSlot(slot: number): void {
    if (slot <= this.lastSlot || slot >= this.scenario.slots) return;
    for (let k = this.lastSlot + 1; k <= slot; k++) {
      if (k > 0) this.users = moveUsers(this.users, this.scenario, this.scenario.slotS, createRng(this.scenario.seed * 7919 + k));
    }
    this.lastSlot = slot;
    this.stats.slots++;
    const releaseUs = Math.round(this.clock.nowUs());
    if (taskModelOf(this.scenario) === 'dag') {
      // Pool rounds (SPEC §5.3): DAG tasks only, computed by the pool; the device never runs them itself.
      if (isPoolSlot(this.scenario, slot)) for (const t of poolRoundTasks(this.users, this.scenario, slot, releaseUs, createRng(this.scenario.seed * 104729 + slot))) this.releaseDag(t);
      return;
    }
    const tasks = slotTasks(this.users, this.scenario, slot, releaseUs, createRng(this.scenario.seed * 104729 + slot));
    for (const t of tasks) this.release(t);
  }

  private releaseDag(t: DagTaskSpec): void {
    this.stats.released++;
    const [x, y] = t.userPos;
    const inputBits = t.task.subtasks.reduce((a, st) => a + st.inputBits, 0);
    const cycles = t.task.subtasks.reduce((a, st) => a + st.cycles, 0);
    this.bus
      .publish('task', { user: t.userId }, {
        task_id: t.taskId,
        user_id: t.userId,
        user_position: { x_east_m: x, y_north_m: y, alt_m: 0 },
        data_bits: inputBits,
        cycles_per_bit: cycles / inputBits,
        local_cpu_hz: t.localCpuHz,
        tx_power_w: t.txPowerW,
        deadline_s: 0,
        release_t_us: t.releaseUs,
        subtasks: t.task.subtasks.map((st) => ({ id: st.id, content_id: st.contentId, input_bits: st.inputBits, cycles: st.cycles, output_bits: st.outputBits })),
        edges: t.task.edges.map((e) => ({ from: e.from, to: e.to })),
      })
      .catch((e: unknown) => this.log.warn({ err: e, task: t.taskId }, 'task request not published'));
  }

  private release(t: TaskSpec): void {
    this.stats.released++;
    const [x, y] = t.userPos;
    this.bus
      .publish('task', { user: t.userId }, {
        task_id: t.taskId,
        user_id: t.userId,
        user_position: { x_east_m: x, y_north_m: y, alt_m: 0 },
        data_bits: t.dataBits,
        cycles_per_bit: t.cyclesPerBit,
        local_cpu_hz: t.localCpuHz,
        tx_power_w: t.txPowerW,
        deadline_s: t.deadlineS,
        release_t_us: t.releaseUs,
      })
      .catch((e: unknown) => this.log.warn({ err: e, task: t.taskId }, 'task request not published'));
    // The device learns from the slot's plans whether a UAV takes its task; if none has by half a
    // slot, it computes the task itself. [choice] As in S3's model, the local computation counts from
    // the release (the decision is assumed known at the slot start), so planning latency does not
    // penalise local tasks: done = release + T_i^loc.
    const tLocS = localTimeS(t);
    const decideMs = Math.max(tLocS, this.scenario.slotS / 2) * 1000;
    const timer = this.clock.setTimeout(() => {
      this.timers.delete(timer);
      if (this.claimed.delete(t.taskId)) {
        this.stats.offloaded++;
        return;
      }
      this.stats.local++;
      this.bus
        .publish('userCompletion', { user: t.userId }, {
          task_id: t.taskId,
          user_id: t.userId,
          site: ExecutionSite.EXECUTION_SITE_LOCAL,
          release_t_us: t.releaseUs,
          done_t_us: Math.round(t.releaseUs + tLocS * 1e6),
          compute_s: tLocS,
          local_s: tLocS,
          late: tLocS > t.deadlineS,
        })
        .catch((e: unknown) => this.log.warn({ err: e, task: t.taskId }, 'local completion not published'));
    }, decideMs);
    this.timers.add(timer);
  }
}
