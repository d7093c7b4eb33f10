/**
 * The controller service (controller.ts), split by stage — see controller.ts for the map.
 * - `ControllerService` — the running controller: `attach`, `start`, `stop`, `finished`, the twin and books.
 * - Types: `ControllerConfig`, `ControllerEvents` (config.ts).
 * - Pure pieces, for tests and tools: `canonicalOrder` (order.ts), `resumeStep`, `followStep`
 *   (slot-clock.ts), `fleetMembers` (fleet.ts).
 */
export { ControllerService } from './controller.ts';
export type { ControllerConfig, ControllerEvents } from './config.ts';
export { canonicalOrder } from './order.ts';
export { followStep, resumeStep, type ResumePoint, type ResumeStep } from './slot-clock.ts';
export { fleetMembers } from './fleet.ts';
