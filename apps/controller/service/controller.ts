/**
 * The controller process: the thin shell around the planning core (../core/index.ts). It feeds the
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
 *
 * A facade over its stages, which share one context (context.ts): attach.ts (inputs), inbox.ts
 * (the core's canonical input order), launch.ts (before slot 0), slots.ts (the slot loop),
 * join.ts (standby, resume, follower shard), fleet.ts (FleetState, lease), publish.ts (plans).
 */
import type { Clock } from '../../../core/clock.ts';
import type { Bus } from '../../common/bus.ts';
import type { Logger } from '../../common/log.ts';
import type { Health } from '../../../proto/index.ts';
import type { Point2 } from '../slot/index.ts';
import type { Vec3 } from '../trajectory.ts';
import type { CoreState } from '../core/index.ts';
import type { Twin } from '../twin/index.ts';
import { attach } from './attach.ts';
import type { ControllerConfig, ControllerEvents } from './config.ts';
import { ControllerCtx, leading, nowUs } from './context.ts';
import { publishFleet, renewLease } from './fleet.ts';
import { sync, twin } from './inbox.ts';
import { awaitLeadership, followShardClock, resume } from './join.ts';
import { launchFleet, waitForFleet } from './launch.ts';
import { runSlot } from './slots.ts';

export class ControllerService {
  private readonly c: ControllerCtx;

  constructor(bus: Bus, clock: Clock, cfg: ControllerConfig, log: Logger, hooks: ControllerEvents = {}) {
    this.c = new ControllerCtx(bus, clock, cfg, log, hooks);
  }

  get core(): CoreState {
    return this.c.core;
  }
  get events(): ControllerCtx['events'] {
    return this.c.events;
  }
  /** Each agent's last health report. */
  get health(): Map<number, Health> {
    return this.c.health;
  }
  /** Resolved when the mission's books are closed, or the controller stopped. */
  get finished(): Promise<void> {
    return this.c.finished;
  }
  /** Why this controller stopped before the mission's end: 'deposed' or 'mission finished by another'. */
  get stoppedBecause(): string | undefined {
    return this.c.stoppedBecause;
  }
  get twin(): Twin {
    return twin(this.c);
  }
  get ledger(): CoreState['ledger'] {
    sync(this.c);
    return this.c.core.ledger;
  }
  get pool(): CoreState['pool'] {
    return this.c.core.pool;
  }
  get s0(): CoreState['s0'] {
    return this.c.core.s0;
  }
  /** Every slot's hover targets, for reports. */
  get targetsBySlot(): Map<number, Point2>[] {
    return this.c.core.targetsBySlot;
  }
  /** Every slot's UAV positions as planned with (the twin at planning time), for reports. */
  get positionsBySlot(): Map<number, Vec3>[] {
    return this.c.core.positionsBySlot;
  }

  /**
   * Subscribes to the controller's inputs (idempotent; `start` does it too). A lockstep mission
   * calls it before the other participants start publishing: a subscription made while its topics
   * are busy would receive messages their publishers could not yet count (core/clock.ts).
   */
  attach(): Promise<void> {
    return attach(this.c);
  }

  async start(): Promise<void> {
    const c = this.c;
    await this.attach();
    c.fleetTimer = c.clock.setInterval(() => this.heartbeat(), 1000 / (c.cfg.fleetRateHz ?? 5));
    const lead = c.cfg.leadership ? await awaitLeadership(c, c.cfg.leadership, () => this.stop()) : undefined;
    if (c.stopped) return;
    if (lead?.resume?.missionStarted) return resume(c, lead.resume);
    await waitForFleet(c);
    await launchFleet(c);
    if (c.cfg.shard && !c.cfg.shard.coordinator) return followShardClock(c, c.cfg.shard);
    if (!c.stopped) runSlot(c, 0, nowUs(c));
  }

  stop(): void {
    const c = this.c;
    c.stopped = true;
    c.cfg.leadership?.stop();
    c.timer?.cancel();
    c.fleetTimer?.cancel();
    c.resolveFinished();
  }

  /** The fleet-state timer: the shard picture, and FleetState (also while the fleet launches: airborne agents would otherwise count the wait as silence). */
  private heartbeat(): void {
    const c = this.c;
    sync(c);
    if (!c.stopped) c.cfg.shard?.publishPicture();
    if (c.stopped || !leading(c)) return;
    publishFleet(c, Math.max(0, c.core.slot), c.core.slot < 0);
    if (c.core.slot < 0) renewLease(c, false);
  }
}
