/**
 * A whole mission on one machine, stage by stage (fly.ts; ../run.ts is the entry point).
 * - `fly(options)` — runs it, returns the summary (summary.json written, report too).
 * - Types: `MissionOptions`, `MissionBrokerInfo`, `MissionReadyContext` (options.ts).
 * - Pure pieces: `setupError` (checks.ts), `controllerConfig` (controller.ts), `mergeCounts`, `uavRow` (summarize.ts).
 */
export { fly } from './fly.ts';
export type { MissionBrokerInfo, MissionOptions, MissionReadyContext } from './options.ts';
export { setupError } from './checks.ts';
export { controllerConfig } from './controller.ts';
export { mergeCounts, uavRow } from './summarize.ts';
