/** The executor contract: what the agent's job runner calls to compute an offloaded task. */

export interface Job {
  id: string;
  /** Work to do, CPU cycles (SPEC §4: cycles = D·C). */
  cycles: number;
  /** Compute frequency allocated to this job by the controller (f_ik, SPEC §5.1), Hz; default the executor's maximum. */
  cpuHz?: number;
}

export interface JobResult {
  id: string;
  /** Clock time the job started computing (after queueing), µs. */
  startUs: number;
  /** Clock time it finished, µs. */
  endUs: number;
  /** Achieved rate, cycles per second — the f̃ the twin learns from (SPEC §2). */
  cyclesPerS: number;
}

export interface Executor {
  /** Runs the job (queued FIFO behind earlier ones); rejects with `ExecutorError` on a bad job or a closed executor. */
  run(job: Job, nowUs: number): Promise<JobResult>;
  close(): Promise<void>;
}

export class ExecutorError extends Error {
  override name = 'ExecutorError';
}

export function checkJob(job: Job): void {
  if (!(Number.isFinite(job.cycles) && job.cycles >= 0)) throw new ExecutorError(`job ${job.id}: cycles must be a finite number ≥ 0, got ${job.cycles}`);
  if (job.cpuHz !== undefined && !(Number.isFinite(job.cpuHz) && job.cpuHz > 0)) throw new ExecutorError(`job ${job.id}: cpuHz must be > 0, got ${job.cpuHz}`);
}
