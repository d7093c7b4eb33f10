/**
 * Controller leader election and fencing (issue 19 §1).
 * - Pure core: `initialLease(cfg, nowUs)`, `stepLease(state, event, nowUs) → { state, actions }`.
 * - Shell: `new Leadership(bus, clock, cfg, log)` (retained LeaderRecord + last will on
 *   `uavmec/v1/controller/leader`), `leaderWill(id)` for the controller bus's will; the controller
 *   service takes it as `ControllerConfig.leadership`.
 */
export { initialLease, stepLease, type LeaderRole, type LeaderView, type LeaseAction, type LeaseConfig, type LeaseEvent, type LeaseState, type Resume } from './lease.ts';
export { Leadership, leaderWill, viewOf, type LeadDecision, type LeadershipConfig, type Progress } from './shell.ts';
