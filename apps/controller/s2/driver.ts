/**
 * The controller's S2 shell (SPEC §5.4): keeps the S2 part of the digital twin from the bus (UAV
 * positions and velocities, idle devices' offers, busy devices' segments, part completions), and
 * each slot builds the planner's input, runs the actor through `planS2Slot`, publishes the device
 * plans and the slot record, and hands the UAV plans to the controller service (which signs, sends
 * and tracks them like any plan). At the end it closes the books (ledger.ts) and publishes each
 * slot's revenue as flown.
 */
import type { Clock } from '../../../core/clock.ts';
import type { Bus } from '../../common/bus.ts';
import type { Logger } from '../../common/log.ts';
import type { MessageInput, Plan, TaskCompletion, TaskRequest, TwinState, VideoSlot } from '../../../proto/index.ts';
import type { P3, S2Model } from '../../../engines/video/index.ts';
import { planS2Slot, type Actor, type S2BusyDevice, type S2IdleDevice, type S2PlannerConfig, type S2SlotPlan } from './plan.ts';
import { FlightMeter, S2Ledger, type S2Penalties, type S2SlotAccount } from './ledger.ts';

export interface S2DriverConfig {
  model: S2Model;
  penalties: S2Penalties;
  planner: string;
  algo: string;
  modelSha256: string;
  /** Busy device ids in the env's order (index i), idle ones likewise. */
  busyIds: number[];
  idleIds: number[];
  /** UAV k = id k + 1: its start (the env's) and its home (launch point, on the ground). */
  starts: P3[];
  homes: P3[];
  /** How long after the collection window the planner waits for missing segments, s (default half a slot). */
  segmentWaitS?: number;
}

export class S2Driver {
  readonly ledger: S2Ledger;
  readonly meter = new FlightMeter();
  readonly plans: S2SlotPlan[] = [];
  accounts: S2SlotAccount[] | undefined;
  private readonly pos = new Map<number, P3>();
  private readonly busy = new Map<number, S2BusyDevice>();
  private readonly idle = new Map<number, S2IdleDevice>();
  private readonly planner: S2PlannerConfig;
  /** Last known position of each busy device. */
  private readonly busyPos = new Map<number, P3>();
  /** Flight meter readings at slot 0: E_r counts from there (the env's episode starts airborne). */
  private flightBaseJ: number[] = [];
  private endJ: number[] | undefined;
  private lastPlanUs = -1;
  /** Segments that arrived after their slot was planned (never planned; the device keeps them). */
  missedSegments = 0;

  constructor(
    private readonly bus: Bus,
    private readonly clock: Clock,
    private readonly cfg: S2DriverConfig,
    private readonly actor: Actor,
    private readonly log: Logger,
    /** Keeps a virtual clock still while a promise runs (onnxruntime inference is asynchronous and not bus traffic). */
    private readonly hold: <T>(p: Promise<T>) => Promise<T> = (p) => p,
  ) {
    this.ledger = new S2Ledger(cfg.model, cfg.penalties);
    this.planner = { model: cfg.model, planner: cfg.planner };
  }

  /** Subscribes to what only S2 has (the idle devices' offers); the rest comes through `receive`. */
  async attach(): Promise<void> {
    await this.bus.subscribe('offer', {}, (m) => this.idle.set(m.user_id, { userId: m.user_id, pos: [m.position!.x_east_m, m.position!.y_north_m, m.position!.alt_m], cpuHzMax: m.cpu_hz_max }));
  }

  /**
   * A message the controller received (one subscription per topic on a lockstep bus): twin states
   * feed the flight meter and positions, task requests are the busy devices' segments, completions
   * the parts' books. `topicUav` is the UAV id of the topic it came on.
   */
  receive(kind: string, msg: unknown, topicUav?: number): void {
    if (kind === 'twin') this.onTwin(msg as TwinState, topicUav);
    else if (kind === 'task') this.onSegment(msg as TaskRequest);
    else if (kind === 'completion') {
      const c = msg as TaskCompletion;
      if (!this.ledger.completion(c)) this.log.warn({ task: c.task_id, site: c.site }, 'S2 completion of no planned part, or a repeat');
    }
  }

  private onTwin(m: TwinState, topicUav: number | undefined): void {
    if (topicUav !== m.uav_id || !m.position) return;
    this.pos.set(m.uav_id, [m.position.x_east_m, m.position.y_north_m, m.position.alt_m]);
    if (m.velocity) this.meter.sample(m.uav_id, m.header!.t_us, [m.velocity.vx_east_m_s, m.velocity.vy_north_m_s, m.velocity.vz_up_m_s]);
  }

  private onSegment(m: TaskRequest): void {
    const p = m.user_position!;
    const releaseUs = m.release_t_us || m.header!.t_us;
    // A late segment of an earlier slot never replaces a fresher one.
    if ((this.busy.get(m.user_id)?.segment?.releaseUs ?? -1) >= releaseUs) return;
    this.busy.set(m.user_id, {
      userId: m.user_id, pos: [p.x_east_m, p.y_north_m, p.alt_m],
      segment: { taskId: m.task_id, dataBits: m.data_bits, cyclesPerBit: m.cycles_per_bit, releaseUs },
    });
  }

