/**
 * Failover missions (issue 19 §4): a clustered broker, several controllers, chaos.
 * - `runFailoverMission(o)` → `FailoverSummary`; `formatFailover(summary)` prints what happened.
 * - `parseChaos('leader@12,restart@15,broker@20', nodes)`; `planContinuity`, `telemetryLoss` (pure).
 */
export { runFailoverMission, type FailoverMissionOptions } from './run.ts';
export { localController, roleOf, type RunningController } from './controllers.ts';
export { runChaos, type ChaosHost } from './schedule.ts';
export { parseChaos, planContinuity, telemetryLoss, type ChaosStep, type PlanContinuity, type SeenPlan } from './chaos.ts';
export { formatFailover, summarize, type ChaosOutcome, type ChaosRecord, type FailoverSummary } from './summary.ts';
export { Monitor } from './monitor.ts';
