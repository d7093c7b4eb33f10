/**
 * Deterministic replay of recorded missions: `replayThroughCore` (the controller's own planning
 * core driven with the PlanningInputs it recorded: every plan re-made byte for byte, the ledger
 * re-counted), `loadRun`/`parseRecording` (recording → typed streams; a truncated or corrupt
 * recording is refused), `slotInputs` (what the controller knew at each slot's planning, inferred from receive times for
 * recordings without PlanningInputs, and the what-if planners' inputs), `replan` (the pure
 * re-planner on a ManualClock), `checkPlans` (byte identity, first divergence), `evaluateSlot`
 * (like-for-like predicted metrics), `replayRun`/`formatReplay` (the `uavmec replay` core), and
 * `hashRecording` (semantic hash for "same seed → same recording"), and the byte-level
 * digests of deterministic runs (`recordingSha256`, `tlogSha256`: digest.ts).
 * Dag runs' pool rounds (SPEC §5.3): `replayInputs` (slot and pool inputs in one pass, with
 * `PoolTracker` mirroring the controller's pool bookkeeping), `replanPools` (planPoolSlot with the
 * recorded or a what-if planner), `checkRounds`, `evaluateRound`/`measuredRound`/`poolTotals`.
 * Runs several planning cores planned (sharded controllers, failover's leader tenures):
 * `coreStreams` (PlanningInputs by core_id and leader_epoch), `replayCores` (one core per stream,
 * all plans checked together: cores.ts), `stepEvents` (a step's events in the live core's order).
 */
export { loadRun, parseRecording, refKey, type RunRecording, type RunFolder, type RecordedPlan, type Stamped } from './recording.ts';
export { slotInputs, replayInputs, slotPlans, poolPlans, controllerReceiveTimes, planningInputs, NON_SLOT_PLANNERS, type SlotInputs, type ReplayInputs } from './inputs.ts';
export { PoolTracker, POOL_PLANNER, type PoolRoundInputs } from './pool-inputs.ts';
export { poolTask } from '../controller/pool.ts';
export { replanPools, poolConfigFromSummary, POOL_REPLAY_PLANNERS, RECORDED_POOL_PLANNER, type PoolReplayPlanner, type ReplannedRound } from './pool-replan.ts';
export { evaluateRound, measuredRound, poolTotals, type PoolRoundPredicted, type PoolRoundMeasured } from './pool-evaluate.ts';
export { replan, configFromSummary, coalitionInstance, REPLAY_PLANNERS, OFFLOAD_PLANNERS, COALITION_PLANNERS, type ReplayPlanner, type ReplayConfig, type ReplannedSlot } from './replan.ts';
export { checkPlans, checkRounds, firstFieldDiff, type CheckResult, type Divergence } from './check.ts';
export { evaluateSlot, totalsOf, assignmentUtility, type SlotMetricsPredicted } from './evaluate.ts';
export { replayThroughCore, runCore, stepEvents, type CoreReplay, type CoreReplayStep } from './core-replay.ts';
export { coreStreams, replayCores, OUTSIDE_CORE_PLANNERS, type CoreStream, type CoreSummary, type CoresReplay } from './cores.ts';
export { replayRun, formatReplay, formatDivergence, diverged, isPoolPlanner, type ReplayReport, type PoolReplayReport } from './replay.ts';
export { hashRecording, type RecordingHashes } from './hash.ts';
export { recordingDigest, recordingSha256, tlogDigest, tlogSha256, tlogRecords, withoutHostReadings } from './digest.ts';
