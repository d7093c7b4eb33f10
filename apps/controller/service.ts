/**
 * The controller process's core loop, wired to the bus: it keeps the digital twin from the agents'
 * telemetry, and every slot announces the slot (FleetState — the agents' separation data and the
 * controller's heartbeat), waits a collection window for the slot's task requests, plans
 * (`planSlot`) and publishes one plan per UAV. Acks, completions and events feed the metrics and
 * the twin's fidelity. After the last slot it sends every UAV home (RTL) and resolves `finished`.
 */
import type { KeyObject } from 'node:crypto';
import type { Clock, Timer } from '../../core/clock.ts';
import type { Bus } from '../common/bus.ts';
import type { Logger } from '../common/log.ts';
import { FlightMode, FlightState, Severity, topicName, topicSpec, type Health, type MessageInput, type Plan, type TaskCompletion } from '../../proto/index.ts';
import { signedPlanBytes } from '../security/plan-signing.ts';
import type { ChannelParams, OffloadAlgo } from '../../engines/planning/offload/index.ts';
import { MetricsLedger, type SlotMetrics } from './metrics.ts';
import type { Point2, PoolRoundMetrics, SlotTask } from './slot/index.ts';
import { fleetReady, launchTarget, planFleetSlot, PLANNER_TRAJECTORY, type TrajectoryConfig, type Vec3 } from './trajectory.ts';
import { PoolController, type PoolConfig, type PoolStep } from './pool.ts';
import { applyTwinState, emptyTwin, recordCompletion, type Twin } from './twin/index.ts';

export interface ControllerConfig {
  slots: number;
  slotS: number;
  algo: OffloadAlgo;
  channel: ChannelParams;
  cruiseAltM: number;
  speedMS: number;
  uavTxPowerW: number;
  seed: number;
  /** Fraction of a slot spent collecting task requests before planning (default 0.25). */
  collectFraction?: number;
  /** Start once this many UAVs have reported (default: start at once). */
  waitForUavs?: number;
  /** Give up waiting for UAVs after this many clock seconds (default 60). */
  readyTimeoutS?: number;
  /** Fleet-state relay rate, Hz of clock time (default 5): the agents' separation data. */
  fleetRateHz?: number;
  /** Longest wait for the fleet to take off before slot 0, clock seconds (default 60). */
  launchTimeoutS?: number;
  /** Slots to wait after the last one for late completions (default 1). */
  drainSlots?: number;
  /**
   * Ed25519 private key (issue 9 §2): when set, every plan (launch, slot, mission end) is published
   * signed (`signedPlanBytes`) for agents that pin the public half. Without it plans go unsigned.
   */
  planSigningKey?: KeyObject;
  /**
   * Dependent tasks (SPEC §5.3): with a pool config, DAG task requests are planned as computing-
   * power-pool rounds (pool.ts) instead of per-slot offloading; while a round runs no slot plans
   * are sent, so the agents keep its tour and schedule.
   */
  pool?: PoolConfig;
  /** Where trajectories come from (trajectory.ts): the cluster planner (default) or the onboard policy. */
  trajectory?: TrajectoryConfig;
}

/** `controllerEvent` code of the planning-inputs event; its text is a JSON `PlanningInputs`. */
export const PLANNING_INPUTS_CODE = 'plan.inputs';

/**
 * What slot `slot` was planned from, published (before its plans) so a replay need not infer it:
 * for each UAV the header seq of the last twin state applied, and the task ids planned, in the
 * order they were given to the planner. A pool round (dag mode) publishes one too, with
 * `pool: true` and the DAG task ids given to `planPoolSlot`.
 */
export interface PlanningInputs {
  slot: number;
  twins: { uav: number; seq: number }[];
  tasks: number[];
  /** Set for a computing-power-pool round (SPEC §5.3): the inputs of its `planPoolSlot`. */
  pool?: true;
}

export interface ControllerEvents {
  onSlot?: (m: SlotMetrics, slot: number) => void;
  onPoolRound?: (m: PoolRoundMetrics) => void;
}

