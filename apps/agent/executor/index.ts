/** Compute executors for assigned work: simulated (cycles / f on the clock). */
export { SimulatedExecutor, type Executor, type Job, type JobResult } from './simulated.ts';
