/**
 * The controller process: the thin shell around the planning core (core/index.ts). It feeds the
 * core what arrives on the bus (twin states, task requests, acks, completions, with their topic
 * and receive time) and its timers (launch, slot start, the end of each slot's collection window,
 * finish, close), and publishes what the core returns — each planning step's PlanningInputs, then
 * its plans (signed when a key is configured). It also keeps what is not planning: the FleetState
 * it relays (the agents' separation data, the controller's heartbeat and slot clock), the agents'
 * health and events, and the waits before slot 0 (every UAV reporting, the fleet airborne).
 * After the last slot it sends every UAV home (RTL) and resolves `finished`.
 *
 * Times given to the core are whole µs (the clock's reading rounded), so the PlanningInputs
 * record reproduces them exactly and replay re-makes the plans bit for bit.
 */
import type { KeyObject } from 'node:crypto';
import type { Clock, Timer } from '../../core/clock.ts';
import type { Bus, Delivery } from '../common/bus.ts';
import type { Logger } from '../common/log.ts';
import { FlightState, topicName, type Health, type MessageInput, type Plan } from '../../proto/index.ts';
import { signedPlanBytes } from '../security/plan-signing.ts';
import type { SlotMetrics } from './metrics.ts';
import type { Point2, PoolRoundMetrics } from './slot/index.ts';
import { fleetReady, PLANNER_TRAJECTORY, type Vec3 } from './trajectory.ts';
import { createCore, step, type CoreConfig, type CoreEvent, type CoreOutput, type CoreState, type MessageEvent } from './core/index.ts';
import type { Twin } from './twin/index.ts';
import { buildS0Input, type S0ControllerConfig, type WarmStartModel } from './s0/index.ts';
import { publishAtLeastOnce, type Leadership, type Resume } from './leader/index.ts';
import type { S2Driver } from './s2/index.ts';
import type { ShardLink } from './shard/index.ts';

export interface ControllerConfig extends CoreConfig {
  /** Fraction of a slot spent collecting task requests before planning (default 0.25). */
  collectFraction?: number;
  /** Start once this many UAVs have reported a position (default: start at once). */
  waitForUavs?: number;
  /** Give up waiting for UAVs after this many clock seconds (default 60). */
  readyTimeoutS?: number;
  /** Fleet-state relay rate, Hz of clock time (default 5): the agents' separation data. */
  fleetRateHz?: number;
  /** Slots to wait after the last one for late completions (default 1). */
  drainSlots?: number;
  /**
   * Ed25519 private key (issue 9 §2): when set, every plan (launch, slot, mission end) is published
   * signed (`signedPlanBytes`) for agents that pin the public half. Without it plans go unsigned.
   */
  planSigningKey?: KeyObject;
  /**
   * A second connection for the heartbeat (FleetState, QoS 0) alone. On NATS a QoS 1 publish is
   * stored in JetStream inside the connection's read loop, which blocks for seconds while a dead
   * node's streams elect new leaders; QoS 0 sent behind it on the same connection waits too, and
   * the agents would count the wait as controller silence (deploy/cluster/README.md).
   */
  heartbeatBus?: Bus;
  /**
   * S0 (SPEC §5.2, apps/controller/s0): the HAP plans coalitions of UAVs for the MEDs' requests
   * instead of offloading, optionally warm-started by the generative model; `hold` keeps a virtual
   * clock still while the model runs (onnxruntime is asynchronous). The warm start runs here in
   * the shell; the core plans with its proposal.
   */
  s0?: { controller: S0ControllerConfig; warmStart?: WarmStartModel; hold?: <T>(p: Promise<T>) => Promise<T> };
  /**
   * Leader election (issue 19 §1, leader/): with it the controller keeps a warm twin as a standby
   * and plans only while it holds the lease; every plan carries its epoch; a new leader resumes
   * the mission at the slot the lease record says. Without it the controller always leads (epoch 0).
   */
  leadership?: Leadership;
  /**
   * S2 video streaming (SPEC §5.4): the S2 driver plans every slot (TD3 actor → UAV and device
   * plans) and keeps its own books; the task requests are its segments, not CD+KKT tasks, so
   * tasks and completions do not go to the core.
   */
  video?: S2Driver;
  /**
   * Sharded controllers (issue 19 §3, shard/): this controller plans one region — the UAVs over it
   * and its users' task requests — hands UAVs that cross out to the next shard and adopts those
   * handed to it. Shard 1 keeps the slot clock and publishes the merged FleetState; the others
   * start their slots on its clock.
   */
  shard?: ShardLink;
}

