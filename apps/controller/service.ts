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
import { FlightState, topicName, topicSpec, type Health, type MessageInput, type Plan } from '../../proto/index.ts';
import { signedPlanBytes } from '../security/plan-signing.ts';
import type { SlotMetrics } from './metrics.ts';
import type { Point2, PoolRoundMetrics } from './slot/index.ts';
import { fleetReady, PLANNER_TRAJECTORY, type Vec3 } from './trajectory.ts';
import { createCore, step, type CoreConfig, type CoreEvent, type CoreOutput, type CoreState, type MessageEvent } from './core/index.ts';
import type { Twin } from './twin/index.ts';

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
    return this.core.twin;
  }
  get ledger(): CoreState['ledger'] {
    return this.core.ledger;
  }
  get pool(): CoreState['pool'] {
    return this.core.pool;
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
    const feed = (kind: MessageEvent['kind']) => (msg: MessageEvent['msg'], d: Delivery): void => void this.apply({ kind, msg, topic: d.topic, recvUs: Math.round(d.recvUs) } as MessageEvent);
    await this.bus.subscribe('twin', {}, feed('twin'));
    await this.bus.subscribe('task', {}, feed('task'));
    await this.bus.subscribe('ack', {}, feed('ack'));
    await this.bus.subscribe('uavCompletion', {}, feed('completion'));
    await this.bus.subscribe('userCompletion', {}, feed('completion'));
    await this.bus.subscribe('health', {}, (m) => this.health.set(m.uav_id, m));
    await this.bus.subscribe('uavEvent', {}, (m, d) => this.events.push({ uavId: d.params.uav ?? 0, code: m.code, text: m.text, tUs: m.header!.t_us }));
  }

  async start(): Promise<void> {
    await this.attach();
    this.fleetTimer = this.clock.setInterval(() => {
      // Also while the fleet launches: airborne agents would otherwise count the wait as silence.
      if (!this.stopped) this.publishFleet(Math.max(0, this.core.slot), this.core.slot < 0);
    }, 1000 / (this.cfg.fleetRateHz ?? 5));
    await this.waitForFleet();
    await this.launchFleet();
    if (!this.stopped) this.runSlot(0, this.now());
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.fleetTimer?.cancel();
    this.resolveFinished();
  }

  private now(): number {
    return Math.round(this.clock.nowUs());
  }

  /** One event through the core; its output published. */
  private apply(ev: CoreEvent): CoreOutput {
    const out = step(this.core, ev);
    for (const w of out.warnings) this.log.warn(w.data, w.text);
    if (out.inputs) this.publish(this.bus.publish('planningInputs', {}, out.inputs), 'planning inputs');
    for (const p of out.plans) this.publishPlan(p.uavId, p.plan, p.what);
    for (const r of out.roundsClosed) this.hooks.onPoolRound?.(r);
    if (out.slotPlanned !== undefined) this.hooks.onSlot?.(this.core.ledger.slots[out.slotPlanned]!, out.slotPlanned);
    return out;
  }

  private async waitForFleet(): Promise<void> {
    const want = this.cfg.waitForUavs ?? 0;
    const until = this.clock.nowUs() + (this.cfg.readyTimeoutS ?? 60) * 1e6;
    // A UAV counts once it reported a position: the launch plan goes where it stands.
    const located = () => [...this.twin.values()].filter((u) => u.pos).length;
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
    const airborne = () => fleetReady(this.cfg.trajectory ?? PLANNER_TRAJECTORY, this.twin);
    while (!this.stopped && !airborne() && this.clock.nowUs() < until) await this.clock.sleep(250);
    if (!airborne()) this.log.warn({ flying: [...this.twin.values()].filter((u) => u.flightState === FlightState.FLIGHT_STATE_FLYING).map((u) => u.id) }, 'starting slots before every UAV is airborne at its start');
  }

  private runSlot(k: number, t0Us: number): void {
    if (this.stopped) return;
    if (k >= this.cfg.slots) return this.finish();
    this.apply({ kind: 'slotStart', slot: k, nowUs: this.now() });
    this.publishFleet(k);
    const collectMs = (this.cfg.collectFraction ?? 0.25) * this.cfg.slotS * 1000;
    this.timer = this.clock.setTimeout(() => {
      this.apply({ kind: 'plan', slot: k, nowUs: this.now() });
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

  private finish(): void {
    this.apply({ kind: 'finish', nowUs: this.now() });
    const drainMs = (this.cfg.drainSlots ?? 1) * this.cfg.slotS * 1000;
    this.timer = this.clock.setTimeout(() => {
      this.apply({ kind: 'close', nowUs: this.now() });
      this.stopped = true;
      this.fleetTimer?.cancel();
      this.resolveFinished();
    }, drainMs);
  }

  /** Every plan leaves through here: signed when a plan-signing key is configured. */
  private publishPlan(uavId: number, plan: MessageInput<Omit<Plan, 'header'>>, what: string): void {
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
