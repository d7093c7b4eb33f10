/**
 * What the controller's stages share: its wiring (bus, clock, config, log, hooks), the planning
 * core's state, what it keeps beside planning (the agents' events and health) and the shell's
 * own state — timers, the inbox of one instant, the mission's start, the highest plan_seq sent.
 * No behaviour beyond two readings: the clock in whole µs, and whether this controller leads.
 */
import type { Clock, Timer } from '../../../core/clock.ts';
import type { Bus } from '../../common/bus.ts';
import type { Logger } from '../../common/log.ts';
import type { Health } from '../../../proto/index.ts';
import { createCore, type CoreState, type MessageEvent } from '../core/index.ts';
import type { ControllerConfig, ControllerEvents } from './config.ts';

export class ControllerCtx {
  readonly core: CoreState;
  readonly events: { uavId: number; code: string; text: string; tUs: number }[] = [];
  /** Each agent's last health report. */
  readonly health = new Map<number, Health>();
  timer: Timer | undefined;
  fleetTimer: Timer | undefined;
  stopped = false;
  attached = false;
  /** Highest plan_seq sent (for the lease record). */
  planSeqMax = 0;
  /** Start of slot 0 on the clock, µs (0 before). */
  missionStartUs = 0;
  /** Why this controller stopped before the mission's end: 'deposed' or 'mission finished by another'. */
  stoppedBecause: string | undefined;
  /** Messages of the current instant, not yet given to the core (inbox.ts). */
  inbox: MessageEvent[] = [];
  readonly resolveFinished: () => void;
  readonly finished: Promise<void>;

  constructor(
    readonly bus: Bus,
    readonly clock: Clock,
    readonly cfg: ControllerConfig,
    readonly log: Logger,
    readonly hooks: ControllerEvents,
  ) {
    let resolve!: () => void;
    this.finished = new Promise<void>((r) => (resolve = r));
    this.resolveFinished = resolve;
    this.core = createCore(cfg);
  }
}

/** The clock in whole µs: what the core is given, so the PlanningInputs record reproduces it exactly. */
export function nowUs(c: ControllerCtx): number {
  return Math.round(c.clock.nowUs());
}

/** Whether this controller plans now: always without leader election, else while it holds the lease. */
export function leading(c: ControllerCtx): boolean {
  return !c.cfg.leadership || c.cfg.leadership.isLeader;
}
