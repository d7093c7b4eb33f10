/**
 * RL environments (seeded, reset/step, physical units, vectorisable):
 * - `S3TrajectoryEnv` / `defaultS3Config` — SPEC §5.5 multi-UAV 3D trajectories, reward = CD+KKT DOR − penalties.
 * - `S2VideoEnv` / `defaultS2Config` — SPEC §5.4 video offloading with D2D, transcoding, prices.
 * - `VecEnv` — independent copies stepped together; `makeEnv(id, seed, overrides)`.
 * - Types: `Env`, `EnvSpec`, `AgentSpace`, `StepResult`, `StepInfo`.
 */
export type { Env, EnvSpec, AgentSpace, StepResult, StepInfo } from './types.ts';
export { S3TrajectoryEnv, defaultS3Config, type S3EnvConfig } from './s3-trajectory.ts';
export { S2VideoEnv, defaultS2Config, type S2EnvConfig } from './s2-video.ts';
export { VecEnv, type VecStep } from './vec.ts';
export { makeEnv, ENV_IDS, type EnvId } from './registry.ts';
export { s3Oracle, bestStaticPlacement, assignTargets, oracleActions, DEFAULT_PLACEMENT_SEARCH, type S3Oracle, type StaticPlacement, type PlacementSearch, type Vec3 } from './s3-oracle.ts';
