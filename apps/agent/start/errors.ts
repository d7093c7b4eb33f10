/**
 * Why an agent could not start, with one line saying what to do. `createAgent` throws it; the
 * command prints the line and exits non-zero (no stack trace).
 */
export type AgentStartFailure = 'bad_profile' | 'locked' | 'autopilot_unreachable' | 'signing_failed' | 'broker_unreachable' | 'duplicate_agent' | 'state_unreadable';

export class AgentStartError extends Error {
  override name = 'AgentStartError';
  constructor(
    readonly reason: AgentStartFailure,
    message: string,
  ) {
    super(message);
  }
}
