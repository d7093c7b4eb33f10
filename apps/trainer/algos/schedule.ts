/**
 * Exploration schedules shared by the S3 learners (MADDPG, CEJOMU, D3QN): one schedule in env
 * steps, so a learner's exploration at a given step budget does not depend on its episode length
 * (docs/training.md, "S3 protocol").
 */

import { S3_PROTOCOL } from '../protocol.ts';

/**
 * Env steps over which the S3 learners' exploration (MADDPG/CEJOMU σ, D3QN ε) decays to its final
 * value: the S3 protocol's (2/3 of its step budget; the last third exploits).
 */
export const S3_EXPLORE_DECAY_STEPS = S3_PROTOCOL.exploreDecaySteps;

/** Linear interpolation from `start` to `end` at progress `frac` (clamped to [0, 1]). */
export function linearSchedule(start: number, end: number, frac: number): number {
  const f = Math.min(1, Math.max(0, frac));
  return start + (end - start) * f;
}
