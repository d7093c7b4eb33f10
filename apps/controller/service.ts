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
import type { S2Driver } from './s2/index.ts';
import { buildS0Input, S0Controller, type S0ControllerConfig, type WarmStartModel } from './s0/index.ts';
import type { Leadership, Resume } from './leader/index.ts';

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
  /**
   * S2 video streaming (SPEC §5.4): the S2 driver plans every slot (TD3 actor → UAV and device
   * plans) and keeps its own books; the task requests are its segments, not CD+KKT tasks.
   */
  video?: S2Driver;
  /**
   * S0 (SPEC §5.2, apps/controller/s0): the HAP plans coalitions of UAVs for the MEDs' requests
   * instead of offloading, optionally warm-started by the generative model; `hold` keeps a virtual
   * clock still while the model runs (onnxruntime is asynchronous).
   */
  s0?: { controller: S0ControllerConfig; warmStart?: WarmStartModel; hold?: <T>(p: Promise<T>) => Promise<T> };
  /**
   * Leader election (issue 19 §1, leader/): with it the controller keeps a warm twin as a standby
   * and plans only while it holds the lease; every plan carries its epoch; a new leader resumes
   * the mission at the slot the lease record says. Without it the controller always leads (epoch 0).
   */
  leadership?: Leadership;
  /**
   * A second connection for the heartbeat (FleetState, QoS 0) alone. On NATS a QoS 1 publish is
   * stored in JetStream inside the connection's read loop, which blocks for seconds while a dead
   * node's streams elect new leaders; QoS 0 sent behind it on the same connection waits too, and
   * the agents would count the wait as controller silence (deploy/cluster/README.md).
   */
  heartbeatBus?: Bus;
  /** How many slots a slot plan stays valid (default 2). Longer rides out a broker's stall. */
  planValiditySlots?: number;
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
  readonly s0: S0Controller | undefined;
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
  /** Highest plan_seq sent (for the lease record). */
  private planSeqMax = 0;
  /** Start of slot 0 on the clock, µs (0 before). */
  private missionStartUs = 0;
  /** Why this controller stopped before the mission's end: 'deposed' or 'mission finished by another'. */
  stoppedBecause: string | undefined;
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
    this.s0 = cfg.s0 ? new S0Controller(cfg.s0.controller) : undefined;
  }

  async start(): Promise<void> {
    await this.bus.subscribe('twin', {}, (m, d) => {
      if (d.params.uav !== m.uav_id) return this.log.warn({ topic: d.topic, uav: m.uav_id }, 'twin state for another UAV on this topic: ignored');
      this.twin = applyTwinState(this.twin, m, d.recvUs);
      this.twinSeq.set(m.uav_id, m.header!.seq);
    });
    await this.cfg.video?.attach();
    await this.bus.subscribe('task', {}, (m) => {
      if (this.slot < 0 || this.cfg.video) return;
      this.ledger.taskReleased(m.task_id, this.slot);
      // A DAG task waits for the next pool round, however late in the slot it came.
      if (this.pool?.add(m)) return;
      if (this.s0 && !this.planned) return this.s0.add(m);
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
    await this.bus.subscribe('uavCompletion', {}, (m) => (this.s0 && m.part_bits > 0 ? void this.s0.onShare(m) : this.onCompletion(m)));
    await this.bus.subscribe('userCompletion', {}, (m) => this.onCompletion(m));
    await this.bus.subscribe('health', {}, (m) => this.health.set(m.uav_id, m));
    await this.bus.subscribe('uavEvent', {}, (m, d) => this.events.push({ uavId: d.params.uav ?? 0, code: m.code, text: m.text, tUs: m.header!.t_us }));
    this.fleetTimer = this.clock.setInterval(() => {
      if (this.stopped || !this.leading) return;
      // Also while the fleet launches: airborne agents would otherwise count the wait as silence.
      this.publishFleet(Math.max(0, this.slot), this.slot < 0);
      if (this.slot < 0) this.renewLease(false);
    }, 1000 / (this.cfg.fleetRateHz ?? 5));
    const lead = this.cfg.leadership ? await this.awaitLeadership(this.cfg.leadership) : undefined;
    if (this.stopped) return;
    if (lead?.resume?.missionStarted) return this.resume(lead.resume);
    await this.waitForFleet();
    await this.launchFleet();
    if (!this.stopped) this.runSlot(0, this.clock.nowUs());
  }

  /** Whether this controller plans now: always without leader election, else while it holds the lease. */
  private get leading(): boolean {
    return !this.cfg.leadership || this.cfg.leadership.isLeader;
  }

  /** Standby until the lease is ours (or the mission ends or we are deposed meanwhile). */
  private async awaitLeadership(l: Leadership): Promise<{ epoch: number; resume: Resume | undefined } | undefined> {
    l.onFollow((a) => this.follow(a.slot, a.slotPlanned));
    l.onStepDown((by) => this.halt(`deposed by ${by}`));
    l.onFinished(() => this.halt('the leader finished the mission'));
    await l.start();
    return Promise.race([l.lead, this.finished.then(() => undefined)]);
  }

  /** Standby: the leader is in slot k (its tasks are collected here too, for a takeover mid-slot). */
  private follow(k: number, planned: boolean): void {
    if (k !== this.slot) {
      this.slot = k;
      this.pending.clear();
      if (!this.ledger.slots[k]) this.ledger.beginSlot(k, this.clock.nowUs());
    }
    if (planned) this.pending.clear();
    this.planned = planned;
  }

  /** A standby stops without finishing the mission itself. */
  private halt(why: string): void {
    if (this.stopped) return;
    this.stoppedBecause = why;
    this.log.warn({ why }, 'controller stops');
    this.stop();
  }

  /**
   * New leader in a running mission: slots keep the old leader's numbering and timing (slot k
   * starts at missionStart + k·slotS). If the old leader died before planning its slot and the
   * slot is still running, it is planned now from the tasks this controller collected as standby.
   */
  private resume(r: Resume): void {
    const slotUs = this.cfg.slotS * 1e6;
    const t0 = r.missionStartUs;
    const now = this.clock.nowUs();
    this.missionStartUs = t0;
    this.planSeqMax = Math.max(this.planSeqMax, r.planSeq);
    let next = Math.max(r.slot + 1, Math.ceil((now - t0) / slotUs));
    if (!r.slotPlanned && now < t0 + (r.slot + 1) * slotUs) {
      this.slot = r.slot;
      if (!this.ledger.slots[r.slot]) this.ledger.beginSlot(r.slot, now);
      this.publishFleet(r.slot);
      this.planAndPublish(r.slot);
      next = r.slot + 1;
    }
    this.renewLease(this.planned);
    this.timer = this.clock.setTimeout(() => this.runSlot(next, t0), Math.max(0, (t0 + next * slotUs - this.clock.nowUs()) / 1000));
  }

  private renewLease(slotPlanned: boolean): void {
    this.cfg.leadership?.renew({ slot: Math.max(0, this.slot), slotPlanned, missionStarted: this.slot >= 0, missionStartUs: this.missionStartUs, planSeq: this.planSeqMax });
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
    this.cfg.leadership?.stop();
    this.timer?.cancel();
    this.fleetTimer?.cancel();
    this.resolveFinished();
  }

  private async waitForFleet(): Promise<void> {
    const want = this.cfg.waitForUavs ?? 0;
    const until = this.clock.nowUs() + (this.cfg.readyTimeoutS ?? 60) * 1e6;
    // A UAV without a position fix gets no launch plan (launchFleet), so wait for the fixes too.
    const ready = () => this.twin.size >= want && [...this.twin.values()].every((u) => u.pos);
    while (!this.stopped && !ready() && this.clock.nowUs() < until) await this.clock.sleep(100);
    if (!ready()) this.log.warn({ have: this.twin.size, want, withFix: [...this.twin.values()].filter((u) => u.pos).length }, 'starting without every UAV reporting a position');
  }

  private runSlot(k: number, t0Us: number): void {
    if (this.stopped) return;
    if (k >= this.cfg.slots) return this.finish();
    if (k === 0) this.missionStartUs = t0Us;
    this.slot = k;
    this.planned = false;
    const startUs = this.clock.nowUs();
    this.ledger.beginSlot(k, startUs);
    this.publishFleet(k);
    this.renewLease(false);
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
    this.publish((this.cfg.heartbeatBus ?? this.bus).publish('fleet', {}, { slot: k, slot_s: this.cfg.slotS, members, ...(launching ? { launching } : this.pool?.ready()) }), 'fleet state');
  }

  private planAndPublish(k: number): void {
    this.planned = true;
    if (this.cfg.video) return this.videoSlot(k, this.cfg.video);
    if (this.pool && this.poolSlot(k)) return;
    if (this.s0) return void this.s0Slot(k, this.s0);
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
      validSlots: this.cfg.planValiditySlots ?? 2,
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
    this.renewLease(true);
    this.hooks.onSlot?.(m, k);
  }

  /** S2: the driver plans the slot (async: ONNX inference), the service sends and tracks the UAV plans. */
  private videoSlot(k: number, video: S2Driver): void {
    const m = this.ledger.slots[k]!;
    video.planSlot(k, this.clock.nowUs()).then((plans) => {
      if (this.stopped) return;
      for (const [uavId, plan] of plans) {
        this.ledger.planSent(uavId, plan.plan_seq as number, k);
        this.publishPlan(uavId, plan, `S2 plan for UAV ${uavId}`);
      }
      m.servingUavs = [...plans.values()].filter((p) => (p.video?.shares?.length ?? 0) > 0).length;
      for (const u of this.twin.values()) m.energyJ[u.id] = (u.flightEnergyJ ?? 0) + u.computeEnergyJ;
      this.hooks.onSlot?.(m, k);
    }).catch((e: unknown) => this.log.error({ err: e, slot: k }, 'S2 slot not planned'));
  }

  /** S0 slot: warm start (onnxruntime, clock held), coalitions, planning inputs, then the plans. */
  private async s0Slot(k: number, s0: S0Controller): Promise<void> {
    const cfg = this.cfg.s0!;
    let warm: Map<number, number[][]> | undefined;
    if (cfg.warmStart) {
      const inp = buildS0Input(s0.cfg, k, this.clock.nowUs(), this.twin, s0.requests, s0.ratios());
      const hold = cfg.hold ?? (<T>(p: Promise<T>) => p);
      warm = await hold(cfg.warmStart.propose(inp)).catch((e: unknown) => {
        this.log.warn({ err: e, slot: k }, 'warm start failed: forming coalitions from singletons');
        return undefined;
      });
    }
    if (this.stopped) return;
    const step = s0.step(k, this.clock.nowUs(), this.twin, new Map(this.twinSeqs().map((t) => [t.uav, t.seq])), warm);
    this.publish(this.bus.publish('coalitionInputs', {}, step.inputs), 'coalition planning inputs');
    const m = this.ledger.slots[k]!;
    const sm = s0.ledger.slots[k]!;
    m.servingUavs = sm.uavs - sm.energySaving;
    m.offloaded = sm.servedMeds;
    for (const [uavId, plan] of step.plans) {
      this.ledger.planSent(uavId, plan.plan_seq as number, k);
      this.publishPlan(uavId, plan, `coalition plan for UAV ${uavId}`);
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
    this.renewLease(true);
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
    if (this.cfg.video) return;
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
    this.cfg.video?.endSlots(nowUs);
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
    this.cfg.leadership?.finish({ slot: this.cfg.slots - 1, slotPlanned: true, missionStarted: true, missionStartUs: this.missionStartUs, planSeq: this.planSeqMax });
    const drainMs = (this.cfg.drainSlots ?? 1) * this.cfg.slotS * 1000;
    const drained = () => {
      for (const u of this.twin.values()) {
        const last = this.ledger.slots[this.cfg.slots - 1];
        if (last) last.energyJ[u.id] = (u.flightEnergyJ ?? 0) + u.computeEnergyJ;
      }
      if (this.pool?.active) this.afterPool(this.pool.closeNow(this.clock.nowUs(), this.twin));
      this.cfg.video?.close();
      this.stopped = true;
      this.fleetTimer?.cancel();
      this.resolveFinished();
    };
    // S2: the books close once every planned part has come back (or `drainSlots` have passed).
    if (this.cfg.video) void this.cfg.video.whenDone(this.clock.nowUs() + drainMs * 1000).then(drained);
    else this.timer = this.clock.setTimeout(drained, drainMs);
  }

  /** Every plan leaves through here: signed when a plan-signing key is configured. */
  private publishPlan(uavId: number, input: MessageInput<Plan>, what: string): void {
    if (!this.leading) return this.log.warn({ uav: uavId }, `${what} not sent: not the leader`);
    // Fencing (issue 19): the plan carries the lease epoch (inside the signature when signed).
    const plan = this.cfg.leadership ? { ...input, leader_epoch: this.cfg.leadership.epoch } : input;
    this.planSeqMax = Math.max(this.planSeqMax, Number(plan.plan_seq ?? 0));
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