  /** Plans slot k from the twin as it is now; publishes the device plans and the slot record, returns the UAV plans. */
  async planSlot(k: number, collectedUs: number): Promise<Map<number, MessageInput<Plan>>> {
    const c = this.cfg;
    // Every busy device releases a segment each slot (S2): wait for the stragglers, up to `segmentWaitS`.
    const until = collectedUs + (c.segmentWaitS ?? 0.5 * c.model.slotS) * 1e6;
    while (this.clock.nowUs() < until && !c.busyIds.every((id) => this.fresh(this.busy.get(id)))) await this.clock.sleep(5);
    const nowUs = this.clock.nowUs();
    const startJ = c.starts.map((_, i) => this.meter.energyJ(i + 1, nowUs));
    const computeJ = this.ledger.uavComputeJ();
    if (this.plans.length === 0) this.flightBaseJ = startJ;
    const out = await planS2Slot(this.planner, {
      slot: k, nowUs,
      // A device not heard from this slot is planned without a segment (its plan is skipped).
      busy: c.busyIds.map((id) => this.takeSegment(id) ?? { userId: id, pos: this.lastBusyPos(id) }),
      idle: c.idleIds.map((id) => this.idle.get(id)).filter((d): d is S2IdleDevice => d !== undefined),
      uavs: c.starts.map((_, i) => ({ uavId: i + 1, pos: this.pos.get(i + 1), usedJ: startJ[i]! - this.flightBaseJ[i]! + (computeJ[i] ?? 0), home: c.homes[i]! })),
      starts: c.starts,
    }, (obs) => this.hold(this.actor(obs)));
    this.lastPlanUs = nowUs;
    this.plans[k] = out;
    this.ledger.open(k, out, startJ);
    for (const [user, p] of out.devicePlans) this.send(this.bus.publish('devicePlan', { user }, p), 'device plan');
    this.send(this.bus.publish('videoSlot', {}, this.record(k, out)), 'video slot record');
    if (out.reserveRtl.length) this.log.warn({ slot: k, uavs: out.reserveRtl }, 'UAVs sent home to keep their energy reserve E_r');
    return out.uavPlans;
  }

  /** A segment released since the last plan (older ones missed their slot: the device is planned without one). */
  private fresh(b: S2BusyDevice | undefined): boolean {
    return !!b?.segment && b.segment.releaseUs > this.lastPlanUs;
  }

  private takeSegment(id: number): S2BusyDevice | undefined {
    const b = this.busy.get(id);
    if (!b) return undefined;
    this.busy.delete(id);
    this.busyPos.set(id, b.pos);
    if (!this.fresh(b)) {
      this.missedSegments++;
      return undefined;
    }
    return b;
  }

  private lastBusyPos(id: number): P3 {
    // Never heard from: the area's centre stands in for its position (its segment is not planned).
    return this.busyPos.get(id) ?? [this.cfg.model.areaM / 2, this.cfg.model.areaM / 2, 0];
  }

  /** Resolves once no planned part is outstanding, or at `untilUs` (clock time). */
  async whenDone(untilUs: number): Promise<void> {
    while (this.ledger.partsOutstanding() > 0 && this.clock.nowUs() < untilUs) await this.clock.sleep(50);
  }

  /** The last slot ended at `endUs`: the flight meter's readings then end its flight energy. */
  endSlots(endUs: number): void {
    this.endJ = this.cfg.starts.map((_, i) => this.meter.energyJ(i + 1, endUs));
  }

  /** Closes the books (after the drain: late parts are in) and publishes every slot's revenue as flown. */
  close(): S2SlotAccount[] {
    const endJ = this.endJ ?? this.cfg.starts.map((_, i) => this.meter.energyJ(i + 1, this.clock.nowUs()));
    this.accounts = this.ledger.close(endJ);
    for (const a of this.accounts) {
      this.send(this.bus.publish('videoSlot', {}, {
        ...this.record(a.slot, a.plan), closed: true, revenue_q: a.revenue.Q, utility_uavs: a.revenue.UK, utility_idle: a.revenue.UJ, utility_busy: a.revenue.UI,
        uav_compute_energy_j: a.uavComputeJ, uav_flight_energy_j: a.uavFlightJ, busy_energy_j: a.busyEnergyJ, idle_energy_j: a.idleEnergyJ,
        parts_planned: a.partsPlanned, parts_done: a.partsDone, penalty: a.penalty,
      }), 'video slot revenue');
    }
    return this.accounts;
  }

  private record(k: number, p: S2SlotPlan): MessageInput<VideoSlot> {
    const d = p.decision;
    return {
      slot: k, model_sha256: this.cfg.modelSha256, algo: this.cfg.algo, observation: p.observation, action: p.action,
      ratio_uav: p.ratios[0], ratio_d2d: p.ratios[1], ratio_local: p.ratios[2], busy_cpu_hz: p.fiHz, idle_cpu_hz: p.fjHz, uav_cpu_hz: p.fkHz,
      uav_price_per_ghz: d.pk, idle_price_per_ghz: d.pj, transcode_level_mbps: d.levelMbps, reserve_rtl_uav_ids: p.reserveRtl,
    };
  }

  private send(p: Promise<void>, what: string): void {
    p.catch((e: unknown) => this.log.error({ err: e }, `${what} not published`));
  }
}
