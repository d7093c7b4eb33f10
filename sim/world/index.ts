/** The simulated MEC world: scenario, user devices and their tasks, and the service that plays them on the bus. */
export * from './scenario.ts';
export { launchPads, launchPadCapacity, LAUNCH_PAD_SPACING_M } from './launch.ts';
export * from './users.ts';
export * from './dag.ts';
export { WorldService, type WorldStats } from './service.ts';
export { s3Scenario, type S3ScenarioOptions } from './s3-scenario.ts';
export { uavProfile, FENCE_MARGIN_M, type ProfileOptions } from './profile.ts';
