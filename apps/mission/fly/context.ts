/**
 * What a mission's stages share: the options and scenario, the log and its phase lines, the clock
 * (lockstep `VirtualClock` or wall-time `ScaledClock` with its timing monitor), `held` for setup
 * steps that do real I/O, and the cleanup list (run in reverse at the end, whatever happened).
 */
import fs from 'node:fs';
import path from 'node:path';
import { ScaledClock, VirtualClock, type Clock } from '../../../core/clock.ts';
import type { Scenario } from '../../../sim/world/index.ts';
import { createLogger, type Logger } from '../../common/log.ts';
import { TimingMonitor } from '../timing.ts';
import type { MissionOptions } from './options.ts';

export interface MissionCtx {
  readonly o: MissionOptions;
  readonly s: Scenario;
  readonly log: Logger;
  /** Logs a phase line and tells `onPhase`. */
  phase(p: string): void;
  readonly virtual: boolean;
  readonly speed: number;
  readonly vclock: VirtualClock | undefined;
  readonly clock: Clock;
  readonly timing: TimingMonitor | undefined;
  /** Setup steps that do real I/O hold a virtual clock until they are done. */
  held<T>(p: Promise<T>): Promise<T>;
  readonly cleanup: (() => Promise<void> | void)[];
  /** Wall ms and clock µs at the start. */
  readonly wall0: number;
  readonly sim0: number;
}

/** The run folder and its log (before the options are checked, as the log records the failure's context). */
export function openRun(o: MissionOptions): { log: Logger; wall0: number } {
  fs.mkdirSync(o.runDir, { recursive: true });
  const log = createLogger({ name: 'mission', file: path.join(o.runDir, 'mission.log') });
  return { log, wall0: performance.now() };
}

/** The clock (started) and what hangs on it. */
export function missionContext(o: MissionOptions, log: Logger, wall0: number): MissionCtx {
  const virtual = (o.clock ?? 'virtual') === 'virtual';
  const speed = o.speed ?? 10;
  const vclock = virtual ? new VirtualClock() : undefined;
  const clock: Clock = vclock ?? new ScaledClock(speed);
  const timing = vclock ? undefined : new TimingMonitor(clock, speed, o.scenario.slotS);
  const activity = vclock?.activity;
  vclock?.start();
  return {
    o, s: o.scenario, log, virtual, speed, vclock, clock, timing, wall0, sim0: clock.nowUs(), cleanup: [],
    held: <T>(p: Promise<T>): Promise<T> => (activity ? activity.during(p) : p),
    phase: (p: string) => {
      log.info(p);
      o.onPhase?.(p);
    },
  };
}

/** Runs the cleanup list in reverse; a failing step is logged and the rest still run. */
export async function runCleanup(c: Pick<MissionCtx, 'cleanup' | 'log'>): Promise<void> {
  for (const step of c.cleanup.reverse()) {
    try {
      await step();
    } catch (e) {
      c.log.warn({ err: e }, 'cleanup step failed');
    }
  }
}
