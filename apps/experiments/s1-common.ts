/**
 * Shared set-up of the S1 experiments (SPEC §5.3, S1 §5.1): 1 km², 2 UAVs starting at (0,0)
 * and (1000,1000), layered random DAGs with repeats drawn from a 12-subtask shared library.
 */
import { createRng } from '../../core/rng.ts';
import { DEFAULT_DAG_GEN, generateUsers } from '../../engines/scheduling/dag/index.ts';
import type { User } from '../../engines/scheduling/dag/index.ts';
import { DEFAULT_POOL_PARAMS, defaultUav, startPoints } from '../../engines/scheduling/model/index.ts';
import type { Method, PlanMetrics } from '../../engines/scheduling/pipeline/index.ts';
import { planPool } from '../../engines/scheduling/pipeline/index.ts';

export const S1_UAVS = startPoints(2, 1000).map(([x, y], n) => defaultUav(`uav${n}`, x, y));

export function s1Users(seed: number, users: number, repeatRatio = 0.5): User[] {
  return generateUsers(createRng(seed), { users, maxRequestS: 60, dag: { ...DEFAULT_DAG_GEN, repeatRatio } });
}

export function runPlan(seed: number, users: readonly User[], method: Method, merge: boolean): PlanMetrics {
  const r = planPool(createRng(seed ^ 0x5eed), { users, uavs: S1_UAVS, params: DEFAULT_POOL_PARAMS, method, merge });
  if (!r.ok) throw new Error(`plan failed: ${r.reason} ${r.detail ?? ''}`);
  return r.value.metrics;
}

export const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
