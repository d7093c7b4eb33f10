/**
 * Pure core of the SITL multicopter: parameters (per flavour), modes, vehicle state, commands and
 * the physics/logic `step`. No I/O and no clock reads: time enters as `dtS` and the state's `tUs`.
 */
export * from '../../../core/geo.ts';
export * from './params.ts';
export * from './modes.ts';
export * from './types.ts';
export * from './fence.ts';
export * from './guidance.ts';
export * from './mission.ts';
export * from './vehicle.ts';
export { step, limitsOf } from './step.ts';
