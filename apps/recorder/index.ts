/**
 * `uavmec recorder`: the record of a mission flown as separate processes — the same run folder
 * (mqtt.rec, summary.json) a one-machine mission writes, for `uavmec replay` and `uavmec report`.
 */
export { recordMission, type RecorderOptions } from './run.ts';
export { summaryFromRecording, type RecorderRunInfo } from './summary.ts';
