/**
 * Injected time. Cores take `nowUs` as an argument; shells (apps, SITL, bridge) take a `Clock`.
 *
 * - `WallClock`: real time.
 * - `ScaledClock`: simulated time running `scale` times faster than wall time, so a 10-minute
 *   mission flies in 30 s at scale 20. Every timer is in *simulated* milliseconds; the SITL, the
 *   bridge's link timeouts and the agents' control loops all honour it when given the same clock.
 * - `ManualClock`: time advances only when a test calls `advance`, firing due timers in order.
 * - `VirtualClock`: discrete-event time for deterministic whole-system runs: it jumps to the next
 *   due timer whenever the system is quiescent (see `ActivityTracker`).
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
  /**
   * Present on a `VirtualClock`: shells that move messages (bus, broker, MAVLink transports)
   * report work in flight here so the clock waits for it. Absent: they do nothing extra.
   */
  readonly activity?: ActivityTracker;
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

/**
 * A clock whose time moves only when its owner moves it, with a list of timers in (due, seq)
 * order; `ManualClock` (tests) and `VirtualClock` (deterministic missions) differ in how time moves.
 */
abstract class TimerListClock implements Clock {
  readonly scale = 1;
  protected tUs: number;
  protected timers: ManualTimer[] = [];
  private seq = 0;
  constructor(startUs: number) {
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
  /** Called after a timer was added (a driver waiting for timers wakes up). */
  protected timerAdded(): void {}
  private add(fn: () => void, ms: number, periodMs?: number): Timer {
    const t: ManualTimer = { due: this.tUs + Math.max(0, ms) * 1000, seq: this.seq++, fn, cancelled: false };
    if (periodMs !== undefined) t.periodMs = periodMs;
    this.timers.push(t);
    this.timerAdded();
    return { cancel: () => void (t.cancelled = true) };
  }
}

/** Deterministic clock for tests: nothing happens until `advance`. */
export class ManualClock extends TimerListClock {
  constructor(startUs = 1_700_000_000_000_000) {
    super(startUs);
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
}

/**
 * Work in flight that a `VirtualClock` waits for before it advances: every message or datagram
 * sent towards a tracked receiver is `begin(key)` at the sender and `end(key)` at the receiver,
 * after its handlers ran (key = the receiving endpoint, e.g. `udp:14551`, `mqtt:<clientId>`).
 * Endpoints are `register`ed by their owners; a sender counts only towards registered ones, so
 * traffic to an outside receiver (a GCS) never holds the clock. Counts are per key and never go
 * below zero: an `end` with nothing pending (traffic from an untracked sender) is counted in
 * `unmatched` and otherwise ignored.
 */
/** How many topics' delivery lists `ActivityTracker` keeps (a fleet of 250 has ≈ 2 000 topics). */
const MAX_CACHED_TOPICS = 100_000;

export class ActivityTracker {
  private readonly counts = new Map<string, number>();
  private readonly endpoints = new Set<string>();
  /** Per tracked endpoint, the topic tests of its granted subscriptions (`route`). */
  private readonly routes = new Map<string, ((topic: string) => boolean)[]>();
  /**
   * Per topic, the endpoints it is delivered to (`beginDeliveries`), kept until the routes change.
   * Topics repeat (one per UAV and kind), and matching every publish against every endpoint's
   * subscriptions cost O(endpoints) string splits per message: 11 % of a 100-UAV lockstep
   * mission's CPU (bench:mission-scale, profiled 2026-12-03). The tests must depend on the topic
   * alone (MQTT filters do).
   */
  private readonly deliveries = new Map<string, readonly string[]>();
  private total = 0;
  private waiters: (() => void)[] = [];
  /** Activity events so far (begin and end calls); the driver uses it to tell progress from a stall. */
  events = 0;
  unmatched = 0;

