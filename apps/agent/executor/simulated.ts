/**
 * SimulatedExecutor: computing modelled by SPEC §4's `t = cycles / f` on an injected `Clock`.
 *
 * Discipline: reserved shares. The KKT allocation of SPEC §5.1 gives each task its own CPU share
 * f_ik with Σ_i f_ik = F_k, and the tasks of a slot run concurrently, each at its share. So a job
 * with `cpuHz` starts at the first moment from `nowUs` when its share fits beside the shares
 * already reserved (for the whole of its run), and runs at that rate; a job without `cpuHz` asks
 * for the whole CPU, which makes such jobs FIFO. Every time is computed, not measured, so the
 * twin's predictions (SPEC §2) can be checked exactly.
 */
import type { Clock } from '../../../core/clock.ts';
import { checkJob, ExecutorError, type Executor, type Job, type JobResult } from './types.ts';

export interface SimulatedExecutorOptions {
  clock: Clock;
  /** Maximum compute frequency f_max, Hz. */
  fMaxHz: number;
  /** Multiplies the rate actually achieved (e.g. 0.9 for a 10 % slower CPU than believed), default 1. */
  efficiency?: number;
}

interface Reservation {
  startUs: number;
  endUs: number;
  hz: number;
}

export class SimulatedExecutor implements Executor {
  private reservations: Reservation[] = [];
  private closed = false;
  constructor(private readonly o: SimulatedExecutorOptions) {
    if (!(o.fMaxHz > 0)) throw new ExecutorError(`fMaxHz must be > 0, got ${o.fMaxHz}`);
    if (o.efficiency !== undefined && !(o.efficiency > 0)) throw new ExecutorError(`efficiency must be > 0, got ${o.efficiency}`);
  }

  /** Predicted completion time of a job submitted now, µs (what the agent can report ahead). */
  predictEndUs(job: Job, nowUs: number): number {
    const share = this.share(job);
    const durUs = (job.cycles / (share * (this.o.efficiency ?? 1))) * 1e6;
    return this.earliestStart(nowUs, durUs, share) + durUs;
  }

  private share(job: Job): number {
    return Math.min(job.cpuHz ?? this.o.fMaxHz, this.o.fMaxHz);
  }

  /** First t ≥ nowUs at which `hz` fits beside the reservations over [t, t + durUs]. */
  private earliestStart(nowUs: number, durUs: number, hz: number): number {
    const cap = this.o.fMaxHz * (1 + 1e-9);
    const candidates = [nowUs, ...this.reservations.map((r) => r.endUs).filter((t) => t > nowUs)].sort((a, b) => a - b);
    for (const t of candidates) {
      const overlapping = this.reservations.filter((r) => r.endUs > t && r.startUs < t + durUs);
      const points = [t, ...overlapping.map((r) => r.startUs).filter((x) => x > t)];
      if (points.every((p) => overlapping.filter((r) => r.startUs <= p && r.endUs > p).reduce((a, r) => a + r.hz, 0) + hz <= cap)) return t;
    }
    return Math.max(nowUs, ...this.reservations.map((r) => r.endUs));
  }

  async run(job: Job, nowUs: number): Promise<JobResult> {
    if (this.closed) throw new ExecutorError('executor closed');
    checkJob(job);
    const share = this.share(job);
    const f = share * (this.o.efficiency ?? 1);
    const durUs = (job.cycles / f) * 1e6;
    this.reservations = this.reservations.filter((r) => r.endUs > Math.min(nowUs, this.o.clock.nowUs()));
    const startUs = this.earliestStart(nowUs, durUs, share);
    const endUs = startUs + durUs;
    this.reservations.push({ startUs, endUs, hz: share });
    const waitMs = (endUs - this.o.clock.nowUs()) / 1000;
    if (waitMs > 0) await this.o.clock.sleep(waitMs);
    return { id: job.id, startUs, endUs, cyclesPerS: f };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
