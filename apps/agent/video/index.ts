/** S2 video shares on the UAV (SPEC §5.4): uplink, transcoding and processing on the executor (runner.ts). */
export { VideoRunner, type VideoRunnerDeps } from './runner.ts';
