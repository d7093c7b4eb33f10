/**
 * Failsafe state machine of the on-UAV agent (pure; every event carries its time).
 * - `stepFailsafe(config, state, event) → { state, decision }`, `initialFailsafe(nowUs)`.
 * - `Failsafe` — the same with the state held and a transition log.
 * - Types: `FailsafeConfig`, `FailsafeEvent`, `FailsafeMode`, `Decision`, `Transition`.
 */
export {
  stepFailsafe, initialFailsafe, validateFailsafeConfig, Failsafe, FailsafeConfigError,
  type FailsafeConfig, type FailsafeEvent, type FailsafeMode, type FailsafeState, type Decision, type Transition,
} from './failsafe.ts';
