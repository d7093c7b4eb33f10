/**
 * Offloading planner (SPEC §5.1, paper S3): per-slot binary offloading decisions by coordinate
 * descent with KKT bandwidth/CPU allocation, and the AO / AL baselines.
 *
 * Exports: the instance/plan types, `planOffloading`, `allocate` (KKT for given decisions),
 * `defaultChannelParams`, the KKT closed forms, `validateOffloadInstance` and a seeded S3
 * instance generator.
 */
export type { OffloadUser, OffloadUav, OffloadInstance, ChannelParams, Decision, Choice, OffloadPlan, OffloadAlgo, UserOutcome } from './types.ts';
export { planOffloading, allocate, defaultChannelParams, type PlanOptions } from './plan.ts';
export { kktShares, kktPoolCost } from './kkt.ts';
export { generateS3Instance, gridHover, type S3GenOptions } from './generate.ts';
export { validateOffloadInstance } from './validate.ts';
