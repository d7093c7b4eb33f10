/**
 * TU coalition game of S0 (SPEC §5.2): F3 (exact water-fill), participant payoffs, merge-and-split
 * formation under the Pareto order with warm start, the grand-coalition and Nash baselines, and the
 * multi-MED slot planner `planCoalitions`.
 */
export type { CoalitionMed, CoalitionUav, CoalitionParams, CoalitionInstance, CoalitionEval } from './types.ts';
export { evaluateCoalition, settle, waterFill, shareCap, coalitionBandwidths, type F3Input } from './f3.ts';
export { formCoalitions, payoffs, paretoImproves, bipartitions, servingIndex, CoalitionCache, type FormationOptions, type FormationResult } from './formation.ts';
export { grandCoalition, nashEquilibrium, type NashResult } from './baselines.ts';
export { planCoalitions, defaultCoalitionParams, efficiencies, type CoalitionAlgo, type CoalitionPlan, type MedAssignment, type CoalitionPlanOptions } from './plan.ts';
export { generateS0Instance, type S0GenOptions } from './generate.ts';
