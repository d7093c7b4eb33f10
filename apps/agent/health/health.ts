/**
 * Process health of the agent (issue 6 §5): CPU share and resident memory of the process,
 * policy inference latency, link states, outbox depth and drop counts — one `Health` message a
 * second. CPU and memory are measured on wall time (process.cpuUsage / process.memoryUsage):
 * they describe this machine's load, which a ScaledClock does not speed up.
 */

/** q-quantile (0–1) by nearest rank; undefined for no samples. Pure. */
export function quantile(xs: readonly number[], q: number): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

/** CPU used between two samples, % of one core. Pure. */
export function cpuPercent(prev: { userUs: number; systemUs: number; wallMs: number }, now: { userUs: number; systemUs: number; wallMs: number }): number | undefined {
  const wallUs = (now.wallMs - prev.wallMs) * 1000;
  if (!(wallUs > 0)) return undefined;
  return (100 * (now.userUs - prev.userUs + (now.systemUs - prev.systemUs))) / wallUs;
}

export interface HealthSample {
  cpuPct?: number;
  rssBytes: number;
  inferenceP50Us?: number;
  inferenceP99Us?: number;
}

/** Samples this process; `record()` inference latencies between samples. */
export class HealthMeter {
  private last = HealthMeter.now();
  private latUs: number[] = [];

  private static now() {
    const c = process.cpuUsage();
    return { userUs: c.user, systemUs: c.system, wallMs: performance.now() };
  }

  recordInferenceUs(us: number): void {
    if (this.latUs.length < 10_000) this.latUs.push(us);
  }

  /** CPU since the previous sample, RSS now, inference latency quantiles since the previous sample. */
  sample(): HealthSample {
    const now = HealthMeter.now();
    const cpu = cpuPercent(this.last, now);
    this.last = now;
    const lat = this.latUs;
    this.latUs = [];
    const p50 = quantile(lat, 0.5);
    const p99 = quantile(lat, 0.99);
    return {
      ...(cpu !== undefined ? { cpuPct: cpu } : {}),
      rssBytes: process.memoryUsage.rss(),
      ...(p50 !== undefined ? { inferenceP50Us: p50 } : {}),
      ...(p99 !== undefined ? { inferenceP99Us: p99 } : {}),
    };
  }
}
