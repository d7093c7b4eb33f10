/**
 * Injected time. Cores take `nowUs` as an argument; shells (apps, SITL, bridge) take a `Clock`.
 *
 * - `WallClock`: real time.
 * - `ScaledClock`: simulated time running `scale` times faster than wall time, so a 10-minute
 *   mission flies in 30 s at scale 20. Every timer is in *simulated* milliseconds; the SITL, the
 *   bridge's link timeouts and the agents' control loops all honour it when given the same clock.
 * - `ManualClock`: time advances only when a test calls `advance`, firing due timers in order.
 *
 * Times are microseconds since the Unix epoch (`t_us` on the wire).
 */
export interface Timer {
  cancel(): void;
}

export interface Clock {
  /** Current time, µs since the Unix epoch (may be fractional; round at the wire). */
  nowUs(): number;
  /** Calls `fn` once after `ms` clock-milliseconds. */
  setTimeout(fn: () => void, ms: number): Timer;
  /** Calls `fn` every `ms` clock-milliseconds until cancelled. */
  setInterval(fn: () => void, ms: number): Timer;
  /** Resolves after `ms` clock-milliseconds. */
  sleep(ms: number): Promise<void>;
  /** How many clock seconds pass per wall second (1 for wall time). */
  readonly scale: number;
}

export class ScaledClock implements Clock {
  private readonly wall0: number;
  private readonly epochUs: number;
  /**
   * Simulated time starts at `epochUs` now and runs `scale` times faster than wall time. With
   * `anchorMs` (a Unix time in ms) it instead equals wall time at that instant: processes on
   * different machines given the same scale and anchor share one accelerated clock.
   */
  constructor(
    readonly scale = 1,
    epochUs?: number,
    anchorMs?: number,
  ) {
    if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError(`clock scale must be > 0, got ${scale}`);
    if (anchorMs !== undefined) {
      this.wall0 = performance.now() - (Date.now() - anchorMs);
      this.epochUs = anchorMs * 1000;
    } else {
      this.wall0 = performance.now();
      this.epochUs = epochUs ?? Date.now() * 1000;
    }
  }
  nowUs(): number {
    return this.epochUs + (performance.now() - this.wall0) * 1000 * this.scale;
  }
  setTimeout(fn: () => void, ms: number): Timer {
    const h = setTimeout(fn, Math.max(0, ms / this.scale));
    return { cancel: () => clearTimeout(h) };
  }
  setInterval(fn: () => void, ms: number): Timer {
    const h = setInterval(fn, Math.max(1, ms / this.scale));
    return { cancel: () => clearInterval(h) };
  }
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimeout(resolve, ms));
  }
}

/** Real time. */
export class WallClock extends ScaledClock {
  constructor() {
    super(1);
  }
}

interface ManualTimer {
  due: number;
  seq: number;
  fn: () => void;
  periodMs?: number;
  cancelled: boolean;
}

/** Deterministic clock for tests: nothing happens until `advance`. */
export class ManualClock implements Clock {
  readonly scale = 1;
  private tUs: number;
  private seq = 0;
  private timers: ManualTimer[] = [];
  constructor(startUs = 1_700_000_000_000_000) {
    this.tUs = startUs;
  }
  nowUs(): number {
    return this.tUs;
  }
  setTimeout(fn: () => void, ms: number): Timer {
    return this.add(fn, ms);
  }
  setInterval(fn: () => void, ms: number): Timer {
    if (!(ms > 0)) throw new RangeError('interval must be > 0 ms');
    return this.add(fn, ms, ms);
  }
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.add(resolve, ms));
  }
  /** Advances time by `ms`, firing every timer that falls due, in due order. */
  advance(ms: number): void {
    const end = this.tUs + ms * 1000;
    for (;;) {
      const next = this.timers
        .filter((t) => !t.cancelled && t.due <= end)
        .sort((a, b) => a.due - b.due || a.seq - b.seq)[0];
      if (!next) break;
      this.tUs = Math.max(this.tUs, next.due);
      if (next.periodMs !== undefined) next.due += next.periodMs * 1000;
      else next.cancelled = true;
      next.fn();
    }
    this.timers = this.timers.filter((t) => !t.cancelled);
    this.tUs = end;
  }
  private add(fn: () => void, ms: number, periodMs?: number): Timer {
    const t: ManualTimer = { due: this.tUs + Math.max(0, ms) * 1000, seq: this.seq++, fn, cancelled: false };
    if (periodMs !== undefined) t.periodMs = periodMs;
    this.timers.push(t);
    return { cancel: () => void (t.cancelled = true) };
  }
}
