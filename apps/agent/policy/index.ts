/**
 * Policy runner of the on-UAV agent: ONNX actors (core/onnx metadata contract) → desired setpoints.
 * - `new PolicyRunner({ slotS, expect? })`; `load(bytes) → Result<{hash, active}>` (verified; last
 *   good model kept on failure); `step(rawObs) → Result<{ desired, action, modelHash, reasons }>`;
 *   `activeHash()`, `metadata()`, `events`, `close()`.
 * - `ModelDirectory(dir)`: models by sha256 (`read(hash)`, `hashes()`); `policyObservation(names, own)`.
 * - `verifyModel(bytes, expect?)`, `sha256Hex(bytes)`, `normaliseObs(meta, raw)`, `infer(model, obs)`.
 */
export { PolicyRunner, type PolicyRunnerOptions, type PolicyStep, type RunFailure, type LoadOutcome } from './runner.ts';
export { verifyModel, sha256Hex, normaliseObs, infer, type VerifiedModel, type VerifyFailure, type PolicyExpectation } from './verify.ts';
export { ModelDirectory, policyObservation } from './models.ts';
