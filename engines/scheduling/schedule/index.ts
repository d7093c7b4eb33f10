/**
 * P2 of S1 (SPEC §5.3): UAV–subtask association and CPU frequencies on the merged DAG.
 * `compileProblem` → typed arrays; `Decoder` (list scheduling, objective, metrics); `runGa`
 * (improved GA); `heft`, `localSchedule`, `queueSchedule` (baselines); `solveExact` (MILP
 * reference with HiGHS, for small instances).
 */
export type {
  PoolUavState,
  SchedulingProblem,
  CompiledProblem,
  Assignment,
  ScheduledSubtask,
  UavSchedule,
  ScheduleMetrics,
  Schedule,
} from './problem.ts';
export { compileProblem, ProblemError } from './problem.ts';
export { Decoder, isTopological, repairOrder } from './decode.ts';
export { heft, upwardRank, localSchedule, queueSchedule } from './heuristics.ts';
export type { GaOptions, GaResult } from './ga.ts';
export { DEFAULT_GA, runGa } from './ga.ts';
export type { ExactResult } from './exact.ts';
export { solveExact, fitnessOf } from './exact.ts';
export type { SyntheticOptions } from './synthetic.ts';
export { syntheticProblem } from './synthetic.ts';
