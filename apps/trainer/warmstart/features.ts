/** The warm-start features live with the coalition engine (the controller runs the model too). */
export { membershipFeatures, proposeStructure, WARMSTART_FEATURES } from '../../../engines/planning/coalition/warmstart.ts';
