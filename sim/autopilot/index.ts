/**
 * SITL multicopter autopilot speaking MAVLink 2 (ArduCopter or PX4 flavour).
 * - `startSitl(options) → SitlFleet`: many vehicles in one process, one UDP endpoint each (beyond
 *   250 vehicles over several links of 250 system ids).
 * - `startSitlWorkers(options)`: the same fleet split over worker threads.
 * - `SitlServer`: one vehicle behind one endpoint.
 * - MAVLink 2 signing: an initial key or one provisioned by SETUP_SIGNING over a direct link.
 * - `core/`: the pure vehicle model (parameters, modes, commands, physics `step`).
 */
export { startSitl, capacityParams, SitlStartError, SYSIDS_PER_LINK, MAX_VEHICLES } from './fleet.ts';
export { startSitlWorkers, type SitlWorkerFleet, type SitlWorkerOptions, type WorkerVehicle } from './workers.ts';
export type { SitlFleet, SitlFleetOptions, SitlVehicle } from './fleet.ts';
export { SitlServer } from './server/index.ts';
export type { SitlServerOptions, VehicleTruth, ServerStats } from './server/index.ts';
export * as sitlCore from './core/index.ts';
export { SitlSigning, decideSetupSigning, isLoopback } from './server/signing.ts';
export type { SitlSigningOptions, SetupVerdict } from './server/signing.ts';
