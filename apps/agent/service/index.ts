/**
 * The agent service (agent.ts), split by stage — see agent.ts for the map.
 * - `AgentService` — the running agent: `restore`, `adoptFlight`, `start`, `stop`, reports, counters.
 * - Types: `AgentConfig`, `AgentDeps` (../config.ts), `AgentStats`.
 * - Pure decisions, for tests and tools: tick-rules.ts, setpoint.ts, flight-rules.ts, `workTotals`.
 */
export { AgentService } from './agent.ts';
export type { AgentStats } from './context.ts';
export type { AgentConfig, AgentDeps } from '../config.ts';
export { tickDtS, tickGate, inAir, returning, silenceEvent, reachedTakeoffAlt, batteryJ, odometryStep, tallyReasons, type Odometry } from './tick-rules.ts';
export { chooseSetpoint, still, type SetpointChoice, type SetpointInput } from './setpoint.ts';
export { adoption, adoptedText, flightCommand, planResumes, restartsTour, stateWithPlan, transitionSeverity, type Adoption, type FlightCommand } from './flight-rules.ts';
export { workTotals } from './report.ts';
