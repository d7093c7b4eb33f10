/**
 * Policy training (TensorFlow.js) and ONNX export.
 * - `initBackend(log, prefer?)` → `{ tf, name }` — tfjs-node if present, else wasm, else cpu; logs which.
 * - `trainPolicy(req)` → `{ files, report, curve }` — one run end to end (resume, checkpoints, export).
 * - `runTraining(opts)`, `evaluatePolicy(env, policy, episodes)` — the loop and greedy evaluation.
 * - `createLearner(algo, tf, spec, rng, overrides)` — maddpg | cejomu | td3 | ddpg | ppo | d3qn.
 * - `buildPolicyFiles(actors, spec, algo, training, commit)` — ONNX bytes with the metadata contract.
 * - `Mlp`, `ReplayBuffer`, `obsAffine`/`actAffine` — building blocks; `lineChartSvg` — report plot.
 * - Warm start for the S0 coalition game: `membershipFeatures`, `proposeStructure`, `trainWarmstart`, … (warmstart/).
 */
export { initBackend, type Backend, type Tf } from './backend.ts';
export { trainPolicy, resolveEnv, envRewardScale, type TrainRequest, type TrainReport, type TrainOutcome, type Checkpoint, type ModelSelection, type SelectedPolicy } from './session.ts';
export { runTraining, evaluatePolicy, rolloutObjective, type EpisodeStats, type EvalStats, type LoopOptions } from './loop.ts';
export { createLearner, algoConfig, ALGOS, type AlgoName, type Learner, type ExportedActor } from './algos/index.ts';
export { buildPolicyFiles, policyFileSuffix, type PolicyFile } from './export.ts';
export { Mlp, type SerializedMlp } from './nets.ts';
export { ReplayBuffer, type Batch } from './replay.ts';
export { obsAffine, actAffine, applyAffine, type Affine } from './scaling.ts';
export { lineChartSvg, movingAverage, type Series } from './report/index.ts';
export { membershipFeatures, proposeStructure, warmstartDataset, trainWarmstart, predictMembership, evaluateWarmstart, exportWarmstart, WARMSTART_FEATURES, type WarmstartModel, type WarmstartEval, type WarmstartSample } from './warmstart/index.ts';
export { S3_PROTOCOL, episodesFor, s3Selection, validationSeed } from './protocol.ts';