  register(endpoint: string): void {
    this.endpoints.add(endpoint);
  }
  /** The endpoint closed: what was still in flight to it will never be handled, so it is no longer waited for. */
  unregister(endpoint: string): void {
    this.endpoints.delete(endpoint);
    this.routes.delete(endpoint);
    this.deliveries.clear();
    const n = this.counts.get(endpoint) ?? 0;
    if (n === 0) return;
    this.counts.delete(endpoint);
    this.total -= n;
    if (this.total === 0) for (const w of this.waiters.splice(0)) w();
  }
  /**
   * A registered endpoint will be delivered every message whose topic `accepts` (an MQTT
   * subscription the broker granted). Publishers then count each such message as in flight to it
   * (`beginDeliveries`) until its handlers ran: the clock waits for every delivery whatever the
   * broker (embedded, external, TLS) — the mission's quiescence barrier.
   */
  route(endpoint: string, accepts: (topic: string) => boolean): void {
    if (!this.endpoints.has(endpoint)) return;
    const list = this.routes.get(endpoint) ?? [];
    list.push(accepts);
    this.routes.set(endpoint, list);
    this.deliveries.clear();
  }
  /**
   * Begins one delivery for every routed endpoint that subscribes to `topic` (once per endpoint,
   * however many of its subscriptions match: the bus asks for no overlapping ones). Returns the
   * keys begun, so a failed publish can end them.
   */
  beginDeliveries(topic: string): readonly string[] {
    let keys = this.deliveries.get(topic);
    if (keys === undefined) {
      keys = [...this.routes].filter(([, tests]) => tests.some((t) => t(topic))).map(([endpoint]) => endpoint);
      // A bound for topics that never repeat (none of the contract's do): start over.
      if (this.deliveries.size >= MAX_CACHED_TOPICS) this.deliveries.clear();
      this.deliveries.set(topic, keys);
    }
    for (const endpoint of keys) this.begin(endpoint);
    return keys;
  }
  tracks(endpoint: string): boolean {
    return this.endpoints.has(endpoint);
  }
  begin(key: string): void {
    this.events++;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.total++;
  }
  end(key: string): void {
    this.events++;
    const n = this.counts.get(key) ?? 0;
    if (n <= 0) {
      this.unmatched++;
      return;
    }
    if (n === 1) this.counts.delete(key);
    else this.counts.set(key, n - 1);
    if (--this.total === 0) for (const w of this.waiters.splice(0)) w();
  }
  get pending(): number {
    return this.total;
  }
  /** What is in flight, by key (for stall reports). */
  pendingByKey(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
  }
  /** Resolves when nothing is pending. */
  idle(): Promise<void> {
    return this.total === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }
  /** Holds the clock while `work` (real I/O that sends nothing tracked, e.g. binding sockets) runs. */
  async during<T>(work: Promise<T>, key = 'setup'): Promise<T> {
    this.begin(key);
    try {
      return await work;
    } finally {
      this.end(key);
    }
  }
  /** Forgets everything pending (after a stall: lost datagrams, a receiver that closed). */
  forgive(): Record<string, number> {
    const was = this.pendingByKey();
    this.counts.clear();
    this.total = 0;
    for (const w of this.waiters.splice(0)) w();
    return was;
  }
}

export interface VirtualClockOptions {
  /** Start time, µs since the Unix epoch (default 1 700 000 000 s: fixed, so runs compare). */
  startUs?: number;
  activity?: ActivityTracker;
  /**
   * Wall ms with work pending and no activity at all before the driver gives up waiting (default
   * 20 000: long enough that a loaded machine — a model loading, a TLS handshake on a saturated
   * CPU — never trips it; only lost work, a bug, does).
   */
  stallMs?: number;
}

export interface VirtualClockStats {
  /** Timer callbacks run. */
  fired: number;
  /** Times the driver advanced although work was pending (see `stalledOn`); 0 in a deterministic run. */
  stalls: number;
  stalledOn: Record<string, number>[];
}

/**
 * A discrete-event clock for whole-system deterministic runs. Time stands still while anything
 * is in flight; the driver (`start`) waits until the system is quiescent — the tracker's pending
 * count is 0 and two further event-loop turns (setImmediate) pass with it still 0, so every
 * microtask, nextTick and immediate queued by the last handler has run — and only then jumps to
 * the next due timer and runs it, one timer at a time (due time, then creation order), waiting for
 * quiescence again after each. So what a timer causes (messages, replies, the replies' effects)
 * all happens at its instant, before the next timer; no wall time is ever waited for.
 *
 * Interleaving *within* one timer's cascade (two receivers of one message, each answering) still
 * follows the sockets; anything order-sensitive across such receivers is not made deterministic
 * here (the recorder canonicalises order within an instant instead).
 */
export class VirtualClock extends TimerListClock {
  readonly activity: ActivityTracker;
  readonly stats: VirtualClockStats = { fired: 0, stalls: 0, stalledOn: [] };
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly stallMs: number;

  constructor(o: VirtualClockOptions = {}) {
    super(o.startUs ?? 1_700_000_000_000_000);
    this.activity = o.activity ?? new ActivityTracker();
    this.stallMs = o.stallMs ?? 20_000;
  }
  /** Starts advancing time (idempotent). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.drive();
  }
  /** Stops advancing once the current instant is quiescent; resolves when the driver has stopped. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }
  /** Timers not yet fired or cancelled. */
  get pendingTimers(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  protected override timerAdded(): void {
    this.wake?.();
  }

  private next(): ManualTimer | undefined {
    let best: ManualTimer | undefined;
    let live = 0;
    for (const t of this.timers) {
      if (t.cancelled) continue;
      this.timers[live++] = t;
      if (!best || t.due < best.due || (t.due === best.due && t.seq < best.seq)) best = t;
    }
    this.timers.length = live;
    return best;
  }

  private async drive(): Promise<void> {
    while (this.running) {
      await this.quiesce();
      if (!this.running) break;
      const t = this.next();
      if (!t) {
        // Nothing scheduled: wait for a timer (or stop); a wall poll in case I/O alone brings one.
        await new Promise<void>((resolve) => {
          const h = setTimeout(resolve, 50);
          this.wake = () => {
            clearTimeout(h);
            resolve();
          };
        });
        this.wake = undefined;
        continue;
      }
      this.tUs = Math.max(this.tUs, t.due);
      if (t.periodMs !== undefined) t.due += t.periodMs * 1000;
      else t.cancelled = true;
      this.stats.fired++;
      try {
        t.fn();
      } catch (e) {
        // As with a real timer: an exception in a callback is uncaught.
        setImmediate(() => {
          throw e;
        });
      }
    }
  }

  private async quiesce(): Promise<void> {
    const a = this.activity;
    let quietTurns = 0;
    while (quietTurns < 2) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (a.pending === 0) {
        quietTurns++;
        continue;
      }
      quietTurns = 0;
      // Work in flight: wait for it, giving up only after `stallMs` with no activity at all.
      let seen = a.events;
      for (;;) {
        let h: ReturnType<typeof setTimeout> | undefined;
        const done = await Promise.race([a.idle().then(() => true), new Promise<boolean>((resolve) => (h = setTimeout(() => resolve(false), this.stallMs)))]);
        clearTimeout(h);
        if (done || !this.running) break;
        if (a.events !== seen) {
          seen = a.events;
          continue;
        }
        this.stats.stalls++;
        if (this.stats.stalledOn.length < 20) this.stats.stalledOn.push(a.forgive());
        else a.forgive();
        break;
      }
    }
  }
}
