/**
 * S2's user devices on the bus (SPEC §5.4). On each slot the controller announces (FleetState):
 * idle devices offer their CPU (ComputeOffer) and busy devices release a video segment
 * (TaskRequest: D_i bits, C cycles/bit, f_i,max, p_d,max). Each device then does what its
 * DevicePlan says:
 * - a busy device computes its local part ε3·D_i at f_i on its own CPU, and sends its D2D part
 *   ε2·D_i to its idle partner over the S2 Rician D2D channel (B0, p_d; one fading draw seeded by
 *   segment and partner) — its UAV part ε1·D_i is timed by the receiving UAV's agent;
 * - an idle device computes every D2D part it receives at the f_j its plan grants, the streams side
 *   by side up to its f_j,max (reserved shares, devices.ts `DeviceCpu`).
 * Every part is reported on the busy device's completion topic (site LOCAL or D2D) with its CPU and
 * transmission energies (κ f² bits C; p_d·t). Times are computed from the plan's send time, not
 * read off timers.
 */
import type { Clock, Timer } from '../../../core/clock.ts';
import { createRng } from '../../../core/rng.ts';
import type { Bus } from '../../../apps/common/bus.ts';
import type { Logger } from '../../../apps/common/log.ts';
import { cpuEnergyBitsJ, dist, linkSeed, s2Transfer } from '../../../engines/video/index.ts';
import { DeviceRole, ExecutionSite, type DevicePlan, type MessageInput, type TaskCompletion } from '../../../proto/index.ts';
import { DeviceCpu, s2Devices, slotSegments, type S2Device, type S2WorldConfig, type SegmentSpec } from './devices.ts';

interface D2dWork { seg: SegmentSpec; releaseUs: number; slot: number; partner: number; bits: number; arrivalUs: number; transferS: number; txJ: number; kappa: number }

export class S2WorldService {
  readonly stats = { slots: 0, segments: 0, offers: 0, localParts: 0, d2dParts: 0 };
  private readonly devices: Map<number, S2Device>;
  private readonly cpus = new Map<number, DeviceCpu>();
  private readonly segments = new Map<number, { seg: SegmentSpec; slot: number; releaseUs: number }>();
  /** f_j granted to idle device (user) in slot, from its plan. */
  private readonly idleHz = new Map<string, number>();
  private waiting: D2dWork[] = [];
  private readonly timers = new Set<Timer>();
  private lastSlot = -1;

  constructor(
    private readonly bus: Bus,
    private readonly clock: Clock,
    private readonly cfg: S2WorldConfig,
    private readonly log: Logger,
  ) {
    this.devices = new Map(s2Devices(cfg).map((d) => [d.userId, d]));
    for (const d of this.devices.values()) this.cpus.set(d.userId, new DeviceCpu(d.role === 'busy' ? cfg.model.fiMaxHz : cfg.model.fjMaxHz));
  }

  device(userId: number): S2Device | undefined {
    return this.devices.get(userId);
  }

  async start(): Promise<void> {
    await this.bus.subscribe('devicePlan', {}, (p, d) => {
      if (d.params.user !== p.user_id) return this.log.warn({ topic: d.topic, user: p.user_id }, 'device plan for another device on this topic: ignored');
      this.onPlan(p);
    });
    await this.bus.subscribe('fleet', {}, (fleet) => !fleet.launching && this.onSlot(fleet.slot));
  }

  stop(): void {
    for (const t of this.timers) t.cancel();
    this.timers.clear();
  }

  private onSlot(slot: number): void {
    if (slot <= this.lastSlot || slot >= this.cfg.slots) return;
    this.lastSlot = slot;
    this.stats.slots++;
    const nowUs = Math.round(this.clock.nowUs());
    const m = this.cfg.model;
    for (const d of this.devices.values()) {
      if (d.role !== 'idle') continue;
      this.stats.offers++;
      this.send(this.bus.publish('offer', { user: d.userId }, { user_id: d.userId, slot, position: pos(d), cpu_hz_max: m.fjMaxHz }), 'offer');
    }
    for (const seg of slotSegments(this.cfg, slot)) {
      this.stats.segments++;
      this.segments.set(seg.taskId, { seg, slot, releaseUs: nowUs });
      this.send(this.bus.publish('task', { user: seg.userId }, {
        task_id: seg.taskId, user_id: seg.userId, user_position: pos(this.devices.get(seg.userId)!), data_bits: seg.dataBits, cycles_per_bit: seg.cyclesPerBit,
        local_cpu_hz: m.fiMaxHz, tx_power_w: m.pdMaxW, deadline_s: 0, release_t_us: nowUs,
      }), 'segment');
    }
  }

