/** End-to-end pool planning (merge → P1 → P2 with alternation) and S1's four baselines (SPEC §5.3). */
export type { Method, PlanInput, PlanMetrics, Plan } from './plan.ts';
export { METHODS, planPool } from './plan.ts';
