/**
 * Executors: how the agent computes offloaded jobs.
 * - `Executor { run(job, nowUs) → Promise<JobResult>; close() }`, `Job`, `JobResult`, `ExecutorError`.
 * - `SimulatedExecutor({ clock, fMaxHz, efficiency? })` — t = cycles/f on the clock; KKT shares run
 *   concurrently (reserved shares), jobs without cpuHz take the whole CPU (FIFO).
 * - `WorkerExecutor.start({ clock, threads?, nominalHz?, calibrateMs? })` — real work in
 *   worker_threads, calibrated kernel; `measuredHz()` is the f̃ to report to the twin.
 * - `runKernel(iterations, seed)` — the compute kernel.
 */
export { type Executor, type Job, type JobResult, ExecutorError, checkJob } from './types.ts';
export { SimulatedExecutor, type SimulatedExecutorOptions } from './simulated.ts';
export { WorkerExecutor, type WorkerExecutorOptions, type Calibration } from './worker-executor.ts';
export { runKernel } from './kernel.ts';