export class ControllerService {
  twin: Twin = emptyTwin();
  readonly ledger = new MetricsLedger();
  readonly events: { uavId: number; code: string; text: string; tUs: number }[] = [];
  /** Each agent's last health report. */
  readonly health = new Map<number, Health>();
  /** Every slot's hover targets, for reports. */
  readonly targetsBySlot: Map<number, Point2>[] = [];
  /** Every slot's UAV positions as planned with (the twin at planning time), for reports. */
  readonly positionsBySlot: Map<number, Vec3>[] = [];
  private readonly pending = new Map<number, SlotTask>();
  readonly pool: PoolController | undefined;
  private readonly predicted = new Map<number, { uavId: number; predictedS: number; computeS: number }>();
  /** Header seq of the last twin state applied, per UAV (for the planning-inputs event). */
  private readonly twinSeq = new Map<number, number>();
  private prevTargets = new Map<number, Point2>();
  private slot = -1;
  /** Whether the current slot's plan has been made (later task requests miss it). */
  private planned = false;
  private timer: Timer | undefined;
  private fleetTimer: Timer | undefined;
  private stopped = false;
  private resolveFinished!: () => void;
  readonly finished = new Promise<void>((r) => (this.resolveFinished = r));

  constructor(
    private readonly bus: Bus,
    private readonly clock: Clock,
    private readonly cfg: ControllerConfig,
    private readonly log: Logger,
    private readonly hooks: ControllerEvents = {},
  ) {
    this.pool = cfg.pool ? new PoolController(cfg.pool) : undefined;
  }

  private attached = false;

  /**
   * Subscribes to the controller's inputs (idempotent; `start` does it too). A lockstep mission
   * calls it before the other participants start publishing: a subscription made while its topics
   * are busy would receive messages their publishers could not yet count (core/clock.ts).
   */
  async attach(): Promise<void> {
    if (this.attached) return;
    this.attached = true;
    await this.bus.subscribe('twin', {}, (m, d) => {
      if (d.params.uav !== m.uav_id) return this.log.warn({ topic: d.topic, uav: m.uav_id }, 'twin state for another UAV on this topic: ignored');
      this.twin = applyTwinState(this.twin, m, d.recvUs);
      this.twinSeq.set(m.uav_id, m.header!.seq);
    });
    await this.bus.subscribe('task', {}, (m) => {
      if (this.slot < 0) return;
      this.ledger.taskReleased(m.task_id, this.slot);
      // A DAG task waits for the next pool round, however late in the slot it came.
      if (this.pool?.add(m)) return;
      if (this.planned) {
        // Too late for this slot's plan: the device computes it (sim/world's rule), so do not plan it next slot.
        this.ledger.missed(this.slot);
        return;
      }
      this.pending.set(m.task_id, {
        taskId: m.task_id,
        userId: m.user_id,
        pos: [m.user_position!.x_east_m, m.user_position!.y_north_m, m.user_position!.alt_m],
        dataBits: m.data_bits,
        cyclesPerBit: m.cycles_per_bit,
        localCpuHz: m.local_cpu_hz,
        txPowerW: m.tx_power_w,
        deadlineS: m.deadline_s > 0 ? m.deadline_s : this.cfg.slotS,
        releaseUs: m.release_t_us || m.header!.t_us,
      });
    });
    await this.bus.subscribe('ack', {}, (m) => {
      this.ledger.planAnswered(m.uav_id, m.plan_seq, m.accepted);
      if (!m.accepted) this.log.warn({ uav: m.uav_id, seq: m.plan_seq, reason: m.reason, detail: m.detail }, 'plan refused');
    });
    await this.bus.subscribe('uavCompletion', {}, (m) => this.onCompletion(m));
    await this.bus.subscribe('userCompletion', {}, (m) => this.onCompletion(m));
    await this.bus.subscribe('health', {}, (m) => this.health.set(m.uav_id, m));
    await this.bus.subscribe('uavEvent', {}, (m, d) => this.events.push({ uavId: d.params.uav ?? 0, code: m.code, text: m.text, tUs: m.header!.t_us }));
  }

