/**
 * Pool rounds (dag mode, SPEC §5.3) through the pure re-planner: each round's recorded inputs
 * (pool-inputs.ts) into `planPoolSlot` at the recorded planning time. With the recorded planner
 * ('proposed': weighted K-means++ P1 with P1/P2 alternation, the HEFT-seeded GA as P2) this
 * re-makes the controller's plans; with another it answers "what would it have planned":
 * - 'ga' is 'proposed' by another name;
 * - 'heft': the proposed plan's P1 (association, tours, collection) with HEFT as P2 on the same
 *   scheduling problem (`planPoolSlot`'s `scheduler: 'heft'`);
 * - 'queue' | 'region' | 'distance' | 'data': S1's baselines (§5.1), each its own P1 and P2.
 */
import type { Result } from '../../core/result.ts';
import type { PoolConfig } from '../controller/pool.ts';
import type { Method } from '../../engines/scheduling/index.ts';
import { planPoolSlot, type PoolRoundPlan } from '../controller/slot/index.ts';
import type { MissionSummary } from '../mission/summary.ts';
import { poolConfigFor, type Scenario } from '../../sim/world/index.ts';
import type { PoolRoundInputs } from './pool-inputs.ts';

export const POOL_REPLAY_PLANNERS = ['proposed', 'ga', 'heft', 'queue', 'region', 'distance', 'data'] as const;
export type PoolReplayPlanner = (typeof POOL_REPLAY_PLANNERS)[number];
/** The planner the controller's pool rounds use. */
export const RECORDED_POOL_PLANNER: PoolReplayPlanner = 'proposed';

export interface ReplannedRound {
  slot: number;
  planUs: number;
  out: Result<PoolRoundPlan, string>;
}

/** The pool configuration a dag run used (as `runMission` builds it), or undefined for other runs. */
export function poolConfigFromSummary(s: MissionSummary): PoolConfig | undefined {
  return poolConfigFor(s.scenario as unknown as Scenario);
}

function plannerOptions(p: PoolReplayPlanner): { method: Method; scheduler: 'ga' | 'heft' } {
  if (p === 'ga' || p === 'proposed') return { method: 'proposed', scheduler: 'ga' };
  if (p === 'heft') return { method: 'proposed', scheduler: 'heft' };
  return { method: p, scheduler: 'ga' };
}

export function replanPools(inputs: readonly PoolRoundInputs[], cfg: PoolConfig, planner: PoolReplayPlanner = RECORDED_POOL_PLANNER): ReplannedRound[] {
  const recordedPlanner = planner === RECORDED_POOL_PLANNER || planner === 'ga';
  return inputs.map((inp) => ({
    slot: inp.slot,
    planUs: inp.planUs,
    out: planPoolSlot({
      slot: inp.slot, nowUs: inp.planUs, twin: inp.twin, tasks: inp.tasks, params: cfg.params, cruiseAltM: cfg.cruiseAltM, speedMS: cfg.speedMS,
      kappa: cfg.kappa, seed: cfg.seed, ...(cfg.ga ? { ga: cfg.ga } : {}),
      // The controller's call exactly (no method/scheduler keys) for its own planner.
      ...(recordedPlanner ? {} : plannerOptions(planner)),
    }),
  }));
}