  private onPlan(p: DevicePlan): void {
    const t0 = p.header!.t_us;
    if (p.role === DeviceRole.DEVICE_ROLE_IDLE) {
      this.idleHz.set(`${p.slot}/${p.user_id}`, p.cpu_hz);
      const ready = this.waiting.filter((w) => w.slot === p.slot && w.partner === p.user_id);
      this.waiting = this.waiting.filter((w) => !ready.includes(w));
      for (const w of ready) this.computeD2d(w, p.cpu_hz);
      return;
    }
    const s = this.segments.get(p.task_id);
    const busy = this.devices.get(p.user_id);
    if (!s || !busy || s.seg.userId !== p.user_id) return this.log.warn({ user: p.user_id, task: p.task_id }, 'device plan for an unknown segment: ignored');
    this.segments.delete(p.task_id);
    const D = s.seg.dataBits, C = s.seg.cyclesPerBit;
    if (p.ratio_local > 0) {
      const bits = p.ratio_local * D;
      const run = this.cpus.get(p.user_id)!.schedule(t0, bits * C, p.cpu_hz);
      this.stats.localParts++;
      this.at(run.endUs, () => this.complete(s.seg.userId, {
        task_id: p.task_id, user_id: p.user_id, site: ExecutionSite.EXECUTION_SITE_LOCAL, release_t_us: s.releaseUs, service_start_t_us: Math.round(t0),
        done_t_us: Math.round(run.endUs), compute_s: (run.endUs - run.startUs) / 1e6, local_s: (bits * C) / this.cfg.model.fiMaxHz,
        compute_energy_j: cpuEnergyBitsJ(p.kappa, p.cpu_hz, bits, C), part_bits: bits,
      }));
    }
    if (p.ratio_d2d > 0) {
      const idle = this.devices.get(p.partner_user_id);
      if (!idle || idle.role !== 'idle' || !p.d2d) return this.log.warn({ user: p.user_id, partner: p.partner_user_id }, 'D2D part to an unknown idle device: not sent');
      const bits = p.ratio_d2d * D;
      const ch = p.d2d;
      const link = s2Transfer({ beta0: ch.beta0, chi: ch.path_loss_exponent, gamma: ch.rician_factor }, ch.noise_dbm, p.d2d_bandwidth_hz, p.tx_power_w,
        dist(busy.pos, idle.pos), bits, createRng(linkSeed(p.task_id, idle.userId)));
      const w: D2dWork = { seg: s.seg, releaseUs: s.releaseUs, slot: p.slot, partner: idle.userId, bits, arrivalUs: t0 + link.seconds * 1e6, transferS: link.seconds, txJ: p.tx_power_w * link.seconds, kappa: p.kappa };
      this.stats.d2dParts++;
      const hz = this.idleHz.get(`${p.slot}/${idle.userId}`);
      if (hz) this.computeD2d(w, hz);
      else this.waiting.push(w);
    }
  }

  /** The idle partner computes a received D2D part at its granted f_j (after the transfer, in arrival order). */
  private computeD2d(w: D2dWork, hz: number): void {
    const C = w.seg.cyclesPerBit;
    const release = w.releaseUs;
    const run = this.cpus.get(w.partner)!.schedule(Math.max(w.arrivalUs, this.clock.nowUs()), w.bits * C, hz);
    this.at(run.endUs, () => this.complete(w.seg.userId, {
      task_id: w.seg.taskId, user_id: w.seg.userId, site: ExecutionSite.EXECUTION_SITE_D2D, helper_user_id: w.partner, release_t_us: release,
      service_start_t_us: Math.round(w.arrivalUs - w.transferS * 1e6), done_t_us: Math.round(run.endUs), uplink_s: w.transferS,
      compute_s: (run.endUs - run.startUs) / 1e6, local_s: (w.bits * C) / this.cfg.model.fiMaxHz, compute_energy_j: cpuEnergyBitsJ(w.kappa, hz, w.bits, C),
      part_bits: w.bits, tx_energy_j: w.txJ,
    }));
  }

  private at(tUs: number, f: () => void): void {
    const timer = this.clock.setTimeout(() => {
      this.timers.delete(timer);
      f();
    }, Math.max(0, (tUs - this.clock.nowUs()) / 1000));
    this.timers.add(timer);
  }

  private complete(userId: number, c: MessageInput<TaskCompletion>): void {
    this.send(this.bus.publish('userCompletion', { user: userId }, c), 'completion');
  }

  private send(p: Promise<void>, what: string): void {
    p.catch((e: unknown) => this.log.warn({ err: e }, `${what} not published`));
  }
}

function pos(d: S2Device): { x_east_m: number; y_north_m: number; alt_m: number } {
  return { x_east_m: d.pos[0], y_north_m: d.pos[1], alt_m: d.pos[2] };
}