  async start(): Promise<void> {
    await this.attach();
    this.fleetTimer = this.clock.setInterval(() => {
      // Also while the fleet launches: airborne agents would otherwise count the wait as silence.
      if (!this.stopped) this.publishFleet(Math.max(0, this.slot), this.slot < 0);
    }, 1000 / (this.cfg.fleetRateHz ?? 5));
    await this.waitForFleet();
    await this.launchFleet();
    if (!this.stopped) this.runSlot(0, this.clock.nowUs());
  }

  /**
   * Before slot 0 the fleet takes off: each UAV is sent to hover above where it stands at the
   * cruise altitude (or, with a policy, to the start position it was trained from), and slots
   * start once every UAV reports FLYING there (or after `launchTimeoutS`), so the mission starts
   * airborne as S3's does.
   */
  private async launchFleet(): Promise<void> {
    const nowUs = Math.round(this.clock.nowUs());
    const traj = this.cfg.trajectory ?? PLANNER_TRAJECTORY;
    for (const u of this.twin.values()) {
      if (!u.pos) continue;
      const [x, y, alt] = launchTarget(traj, u, this.cfg.cruiseAltM);
      const plan = {
        uav_id: u.id,
        plan_seq: Math.floor(nowUs / 1000),
        slot: 0,
        valid_from_t_us: nowUs,
        expires_t_us: nowUs + Math.round((this.cfg.launchTimeoutS ?? 60) * 1e6),
        flight: { mode: FlightMode.FLIGHT_MODE_GOTO, target: { x_east_m: x, y_north_m: y, alt_m: alt }, speed_m_s: this.cfg.speedMS },
        planner: 'launch',
      };
      this.ledger.planSent(u.id, plan.plan_seq, -1);
      this.publishPlan(u.id, plan, `launch plan for UAV ${u.id}`);
    }
    const until = this.clock.nowUs() + (this.cfg.launchTimeoutS ?? 60) * 1e6;
    const airborne = () => fleetReady(traj, this.twin);
    while (!this.stopped && !airborne() && this.clock.nowUs() < until) await this.clock.sleep(250);
    if (!airborne()) this.log.warn({ flying: [...this.twin.values()].filter((u) => u.flightState === FlightState.FLIGHT_STATE_FLYING).map((u) => u.id) }, 'starting slots before every UAV is airborne at its start');
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.fleetTimer?.cancel();
    this.resolveFinished();
  }

  private async waitForFleet(): Promise<void> {
    const want = this.cfg.waitForUavs ?? 0;
    const until = this.clock.nowUs() + (this.cfg.readyTimeoutS ?? 60) * 1e6;
    // A UAV counts once it reported a position: the launch plan goes where it stands.
    const located = () => [...this.twin.values()].filter((u) => u.pos).length;
    while (!this.stopped && located() < want && this.clock.nowUs() < until) await this.clock.sleep(100);
    if (located() < want) this.log.warn({ have: located(), want }, 'starting without every UAV reporting its position');
  }

  private runSlot(k: number, t0Us: number): void {
    if (this.stopped) return;
    if (k >= this.cfg.slots) return this.finish();
    this.slot = k;
    this.planned = false;
    const startUs = this.clock.nowUs();
    this.ledger.beginSlot(k, startUs);
    this.publishFleet(k);
    const collectMs = (this.cfg.collectFraction ?? 0.25) * this.cfg.slotS * 1000;
    this.timer = this.clock.setTimeout(() => {
      this.planAndPublish(k);
      const nextUs = t0Us + (k + 1) * this.cfg.slotS * 1e6;
      this.timer = this.clock.setTimeout(() => this.runSlot(k + 1, t0Us), Math.max(0, (nextUs - this.clock.nowUs()) / 1000));
    }, collectMs);
  }

