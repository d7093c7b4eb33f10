/**
 * SimulatedExecutor: computing modelled by SPEC §4's `t = cycles / f` on an injected `Clock`.
 *
 * Discipline: FIFO on one processor (the UAV's CPU serves one task at a time at the frequency
 * the controller allocated, as the KKT allocation of SPEC §5.1 assumes one f_ik per task). A job
 * starts at max(nowUs, end of the previous job) and runs at min(job.cpuHz, fMaxHz). Processor
 * sharing is not modelled: with FIFO the completion times are predictable by the twin, which is
 * what the fidelity tracking of SPEC §2 compares against.
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

export class SimulatedExecutor implements Executor {
  private busyUntilUs = -Infinity;
  private closed = false;
  constructor(private readonly o: SimulatedExecutorOptions) {
    if (!(o.fMaxHz > 0)) throw new ExecutorError(`fMaxHz must be > 0, got ${o.fMaxHz}`);
    if (o.efficiency !== undefined && !(o.efficiency > 0)) throw new ExecutorError(`efficiency must be > 0, got ${o.efficiency}`);
  }

  /** Predicted completion time of a job submitted now, µs (what the agent can report ahead). */
  predictEndUs(job: Job, nowUs: number): number {
    const f = this.rate(job);
    return Math.max(nowUs, this.busyUntilUs) + (job.cycles / f) * 1e6;
  }

  private rate(job: Job): number {
    return Math.min(job.cpuHz ?? this.o.fMaxHz, this.o.fMaxHz) * (this.o.efficiency ?? 1);
  }

  async run(job: Job, nowUs: number): Promise<JobResult> {
    if (this.closed) throw new ExecutorError('executor closed');
    checkJob(job);
    const f = this.rate(job);
    const startUs = Math.max(nowUs, this.busyUntilUs);
    const endUs = startUs + (job.cycles / f) * 1e6;
    this.busyUntilUs = endUs;
    const waitMs = (endUs - this.o.clock.nowUs()) / 1000;
    if (waitMs > 0) await this.o.clock.sleep(waitMs);
    return { id: job.id, startUs, endUs, cyclesPerS: f };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
