/**
 * One simulated autopilot behind one MAVLink 2 UDP endpoint.
 * - `SitlServer` (server.ts) — the endpoint and its clock-driven loop; `SitlServerOptions`, `ServerStats` (options.ts).
 * - Requests: `parseRequest` (incoming.ts, pure: packet → request), `handleRequest` (requests.ts).
 * - Telemetry streams: `defaultStreams`, `dueStreams`, `setStreamInterval` (streams.ts); `FrameBatch` (batch.ts).
 * - Services: parameters (params.ts), missions (mission.ts), commands (commands.ts), setpoints
 *   (setpoints.ts), signing (signing.ts), telemetry builders (telemetry/: catalog, status, position, version), ground truth (truth.ts).
 */
export { SitlServer } from './server.ts';
export type { ServerStats, SitlServerOptions } from './options.ts';
export type { VehicleTruth } from './truth.ts';
export { forUs, parseRequest, type Request } from './incoming.ts';
export { handleRequest, type RequestHost } from './requests.ts';
export { defaultStreams, dueStreams, setStreamInterval, type Stream, type StreamTable } from './streams.ts';
export { FrameBatch } from './batch.ts';
