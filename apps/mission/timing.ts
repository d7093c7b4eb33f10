/**
 * Lateness of a real-time (scaled-clock) mission. On a scaled clock a busy machine bends the
 * results: timers fire late, task requests reach the controller after their slot's plan (they then
 * run on the devices and the DOR drops). This measures it, so the console and the summary can say
 * so instead of passing degraded numbers off as the system's:
 *
 * - timer lag: a probe timer every 100 simulated ms; how much later than due it ran, in simulated ms;
 * - the real-time factor reached: probe ticks served per wall second × their simulated length — the
 *   clock asks for `speed`; an event loop too busy to serve its timers reaches less;
 * - late requests per slot: the ledger's `missedWindow` (requests that arrived after the plan).
 *
 * A lockstep mission needs none of this: its clock waits for the work (core/clock.ts).
 */
import type { Clock, Timer } from '../../core/clock.ts';
import type { SlotMetrics } from '../controller/metrics.ts';

export interface SlotTiming {
  slot: number;
  /** Simulated s of timer ticks served per wall s since the previous slot's plan. */
  realTimeFactor: number;
  speed: number;
  /** Largest timer lag since the previous slot, simulated ms. */
  maxLagMs: number;
  /** Requests of the previous slot that arrived after its plan (undefined at slot 0). */
  lateRequestsPrevSlot: number | undefined;
}

export interface MissionTiming {
  clock: 'lockstep' | 'scaled';
  /** True when lateness changed what happened: the numbers are not the system's, only this run's. */
  degraded: boolean;
  speed?: number;
  realTimeFactor?: number;
  timerLagMs?: { mean: number; max: number; over10PctOfSlot: number };
  lateRequests?: number;
  lateRequestsBySlot?: number[];
  note?: string;
}

const PROBE_MS = 100;

export class TimingMonitor {
  private readonly probe: Timer;
  private expectWall = performance.now() + PROBE_MS;
  private lagSum = 0;
  private lagCount = 0;
  private lagMax = 0;
  private lagOver = 0;
  private slotLagMax = 0;
  private probes = 0;
  private slotProbes = 0;
  private last: { wall: number; sim: number } | undefined;
  private readonly first: { wall: number; sim: number };

  constructor(
    private readonly clock: Clock,
    private readonly speed: number,
    private readonly slotS: number,
  ) {
    this.first = { wall: performance.now(), sim: clock.nowUs() };
    this.probe = clock.setInterval(() => this.onProbe(), PROBE_MS);
  }

  private onProbe(): void {
    const now = performance.now();
    const lagMs = Math.max(0, now - this.expectWall) * this.speed;
    this.expectWall = now + PROBE_MS / this.speed;
    this.probes++;
    this.slotProbes++;
    this.lagSum += lagMs;
    this.lagCount++;
    this.lagMax = Math.max(this.lagMax, lagMs);
    this.slotLagMax = Math.max(this.slotLagMax, lagMs);
    if (lagMs > 0.1 * this.slotS * 1000) this.lagOver++;
  }

  /** Called at slot `k`'s plan. */
  slot(k: number, slots: readonly SlotMetrics[]): SlotTiming {
    const now = { wall: performance.now(), sim: this.clock.nowUs() };
    const prev = this.last ?? this.first;
    const t: SlotTiming = {
      slot: k,
      realTimeFactor: (this.slotProbes * PROBE_MS) / Math.max(1e-9, now.wall - prev.wall),
      speed: this.speed,
      maxLagMs: this.slotLagMax,
      lateRequestsPrevSlot: k > 0 ? slots[k - 1]?.missedWindow : undefined,
    };
    this.last = now;
    this.slotLagMax = 0;
    this.slotProbes = 0;
    return t;
  }

  summary(slots: readonly SlotMetrics[]): MissionTiming {
    this.probe.cancel();
    const late = slots.map((m) => m.missedWindow);
    const lateRequests = late.reduce((a, b) => a + b, 0);
    const wallS = (performance.now() - this.first.wall) / 1000;
    const degraded = lateRequests > 0 || this.lagOver > 0;
    return {
      clock: 'scaled',
      degraded,
      speed: this.speed,
      realTimeFactor: (this.probes * PROBE_MS) / 1000 / Math.max(1e-9, wallS),
      timerLagMs: { mean: this.lagCount ? this.lagSum / this.lagCount : 0, max: this.lagMax, over10PctOfSlot: this.lagOver },
      lateRequests,
      lateRequestsBySlot: late,
      note: degraded
        ? `degraded: the machine did not keep up with ${this.speed}× (${lateRequests} requests missed their slot's plan, timers up to ${Math.round(this.lagMax)} ms late); these numbers are this run's, not the system's — run in lockstep (the default) for results load cannot bend`
        : `kept up with ${this.speed}× real time`,
    };
  }
}

/** One console line for a slot of a real-time mission. */
export function formatSlotTiming(t: SlotTiming): string {
  const late = t.lateRequestsPrevSlot === undefined ? '' : `, ${t.lateRequestsPrevSlot} late requests in slot ${t.slot - 1}`;
  return `real time: ${t.realTimeFactor.toFixed(1)}× of ${t.speed}×, timers up to ${Math.round(t.maxLagMs)} ms late${late}`;
}
