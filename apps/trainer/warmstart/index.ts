/**
 * Generative warm start for the S0 coalition game (SPEC §5.2, S0 §III-A / Fig. 8):
 * - `membershipFeatures(input, candidates)` / `WARMSTART_FEATURES` — per-(request, UAV) features.
 * - `proposeStructure(candidates, p, threshold)` — preliminary structure from membership probabilities.
 * - `warmstartDataset(rng, count)` — labelled (request → stable structure) pairs.
 * - `trainWarmstart`, `predictMembership`, `evaluateWarmstart`, `exportWarmstart` — the model.
 */
export { membershipFeatures, proposeStructure, WARMSTART_FEATURES } from './features.ts';
export { warmstartDataset, type WarmstartSample } from './dataset.ts';
export { trainWarmstart, predictMembership, evaluateWarmstart, exportWarmstart, type WarmstartModel, type WarmstartEval, type WarmstartTrainOptions } from './model.ts';
