/**
 * Planning engine I: the S3 offloading planner (`offload/`, CD + KKT, AO, AL) and the S0 TU
 * coalition game (`coalition/`), plus `instance.ts`, the JSON entry point behind `uavmec plan`.
 */
export * from './offload/index.ts';
export * from './coalition/index.ts';
export { parseInstance, solve, defaultAlgo, PLAN_ALGOS, OFFLOAD_ALGOS, COALITION_ALGOS, type PlanAlgo, type ParsedInstance, type PlanOutput } from './instance.ts';
