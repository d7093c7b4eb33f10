/**
 * TU coalition game of S0 (SPEC §5.2): F3 (exact water-fill), participant payoffs, merge-and-split
 * formation (merge/split/switch/exchange under the TU or Pareto order) with warm start, the grand-coalition and Nash baselines, and the
 * multi-MED slot planner `planCoalitions`.
 */
export type { CoalitionMed, CoalitionUav, CoalitionParams, CoalitionInstance, CoalitionEval } from './types.ts';
export { evaluateCoalition, settle, waterFill, shareCap, coalitionBandwidths, type F3Input } from './f3.ts';
export { formCoalitions, bipartitions, type FormationOptions, type FormationResult } from './formation.ts';
export { CoalitionCache, payoffs, paretoImproves, prefers, servingIndex, structureValue, beats, TOL, type FormationOrder } from './game.ts';
export { grandCoalition, nashEquilibrium, type NashResult } from './baselines.ts';
export { planCoalitions, shortlist, DEFAULT_MAX_CANDIDATES, defaultCoalitionParams, efficiencies, type CoalitionAlgo, type CoalitionPlan, type MedAssignment, type CoalitionPlanOptions } from './plan.ts';
export { generateS0Instance, type S0GenOptions } from './generate.ts';
export { validateCoalitionInstance, checkCoalitionInstance } from './validate.ts';
export { membershipFeatures, proposeStructure, WARMSTART_FEATURES } from './warmstart.ts';
