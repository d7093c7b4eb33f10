/**
 * Starting an agent without surprises (issue 14 §4):
 * - `lockAgent` / `takeLock` (lock.ts): local locks on the UAV id and the autopilot link;
 * - `claimPresence` (presence.ts): the retained presence record on the broker, with a last will;
 * - `AgentStartError` (errors.ts): why a start failed, as one line saying what to do.
 */
export { lockAgent, takeLock, defaultLockDir, type HeldLock } from './lock.ts';
export { claimPresence, holderIsLive, olderClaim, describeHolder, type PresenceClaim, type PresenceOptions, type PresenceFailure } from './presence.ts';
export { AgentStartError, type AgentStartFailure } from './errors.ts';