export interface ControllerEvents {
  onSlot?: (m: SlotMetrics, slot: number) => void;
  onPoolRound?: (m: PoolRoundMetrics) => void;
}

export class ControllerService {
  readonly core: CoreState;
  readonly events: { uavId: number; code: string; text: string; tUs: number }[] = [];
  /** Each agent's last health report. */
  readonly health = new Map<number, Health>();
  private timer: Timer | undefined;
  private fleetTimer: Timer | undefined;
  private stopped = false;
  private attached = false;
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
    this.core = createCore(cfg);
  }

  get twin(): Twin {
    this.sync();
    return this.core.twin;
  }
  get ledger(): CoreState['ledger'] {
    this.sync();
    return this.core.ledger;
  }
  get pool(): CoreState['pool'] {
    return this.core.pool;
  }
  get s0(): CoreState['s0'] {
    return this.core.s0;
  }
  /** Every slot's hover targets, for reports. */
  get targetsBySlot(): Map<number, Point2>[] {
    return this.core.targetsBySlot;
  }
  /** Every slot's UAV positions as planned with (the twin at planning time), for reports. */
  get positionsBySlot(): Map<number, Vec3>[] {
    return this.core.positionsBySlot;
  }

  /**
   * Subscribes to the controller's inputs (idempotent; `start` does it too). A lockstep mission
   * calls it before the other participants start publishing: a subscription made while its topics
   * are busy would receive messages their publishers could not yet count (core/clock.ts).
   */
  async attach(): Promise<void> {
    if (this.attached) return;
    this.attached = true;
    await this.cfg.video?.attach();
    const feed = (kind: MessageEvent['kind']) => (msg: MessageEvent['msg'], d: Delivery): void => {
      // S2: the driver keeps its part of the twin (velocities, segments, part completions) from the same deliveries.
      this.cfg.video?.receive(kind, msg, d.params.uav);
      if (this.cfg.video && (kind === 'task' || kind === 'completion')) return;
      const ev = { kind, msg, topic: d.topic, recvUs: Math.round(d.recvUs) } as MessageEvent;
      if (this.cfg.shard && !this.cfg.shard.admit(ev)) return;
      this.receive(ev);
    };
    await this.bus.subscribe('twin', {}, feed('twin'));
    await this.bus.subscribe('task', {}, feed('task'));
    await this.bus.subscribe('ack', {}, feed('ack'));
    await this.bus.subscribe('uavCompletion', {}, feed('completion'));
    await this.bus.subscribe('userCompletion', {}, feed('completion'));
    await this.bus.subscribe('health', {}, (m) => this.health.set(m.uav_id, m));
    await this.bus.subscribe('uavEvent', {}, (m, d) => this.events.push({ uavId: d.params.uav ?? 0, code: m.code, text: m.text, tUs: m.header!.t_us }));
    await this.cfg.shard?.attach({ release: (uavId) => void this.apply({ kind: 'release', uavId, nowUs: this.now() }), feed: (ev) => this.receive(ev) });
  }

  async start(): Promise<void> {
    await this.attach();
    this.fleetTimer = this.clock.setInterval(() => {
      this.sync();
      if (!this.stopped) this.cfg.shard?.publishPicture();
      if (this.stopped || !this.leading) return;
      // Also while the fleet launches: airborne agents would otherwise count the wait as silence.
      this.publishFleet(Math.max(0, this.core.slot), this.core.slot < 0);
      if (this.core.slot < 0) this.renewLease(false);
    }, 1000 / (this.cfg.fleetRateHz ?? 5));
    const lead = this.cfg.leadership ? await this.awaitLeadership(this.cfg.leadership) : undefined;
    if (this.stopped) return;
    if (lead?.resume?.missionStarted) return this.resume(lead.resume);
    await this.waitForFleet();
    await this.launchFleet();
    if (this.cfg.shard && !this.cfg.shard.coordinator) return this.followShardClock(this.cfg.shard);
    if (!this.stopped) this.runSlot(0, this.now());
  }

  stop(): void {
    this.stopped = true;
    this.cfg.leadership?.stop();
    this.timer?.cancel();
    this.fleetTimer?.cancel();
    this.resolveFinished();
  }

  /** Whether this controller plans now: always without leader election, else while it holds the lease. */
  private get leading(): boolean {
    return !this.cfg.leadership || this.cfg.leadership.isLeader;
  }

  /** Standby until the lease is ours (or the mission ends or we are deposed meanwhile). */
  private async awaitLeadership(l: Leadership): Promise<{ epoch: number; resume: Resume | undefined } | undefined> {
    l.onFollow((a) => void this.apply({ kind: 'follow', slot: a.slot, planned: a.slotPlanned, nowUs: this.now() }));
    l.onStepDown((by) => this.halt(`deposed by ${by}`));
    l.onFinished(() => this.halt('the leader finished the mission'));
    await l.start();
    return Promise.race([l.lead, this.finished.then(() => undefined)]);
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
    // The slot running by the clock; the old leader may have died before starting it.
    const cur = Math.floor((now - t0) / slotUs);
    let next = Math.max(r.slot + 1, cur + 1);
    if (cur > r.slot && now - (t0 + cur * slotUs) < 0.5 * slotUs) {
      // Early in a slot the old leader never started: start it now (its plans go out a collection
      // window from now, still inside the slot) instead of leaving the slot without plans.
      this.runSlot(cur, t0);
      return;
    }
    if (!r.slotPlanned && now < t0 + (r.slot + 1) * slotUs) {
      this.apply({ kind: 'follow', slot: r.slot, planned: false, nowUs: this.now() });
      this.publishFleet(r.slot);
      void this.planSlot(r.slot);
      next = r.slot + 1;
    }
    this.renewLease(this.core.planned);
    this.timer = this.clock.setTimeout(() => this.runSlot(next, t0), Math.max(0, (t0 + next * slotUs - this.clock.nowUs()) / 1000));
  }

  /**
   * A shard other than the coordinator starts its slots on the coordinator's clock: slot k at
   * t0 + k·slot_s, a hundredth of a slot early, so it has begun the slot when the world's task
   * requests (released on the coordinator's FleetState) arrive.
   */
  private async followShardClock(shard: ShardLink): Promise<void> {
    const start = await Promise.race([shard.missionStart(), this.finished.then(() => 0)]);
    if (this.stopped || start === 0) return;
    const t0 = start - Math.round(0.01 * this.cfg.slotS * 1e6);
    this.missionStartUs = t0;
    const slotUs = this.cfg.slotS * 1e6;
    const now = this.clock.nowUs();
    const cur = Math.max(0, Math.floor((now - t0) / slotUs));
    if (now - (t0 + cur * slotUs) < 0.5 * slotUs) return this.runSlot(cur, t0);
    this.timer = this.clock.setTimeout(() => this.runSlot(cur + 1, t0), Math.max(0, (t0 + (cur + 1) * slotUs - now) / 1000));
  }

  private renewLease(slotPlanned: boolean): void {
    this.cfg.leadership?.renew({ slot: Math.max(0, this.core.slot), slotPlanned, missionStarted: this.core.slot >= 0, missionStartUs: this.missionStartUs, planSeq: this.planSeqMax });
  }

  private now(): number {
    return Math.round(this.clock.nowUs());
  }

  /**
   * Messages of one instant wait here and go to the core in a canonical order (topic, sender,
   * seq) when the instant is over: before the next message of another instant, before any timer
   * event and before the shell reads the core's state. Arrival order within an instant follows the
   * sockets (several publishers), so this is what makes the core's input — and its PlanningInputs
   * — the same on every run of a lockstep mission; any order is a valid serialisation of messages
   * that arrived at the same instant.
   */
  private inbox: MessageEvent[] = [];

  private receive(ev: MessageEvent): void {
    if (this.inbox.length > 0 && this.inbox[0]!.recvUs !== ev.recvUs) this.sync();
    this.inbox.push(ev);
  }

  /** Applies the waiting messages (see `inbox`). */
  private sync(): void {
    if (this.inbox.length === 0) return;
    const batch = this.inbox.sort(canonicalOrder);
    this.inbox = [];
    for (const ev of batch) this.apply(ev);
  }

  /** One event through the core (waiting messages first); its output published. */
  private apply(ev: CoreEvent): CoreOutput {
    if (!('msg' in ev)) this.sync();
    const out = step(this.core, ev);
    for (const w of out.warnings) this.log.warn(w.data, w.text);
    if (out.inputs && this.leading) this.publish(this.bus.publish('planningInputs', {}, out.inputs), 'planning inputs');
    if (out.coalitionInputs && this.leading) this.publish(this.bus.publish('coalitionInputs', {}, out.coalitionInputs), 'coalition planning inputs');
    for (const p of out.plans) this.publishPlan(p.uavId, p.plan, p.what);
    for (const r of out.roundsClosed) this.hooks.onPoolRound?.(r);
    if (out.slotPlanned !== undefined) this.hooks.onSlot?.(this.core.ledger.slots[out.slotPlanned]!, out.slotPlanned);
    return out;
  }

  private async waitForFleet(): Promise<void> {
    const want = this.cfg.waitForUavs ?? 0;
    const until = this.clock.nowUs() + (this.cfg.readyTimeoutS ?? 60) * 1e6;
    // A UAV counts once it reported a position: the launch plan goes where it stands.
    const located = () => {
      this.sync();
      return this.cfg.shard ? this.cfg.shard.knownUavs : [...this.twin.values()].filter((u) => u.pos).length;
    };
    while (!this.stopped && located() < want && this.clock.nowUs() < until) await this.clock.sleep(100);
    if (located() < want) this.log.warn({ have: located(), want }, 'starting without every UAV reporting its position');
  }

  /**
   * Before slot 0 the fleet takes off (the core's launch plans), and slots start once every UAV
   * reports FLYING there (or after `launchTimeoutS`), so the mission starts airborne as S3's does.
   */
  private async launchFleet(): Promise<void> {
    this.apply({ kind: 'launch', nowUs: this.now() });
    const until = this.clock.nowUs() + (this.cfg.launchTimeoutS ?? 60) * 1e6;
    const airborne = () => {
      this.sync();
      return fleetReady(this.cfg.trajectory ?? PLANNER_TRAJECTORY, this.twin);
    };
    while (!this.stopped && !airborne() && this.clock.nowUs() < until) await this.clock.sleep(250);
    if (!airborne()) this.log.warn({ flying: [...this.twin.values()].filter((u) => u.flightState === FlightState.FLIGHT_STATE_FLYING).map((u) => u.id) }, 'starting slots before every UAV is airborne at its start');
  }

  private runSlot(k: number, t0Us: number): void {
    if (this.stopped) return;
    if (k >= this.cfg.slots) return this.finish();
    if (k === 0) this.missionStartUs = t0Us;
    this.apply({ kind: 'slotStart', slot: k, nowUs: this.now() });
    this.cfg.shard?.slotStarted(k, t0Us);
    this.cfg.shard?.publishPicture();
    this.publishFleet(k);
    this.renewLease(false);
    const collectMs = (this.cfg.collectFraction ?? 0.25) * this.cfg.slotS * 1000;
    this.timer = this.clock.setTimeout(() => {
      void this.planSlot(k);
      const nextUs = t0Us + (k + 1) * this.cfg.slotS * 1e6;
      this.timer = this.clock.setTimeout(() => this.runSlot(k + 1, t0Us), Math.max(0, (nextUs - this.clock.nowUs()) / 1000));
    }, collectMs);
  }

  /**
   * The end of slot k's collection window: the core plans it. S0 with a warm start first runs the
   * generative model (onnxruntime, clock held) and the core plans with its proposal.
   */
  private async planSlot(k: number): Promise<void> {
    if (this.cfg.video) return this.videoSlot(k, this.cfg.video);
    const s0 = this.cfg.s0;
    let warm: Map<number, number[][]> | undefined;
    if (s0?.warmStart && this.core.s0) {
      this.sync();
      const c = this.core.s0;
      const inp = buildS0Input(c.cfg, k, this.clock.nowUs(), this.twin, c.requests, c.ratios());
      const hold = s0.hold ?? (<T>(p: Promise<T>) => p);
      warm = await hold(s0.warmStart.propose(inp)).catch((e: unknown) => {
        this.log.warn({ err: e, slot: k }, 'warm start failed: forming coalitions from singletons');
        return undefined;
      });
      if (this.stopped) return;
    }
    const transits = this.cfg.shard ? this.shardTransits(this.cfg.shard, k) : [];
    this.apply({ kind: 'plan', slot: k, nowUs: this.now(), ...(warm ? { s0Warm: warm } : {}) });
    for (const t of transits) {
      this.core.ledger.planSent(t.uavId, Number(t.plan.plan_seq), k);
      this.publishPlan(t.uavId, t.plan, `transit plan for UAV ${t.uavId}`);
    }
    this.cfg.shard?.publishPicture();
    this.renewLease(true);
  }

  /** Sharded: the region's demand for the balance, and the plans of UAVs flying to another region (dropped from the core first). */
  private shardTransits(shard: ShardLink, k: number): ReturnType<ShardLink['beforePlan']> {
    this.sync();
    const xy = [...this.core.pending.values()].map((t) => [t.pos[0], t.pos[1]] as [number, number]);
    return shard.beforePlan(k, xy, { nowUs: this.now(), slotS: this.cfg.slotS, validSlots: this.cfg.planValiditySlots ?? 2, altM: this.cfg.cruiseAltM, speedMS: this.cfg.speedMS });
  }

  /** S2: the driver plans the slot (async: ONNX inference, holding a lockstep clock), the service sends and tracks the UAV plans. */
  private videoSlot(k: number, video: S2Driver): void {
    this.sync();
    const m = this.core.ledger.slots[k]!;
    const planning = video.planSlot(k, this.clock.nowUs());
    (this.clock.activity ? this.clock.activity.during(planning, 's2-plan') : planning).then((plans) => {
      if (this.stopped) return;
      for (const [uavId, plan] of plans) {
        this.core.ledger.planSent(uavId, plan.plan_seq as number, k);
        this.publishPlan(uavId, plan, `S2 plan for UAV ${uavId}`);
      }
      m.servingUavs = [...plans.values()].filter((p) => (p.video?.shares?.length ?? 0) > 0).length;
      for (const u of this.twin.values()) m.energyJ[u.id] = (u.flightEnergyJ ?? 0) + u.computeEnergyJ;
      this.hooks.onSlot?.(m, k);
    }).catch((e: unknown) => this.log.error({ err: e, slot: k }, 'S2 slot not planned'));
  }

  /** FleetState: where every UAV is (for the agents' separation) and which slot runs (for the world). */
  private publishFleet(k: number, launching = false): void {
    if (this.cfg.shard && !this.cfg.shard.coordinator) return;
    const members = this.cfg.shard ? this.cfg.shard.members() : [...this.twin.values()]
      .filter((u) => u.pos)
      .map((u) => ({
        uav_id: u.id,
        position: { x_east_m: u.pos![0], y_north_m: u.pos![1], alt_m: u.pos![2] },
        ...(u.vel ? { velocity: { vx_east_m_s: u.vel[0], vy_north_m_s: u.vel[1], vz_up_m_s: u.vel[2] } } : {}),
        reported_t_us: Math.round(u.reportedUs),
      }));
    this.publish((this.cfg.heartbeatBus ?? this.bus).publish('fleet', {}, { slot: k, slot_s: this.cfg.slotS, members, ...(launching ? { launching } : this.pool?.ready()) }), 'fleet state');
  }

  private finish(): void {
    this.cfg.video?.endSlots(this.now());
    this.apply({ kind: 'finish', nowUs: this.now() });
    for (const [uavId, plan] of this.cfg.shard?.finishPlans(this.now(), this.cfg.slots, this.cfg.slotS) ?? []) this.publishPlan(uavId, plan, `final plan for UAV ${uavId}`);
    this.cfg.leadership?.finish({ slot: this.cfg.slots - 1, slotPlanned: true, missionStarted: true, missionStartUs: this.missionStartUs, planSeq: this.planSeqMax });
    const drainMs = (this.cfg.drainSlots ?? 1) * this.cfg.slotS * 1000;
    const drained = () => {
      this.apply({ kind: 'close', nowUs: this.now() });
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
  private publishPlan(uavId: number, input: MessageInput<Omit<Plan, 'header'>>, what: string): void {
    if (!this.leading) return this.log.warn({ uav: uavId }, `${what} not sent: not the leader`);
    // Fencing (issue 19): the plan carries the lease epoch (inside the signature when signed).
    const plan = this.cfg.leadership ? { ...input, leader_epoch: this.cfg.leadership.epoch } : input;
    this.planSeqMax = Math.max(this.planSeqMax, Number(plan.plan_seq ?? 0));
    this.cfg.shard?.notePlan(uavId, Number(plan.plan_seq ?? 0));
    const key = this.cfg.planSigningKey;
    const topic = topicName('plan', { uav: uavId });
    let bytes: Uint8Array;
    try {
      bytes = this.bus.encodeWithHeader('plan', topic, plan);
      if (key) bytes = signedPlanBytes(bytes, key);
    } catch (e) {
      return this.log.error({ err: e, uav: uavId }, `${what} not ${key ? 'signed' : 'encoded'}`);
    }
    // Sent again while it is valid if a connection drop loses it unsent (leader/resend.ts: a clustered broker re-electing).
    const expiresUs = Number(plan.expires_t_us ?? 0);
    const retry = (n: number, err: Error) => this.log.warn({ uav: uavId, attempt: n, err: err.message }, `${what} lost with its connection: sending it again`);
    this.publish(publishAtLeastOnce(this.bus, topic, bytes, () => !this.stopped && this.clock.nowUs() < expiresUs, { onRetry: retry }).then(() => undefined), what);
  }

  private publish(p: Promise<void>, what: string): void {
    p.catch((e: unknown) => this.log.error({ err: e }, `${what} not published`));
  }
}

/** Canonical order of messages received at one instant: topic, then sender, then seq. */
function canonicalOrder(a: MessageEvent, b: MessageEvent): number {
  if (a.topic !== b.topic) return a.topic < b.topic ? -1 : 1;
  const sa = a.msg.header!.sender;
  const sb = b.msg.header!.sender;
  if (sa !== sb) return sa < sb ? -1 : 1;
  return a.msg.header!.seq - b.msg.header!.seq;
}
