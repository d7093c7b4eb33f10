/**
 * Saving the agent's state: at once (an accepted plan), or coalesced into one save per event-loop
 * turn (task and schedule bookkeeping, several per plan). A failed save is logged, never thrown.
 */
import type { Clock } from '../../../core/clock.ts';
import type { Logger } from '../../common/log.ts';
import type { AgentState, StateStore } from './store.ts';

export class StateSaver {
  private queued = false;

  constructor(
    private readonly store: StateStore | undefined,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly current: () => AgentState,
  ) {}

  get pending(): boolean {
    return this.queued;
  }

  now(): void {
    this.queued = false;
    if (!this.store) return;
    try {
      this.store.save({ ...this.current(), savedUs: Math.round(this.clock.nowUs()) });
    } catch (e) {
      this.log.error({ err: e }, 'agent state not saved');
    }
  }

  soon(): void {
    if (this.queued || !this.store) return;
    this.queued = true;
    setImmediate(() => this.queued && this.now());
  }
}
