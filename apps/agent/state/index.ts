/**
 * Persisted agent state (atomic JSON file in the state directory).
 * - `new StateStore(dir)`: `load(uavId) → Result<AgentState>`, `save(state)`, `path`.
 * - `StateSaver`: save now or coalesced (`soon`), errors logged.
 * - `emptyState(uavId)`, `parseState(text, uavId)`; types `AgentState`, `PersistedTask`.
 */
export { StateStore, emptyState, parseState, type AgentState, type PersistedTask } from './store.ts';
export { StateSaver } from './saver.ts';
