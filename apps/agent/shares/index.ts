/**
 * S0 coalition shares on the UAV (SPEC §5.2): `ShareRunner` receives each share over the M2U link
 * (`shareUpload`, real position and the slot's fading), computes it on the executor and reports it.
 */
export { ShareRunner, type ShareRunnerConfig, type ShareRunnerDeps } from './runner.ts';
export { shareUpload, type ShareLink } from './timing.ts';