  /** FleetState: where every UAV is (for the agents' separation) and which slot runs (for the world). */
  private publishFleet(k: number, launching = false): void {
    const members = [...this.twin.values()]
      .filter((u) => u.pos)
      .map((u) => ({
        uav_id: u.id,
        position: { x_east_m: u.pos![0], y_north_m: u.pos![1], alt_m: u.pos![2] },
        ...(u.vel ? { velocity: { vx_east_m_s: u.vel[0], vy_north_m_s: u.vel[1], vz_up_m_s: u.vel[2] } } : {}),
        reported_t_us: Math.round(u.reportedUs),
      }));
    this.publish(this.bus.publish('fleet', {}, { slot: k, slot_s: this.cfg.slotS, members, ...(launching ? { launching } : this.pool?.ready()) }), 'fleet state');
  }

  private planAndPublish(k: number): void {
    this.planned = true;
    if (this.pool && this.poolSlot(k)) return;
    const tasks = [...this.pending.values()];
    this.pending.clear();
    this.publishInputs({ slot: k, twins: this.twinSeqs(), tasks: tasks.map((t) => t.taskId) });
    this.positionsBySlot[k] = new Map([...this.twin.values()].filter((u) => u.pos).map((u) => [u.id, [u.pos![0], u.pos![1], u.pos![2]] as Vec3]));
    const out = planFleetSlot(this.cfg.trajectory ?? PLANNER_TRAJECTORY, {
      slot: k,
      nowUs: this.clock.nowUs(),
      slotS: this.cfg.slotS,
      twin: this.twin,
      tasks,
      channel: this.cfg.channel,
      algo: this.cfg.algo,
      cruiseAltM: this.cfg.cruiseAltM,
      speedMS: this.cfg.speedMS,
      uavTxPowerW: this.cfg.uavTxPowerW,
      prevTargets: this.prevTargets,
      validSlots: 2,
      seed: this.cfg.seed,
      planner: this.cfg.algo,
    });
    this.prevTargets = out.targets;
    this.targetsBySlot[k] = out.targets;
    const m = this.ledger.slots[k]!;
    m.servingUavs = out.serving.length;
    m.predictedDor = out.predictedDor;
    out.offload?.decisions.forEach((d, i) => {
      if (d.mode !== 'edge') return;
      m.offloaded++;
      const t = tasks[i]!;
      this.predicted.set(t.taskId, { uavId: Number(d.execUav), predictedS: out.offload!.perUser[i]!.tS, computeS: out.offload!.perUser[i]!.computeS });
    });
    for (const [uavId, plan] of out.plans) {
      this.ledger.planSent(uavId, plan.plan_seq as number, k);
      this.publishPlan(uavId, plan, `plan for UAV ${uavId}`);
    }
    for (const u of this.twin.values()) m.energyJ[u.id] = (u.flightEnergyJ ?? 0) + u.computeEnergyJ;
    this.hooks.onSlot?.(m, k);
  }

  private twinSeqs(): PlanningInputs['twins'] {
    return [...this.twinSeq].sort((a, b) => a[0] - b[0]).map(([uav, seq]) => ({ uav, seq }));
  }

  private publishInputs(inputs: PlanningInputs): void {
    this.publish(this.bus.publish('controllerEvent', {}, { severity: Severity.SEVERITY_INFO, code: PLANNING_INPUTS_CODE, text: JSON.stringify(inputs), uav_id: 0 }), 'planning inputs');
  }

