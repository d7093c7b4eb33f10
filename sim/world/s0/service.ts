/**
 * The MEDs of an S0 mission on the bus (SPEC §5.6). On each slot the HAP announces (FleetState),
 * every MED issues its task-assignment request (size, complexity, transmit power, deadline) with the
 * block fading it measured to each UAV (ChannelGain), as the twin's DT_MED. From the slot's plans
 * it learns which coalition serves it; its task is complete when every member's share result is
 * back (uavCompletion with part_bits), late when the slowest one came after the deadline (counted
 * from the plan's decision time, as S0's T_g ≤ τ_i). A request no coalition took by half a slot is
 * reported failed ("not served"): S0 computes nothing on the device.
 */
import type { Clock, Timer } from '../../../core/clock.ts';
import type { Bus } from '../../../apps/common/bus.ts';
import type { Logger } from '../../../apps/common/log.ts';
import { ExecutionSite, type MessageInput, type Plan, type TaskCompletion } from '../../../proto/index.ts';
import { s0Requests, type S0RequestSpec, type S0Setting } from './setting.ts';

export interface S0WorldStats {
  slots: number;
  released: number;
  served: number;
  unserved: number;
  completed: number;
  late: number;
}

interface Serving {
  req: S0RequestSpec;
  members: number[];
  serviceStartUs: number;
  done: Map<number, TaskCompletion>;
}

export class S0WorldService {
  readonly stats: S0WorldStats = { slots: 0, released: 0, served: 0, unserved: 0, completed: 0, late: 0 };
  private lastSlot = -1;
  private readonly open = new Map<number, S0RequestSpec>();
  private readonly serving = new Map<number, Serving>();
  private readonly timers = new Set<Timer>();

  constructor(
    private readonly bus: Bus,
    private readonly clock: Clock,
    private readonly setting: S0Setting,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    await this.bus.subscribe('plan', {}, (p) => this.onPlan(p));
    await this.bus.subscribe('uavCompletion', {}, (c) => this.onShare(c));
    await this.bus.subscribe('fleet', {}, (f) => !f.launching && this.onSlot(f.slot));
  }

  stop(): void {
    for (const t of this.timers) t.cancel();
    this.timers.clear();
  }

  private onSlot(slot: number): void {
    if (slot <= this.lastSlot || slot >= this.setting.slots) return;
    this.lastSlot = slot;
    this.stats.slots++;
    const releaseUs = Math.round(this.clock.nowUs());
    for (const r of s0Requests(this.setting, slot, releaseUs)) this.release(r);
  }

  private release(r: S0RequestSpec): void {
    this.stats.released++;
    this.open.set(r.taskId, r);
    this.bus
      .publish('task', { user: r.medId }, {
        task_id: r.taskId, user_id: r.medId, user_position: { x_east_m: r.pos[0], y_north_m: r.pos[1], alt_m: r.pos[2] },
        data_bits: r.dataBits, cycles_per_bit: r.cyclesPerBit, local_cpu_hz: r.localCpuHz, tx_power_w: r.txPowerW, deadline_s: r.deadlineS, release_t_us: r.releaseUs,
        channel_gains: r.fading.map((g) => ({ uav_id: g.uavId, fading_gain: g.gain })),
      })
      .catch((e: unknown) => this.log.warn({ err: e, task: r.taskId }, 'S0 request not published'));
    const timer = this.clock.setTimeout(() => {
      this.timers.delete(timer);
      if (!this.open.delete(r.taskId)) return;
      this.stats.unserved++;
      const localS = (r.dataBits * r.cyclesPerBit) / r.localCpuHz;
      this.complete({
        task_id: r.taskId, user_id: r.medId, site: ExecutionSite.EXECUTION_SITE_LOCAL, release_t_us: r.releaseUs, done_t_us: Math.round(this.clock.nowUs()),
        local_s: localS, failed: true, failure_reason: 'not served: no coalition with positive utility took it',
      });
    }, (this.setting.slotS / 2) * 1000);
    this.timers.add(timer);
  }

  /** The slot's plans say which coalition serves which request (every share lists its coalition). */
  private onPlan(p: Plan): void {
    for (const s of p.shares) {
      const r = this.open.get(s.task_id);
      if (!r) continue;
      this.open.delete(s.task_id);
      this.stats.served++;
      this.serving.set(s.task_id, { req: r, members: [...s.coalition_uav_ids], serviceStartUs: p.valid_from_t_us, done: new Map() });
    }
  }

  private onShare(c: TaskCompletion): void {
    const sv = this.serving.get(c.task_id);
    if (!sv || !(c.part_bits > 0) || !sv.members.includes(c.uav_id) || sv.done.has(c.uav_id)) return;
    sv.done.set(c.uav_id, c);
    if (sv.done.size < sv.members.length) return;
    this.serving.delete(c.task_id);
    const all = [...sv.done.values()];
    const doneUs = Math.max(...all.map((x) => x.done_t_us));
    const failed = all.some((x) => x.failed);
    const late = failed || (doneUs - sv.serviceStartUs) / 1e6 > sv.req.deadlineS;
    this.stats.completed++;
    if (late) this.stats.late++;
    this.complete({
      task_id: sv.req.taskId, user_id: sv.req.medId, site: ExecutionSite.EXECUTION_SITE_UAV, uav_id: sv.members[0]!, release_t_us: sv.req.releaseUs,
      service_start_t_us: sv.serviceStartUs, done_t_us: Math.max(doneUs, sv.req.releaseUs), uplink_s: Math.max(...all.map((x) => x.uplink_s)), compute_s: Math.max(...all.map((x) => x.compute_s)),
      local_s: (sv.req.dataBits * sv.req.cyclesPerBit) / sv.req.localCpuHz, late, failed, ...(failed ? { failure_reason: all.find((x) => x.failed)!.failure_reason } : {}),
      // The whole task's completion (part_bits 0): the shares' results are all back.
      compute_energy_j: all.reduce((a, x) => a + x.compute_energy_j, 0), tx_energy_j: all.reduce((a, x) => a + x.tx_energy_j, 0),
    });
  }

  private complete(c: MessageInput<TaskCompletion>): void {
    this.bus.publish('userCompletion', { user: c.user_id! }, c).catch((e: unknown) => this.log.warn({ err: e, task: c.task_id }, 'S0 completion not published'));
  }
}
