/**
 * Deterministic replay of recorded missions: `loadRun`/`parseRecording` (recording → typed
 * streams), `slotInputs` (what the controller knew at each slot's planning), `replan` (the pure
 * re-planner on a ManualClock), `checkPlans` (byte identity, first divergence), `evaluateSlot`
 * (like-for-like predicted metrics), `replayRun`/`formatReplay` (the `uavmec replay` core), and
 * `hashRecording` (semantic hash for "same seed → same recording"), and the byte-level
 * digests of deterministic runs (`recordingSha256`, `tlogSha256`: digest.ts).
 */
export { loadRun, parseRecording, type RunRecording, type RunFolder, type RecordedPlan, type Stamped } from './recording.ts';
export { slotInputs, slotPlans, controllerReceiveTimes, planningInputs, NON_SLOT_PLANNERS, type SlotInputs } from './inputs.ts';
export { replan, configFromSummary, coalitionInstance, REPLAY_PLANNERS, OFFLOAD_PLANNERS, COALITION_PLANNERS, type ReplayPlanner, type ReplayConfig, type ReplannedSlot } from './replan.ts';
export { checkPlans, firstFieldDiff, type CheckResult, type Divergence } from './check.ts';
export { evaluateSlot, totalsOf, assignmentUtility, type SlotMetricsPredicted } from './evaluate.ts';
export { replayRun, formatReplay, type ReplayReport } from './replay.ts';
export { hashRecording, type RecordingHashes } from './hash.ts';
export { recordingDigest, recordingSha256, tlogDigest, tlogSha256, tlogRecords, withoutHostReadings } from './digest.ts';
