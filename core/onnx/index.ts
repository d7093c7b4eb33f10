/**
 * ONNX for uavmec policies (shared by the trainer and the on-UAV agent):
 * - `exportMlp(opts) → Uint8Array` — write an MLP (Gemm|MatMul+Add, Relu, Tanh, Mul/Add scaling).
 * - `readOnnxMetadata(bytes) → OnnxInfo` (throws `OnnxFormatError`) / `tryReadOnnxMetadata → Result`.
 * - `PolicyMetadata`, `encodePolicyMetadata`, `decodePolicyMetadata`, `envHash` — the metadata contract.
 * - `MlpLayer`, `mlpForward` — the MLP description and a reference forward pass.
 */
export { exportMlp, type ExportMlpOptions } from './export.ts';
export { readOnnxMetadata, tryReadOnnxMetadata, OnnxFormatError, type OnnxInfo, type OnnxTensorInfo } from './read.ts';
export {
  encodePolicyMetadata, decodePolicyMetadata, canonicalJson, envHash, POLICY_KEYS, POLICY_CONTRACT_VERSION,
  type PolicyMetadata, type PolicyMetadataError, type ObsSpec, type ActionSpec, type ObsNorm,
} from './policy-metadata.ts';
export { mlpForward, validateMlp, MlpShapeError, type MlpLayer, type MlpAffine, type Activation } from './mlp.ts';
