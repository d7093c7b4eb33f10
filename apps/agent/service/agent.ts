/**
 * The agent process's core, wired to its autopilot (any `Vehicle`: the MAVLink bridge to PX4,
 * ArduPilot or the SITL) and to the bus. A thin facade over its stages, which share one context
 * (context.ts):
 * - connect.ts — subscriptions, link watches, timers; shutdown;
 * - plan.ts — plan intake: authenticated, gated, acked or nacked, persisted, flown, work started;
 * - control.ts — the execution loop: failsafe → desired velocity → safety envelope → autopilot;
 * - flight.ts — flight-phase changes and the autopilot commands behind them;
 * - report.ts — the telemetry uplink: events, acks, twin state, health;
 * - rejoin.ts — restore the persisted state, adopt a vehicle that is already flying.
 *
 * Failsafes (failsafe/, issue 6 §4) as the agent applies them:
 * - controller silent > N slots (no FleetState/plan) → hold (zero velocity through the envelope);
 *   > M slots, or the envelope's battery-reserve verdict → the autopilot's own RTL (latched);
 * - autopilot link lost → stop setpoints, report; on regain hold until the next accepted plan;
 * - broker unreachable → keep flying the current plan while it is valid, then hold;
 * - agent dead → the bridge stops streaming, the autopilot's offboard/guided-timeout failsafe fires.
 * Failsafe decisions act only in the air: on the ground an accepted plan clears the latches.
 */
import type { VehicleState, Vec3 } from '../../../firmware-bridge/vehicle.ts';
import type { AgentConfig, AgentDeps } from '../config.ts';
import type { PlanAuthSummary } from '../plan/intake.ts';
import type { AgentState } from '../state/index.ts';
import { start, stop } from './connect.ts';
import { AgentCtx, ownNed } from './context.ts';
import { publishHealth, publishTwin } from './report.ts';
import { adoptFlight, restore } from './rejoin.ts';

export class AgentService {
  private readonly c: AgentCtx;

  constructor(d: AgentDeps, cfg: AgentConfig) {
    this.c = new AgentCtx(d, cfg);
  }

  get uavId(): number {
    return this.c.cfg.uavId;
  }
  get lastSeq(): number {
    return this.c.state.lastSeq;
  }
  get failsafe(): AgentCtx['failsafe'] {
    return this.c.failsafe;
  }
  get health(): AgentCtx['health'] {
    return this.c.health;
  }
  get tasks(): AgentCtx['tasks'] {
    return this.c.tasks;
  }
  /** S2 video shares (SPEC §5.4): uplink, transcoding, processing. */
  get video(): AgentCtx['video'] {
    return this.c.video;
  }
  /** S0 coalition shares (SPEC §5.2). */
  get shares(): AgentCtx['shares'] {
    return this.c.shares;
  }
  /** Subtask schedules of pool plans (SPEC §5.3), with dependency waits. */
  get schedule(): AgentCtx['schedule'] {
    return this.c.schedule;
  }
  get stats(): AgentCtx['stats'] {
    return this.c.stats;
  }
  /** The safety envelope's last verdict (for health reports and debugging). */
  get lastEnvelope(): AgentCtx['lastEnvelope'] {
    return this.c.lastEnvelope;
  }
  /** How often each envelope reason fired (prefix before ':'). */
  get envelopeReasons(): Record<string, number> {
    return this.c.envelopeReasons;
  }
  /** Plan-signature counters (undefined without a pinned key); refusals also count as dropped in health. */
  get planAuth(): PlanAuthSummary | undefined {
    return this.c.intake?.summary();
  }

  /** Restores the persisted state (plan, seq, model, lost tasks) before `start`. */
  restore(s: AgentState): Promise<void> {
    return restore(this.c, s);
  }
  /** Joins a vehicle that is already flying instead of launching it (rejoin.ts); whether it was flying. */
  adoptFlight(): boolean {
    return adoptFlight(this.c);
  }
  start(): Promise<void> {
    return start(this.c);
  }
  stop(): void {
    stop(this.c);
  }
  /** Current mission-frame NED position (north, east, down), from the autopilot's global position. */
  positionNed(s?: VehicleState): Vec3 | undefined {
    return ownNed(this.c, s);
  }
  publishTwin(): void {
    publishTwin(this.c);
  }
  publishHealth(): void {
    publishHealth(this.c);
  }
}