  /** Dag mode: runs the pool's step; true when a round runs (or started) and the slot needs no other plan. */
  private poolSlot(k: number): boolean {
    const twins = this.twinSeqs();
    const step = this.pool!.step(k, this.clock.nowUs(), this.twin);
    if (step.error) this.log.warn({ slot: k, why: step.error }, 'pool round not started');
    // The round's planning inputs go out before its plans (the step is synchronous: same twin).
    if (step.plans && step.taskIds) this.publishInputs({ slot: k, twins, tasks: step.taskIds, pool: true });
    this.afterPool(step);
    const m = this.ledger.slots[k]!;
    for (const [uavId, plan] of step.plans ?? []) {
      this.ledger.planSent(uavId, plan.plan_seq as number, k);
      this.publishPlan(uavId, plan, `pool plan for UAV ${uavId}`);
    }
    if (!this.pool!.active) return false;
    m.servingUavs = step.plans?.size ?? m.servingUavs;
    for (const u of this.twin.values()) m.energyJ[u.id] = (u.flightEnergyJ ?? 0) + u.computeEnergyJ;
    this.hooks.onSlot?.(m, k);
    return true;
  }

  private afterPool(step: PoolStep): void {
    for (const d of step.completions) this.ledger.dagCompletion(d.taskId, d.failed);
    if (step.closed) {
      this.ledger.pools.push(step.closed);
      // The UAVs stay where they computed until the next plan moves them.
      this.prevTargets = this.pool!.lastTargets ?? this.prevTargets;
      this.hooks.onPoolRound?.(step.closed);
    }
  }

  private onCompletion(c: TaskCompletion): void {
    if (c.subtask_id !== '' && this.pool) {
      const step: PoolStep = { completions: [] };
      const sample = this.pool.fidelitySample(c);
      if (sample) this.twin = recordCompletion(this.twin, c.uav_id, sample);
      if (this.pool.onSubtask(c, this.clock.nowUs(), this.twin, step)) this.afterPool(step);
      return;
    }
    if (!this.ledger.completion(c)) return;
    const p = this.predicted.get(c.task_id);
    if (p && c.site === 2 && !c.failed) {
      this.predicted.delete(c.task_id);
      this.twin = recordCompletion(this.twin, c.uav_id, {
        predictedS: p.predictedS,
        actualS: (c.done_t_us - c.release_t_us) / 1e6,
        predictedComputeS: p.computeS,
        actualComputeS: c.compute_s,
      });
    }
  }

  private finish(): void {
    const nowUs = Math.round(this.clock.nowUs());
    for (const u of this.twin.values()) {
      const plan = {
        uav_id: u.id,
        plan_seq: Math.floor(nowUs / 1000),
        slot: this.cfg.slots,
        valid_from_t_us: nowUs,
        expires_t_us: nowUs + Math.round(10 * this.cfg.slotS * 1e6),
        flight: { mode: FlightMode.FLIGHT_MODE_RTL },
        planner: 'mission-end',
      };
      this.publishPlan(u.id, plan, `final plan for UAV ${u.id}`);
    }
    const drainMs = (this.cfg.drainSlots ?? 1) * this.cfg.slotS * 1000;
    this.timer = this.clock.setTimeout(() => {
      for (const u of this.twin.values()) {
        const last = this.ledger.slots[this.cfg.slots - 1];
        if (last) last.energyJ[u.id] = (u.flightEnergyJ ?? 0) + u.computeEnergyJ;
      }
      if (this.pool?.active) this.afterPool(this.pool.closeNow(this.clock.nowUs(), this.twin));
      this.stopped = true;
      this.fleetTimer?.cancel();
      this.resolveFinished();
    }, drainMs);
  }

  /** Every plan leaves through here: signed when a plan-signing key is configured. */
  private publishPlan(uavId: number, plan: MessageInput<Plan>, what: string): void {
    const key = this.cfg.planSigningKey;
    if (!key) return this.publish(this.bus.publish('plan', { uav: uavId }, plan), what);
    const topic = topicName('plan', { uav: uavId });
    let bytes: Uint8Array;
    try {
      bytes = signedPlanBytes(this.bus.encodeWithHeader('plan', topic, plan), key);
    } catch (e) {
      return this.log.error({ err: e, uav: uavId }, `${what} not signed`);
    }
    this.publish(this.bus.publishBytes(topic, bytes, topicSpec('plan').qos), what);
  }

  private publish(p: Promise<void>, what: string): void {
    p.catch((e: unknown) => this.log.error({ err: e }, `${what} not published`));
  }
}
