/**
 * Verification of a candidate policy model before the agent flies it: it must be an ONNX file
 * (core/onnx `readOnnxMetadata`), carry valid uavmec metadata (`decodePolicyMetadata`), have one
 * float32 input [batch, obs] and one float32 output [batch, actions] matching that metadata,
 * optionally match what the agent expects (env, agent id, action kind), load in onnxruntime, and
 * give finite outputs of the right length on smoke observations (low, mid, high of obs_spec).
 */
import { createHash } from 'node:crypto';
import * as ort from 'onnxruntime-node';
import { fail, ok, type Result } from '../../../core/result.ts';
import { decodePolicyMetadata, readOnnxMetadata, OnnxFormatError, type OnnxTensorInfo, type PolicyMetadata } from '../../../core/onnx/index.ts';

export type VerifyFailure = 'onnx_invalid' | 'metadata_missing' | 'metadata_invalid' | 'shape_mismatch' | 'unexpected_model' | 'session_failed' | 'smoke_failed';

export interface PolicyExpectation {
  env?: string;
  /** Agent id this UAV runs as ('0', '1', …); a 'shared' actor is accepted for any agent. */
  agent?: string;
  actionKind?: PolicyMetadata['actionSpec']['kind'];
}

export interface VerifiedModel {
  /** sha256 of the file bytes, hex: the model's identity. */
  hash: string;
  metadata: PolicyMetadata;
  session: ort.InferenceSession;
  inputName: string;
  outputName: string;
  obsLen: number;
  actLen: number;
}

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

const FLOAT = 1;

function dimOk(d: number | string | null, want: number): boolean {
  return d === want;
}
function batchOk(d: number | string | null | undefined): boolean {
  return d === 1 || typeof d === 'string' || d === null;
}
function tensorOk(t: OnnxTensorInfo, width: number): boolean {
  return t.elemType === FLOAT && t.shape.length === 2 && batchOk(t.shape[0]) && dimOk(t.shape[1]!, width);
}

/** Runs one observation through a session; returns the flat output. */
export async function infer(m: Pick<VerifiedModel, 'session' | 'inputName' | 'outputName' | 'obsLen'>, obs: Float32Array): Promise<Float32Array> {
  const out = await m.session.run({ [m.inputName]: new ort.Tensor('float32', obs, [1, m.obsLen]) });
  const t = out[m.outputName];
  if (!t || !(t.data instanceof Float32Array)) throw new Error(`output ${m.outputName} missing or not float32`);
  return t.data;
}

export async function verifyModel(bytes: Uint8Array, expect: PolicyExpectation = {}): Promise<Result<VerifiedModel, VerifyFailure>> {
  const hash = sha256Hex(bytes);
  let info;
  try {
    info = readOnnxMetadata(bytes);
  } catch (e) {
    if (e instanceof OnnxFormatError) return fail('onnx_invalid', e.message);
    throw e;
  }
  const md = decodePolicyMetadata(info.metadata);
  if (!md.ok) return fail(md.reason, md.detail);
  const meta = md.value;
  const obsLen = meta.obsSpec.names.length;
  const actLen = meta.actionSpec.names.length;
  if (info.inputs.length !== 1 || info.outputs.length !== 1) return fail('shape_mismatch', `expected 1 input and 1 output, got ${info.inputs.length} and ${info.outputs.length}`);
  const input = info.inputs[0]!;
  const output = info.outputs[0]!;
  if (!tensorOk(input, obsLen)) return fail('shape_mismatch', `input ${input.name} is [${input.shape.join(', ')}] (type ${input.elemType}); obs_spec needs float32 [batch, ${obsLen}]`);
  if (!tensorOk(output, actLen)) return fail('shape_mismatch', `output ${output.name} is [${output.shape.join(', ')}] (type ${output.elemType}); action_spec needs float32 [batch, ${actLen}]`);
  if (expect.env !== undefined && meta.env !== expect.env) return fail('unexpected_model', `trained for env '${meta.env}', this agent runs '${expect.env}'`);
  if (expect.agent !== undefined && meta.agent !== 'shared' && meta.agent !== expect.agent) return fail('unexpected_model', `actor of agent '${meta.agent}', this UAV is agent '${expect.agent}'`);
  if (expect.actionKind !== undefined && meta.actionSpec.kind !== expect.actionKind) return fail('unexpected_model', `action kind '${meta.actionSpec.kind}', expected '${expect.actionKind}'`);
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
  } catch (e) {
    return fail('session_failed', (e as Error).message);
  }
  const model: VerifiedModel = { hash, metadata: meta, session, inputName: input.name, outputName: output.name, obsLen, actLen };
  // Smoke inference at the corners and centre of the observation box; raw obs are normalised here
  // when the graph does not do it itself.
  const { low, high } = meta.obsSpec;
  const probes = [low, high, low.map((l, i) => (l + high[i]!) / 2)];
  try {
    for (const raw of probes) {
      const y = await infer(model, normaliseObs(meta, raw));
      if (y.length !== actLen) throw new Error(`output has ${y.length} values, expected ${actLen}`);
      if (!y.every(Number.isFinite)) throw new Error(`non-finite output [${Array.from(y).join(', ')}] for obs [${raw.join(', ')}]`);
    }
  } catch (e) {
    await session.release();
    return fail('smoke_failed', (e as Error).message);
  }
  return ok(model);
}

/** Raw observation → what the graph input expects (applies obs_norm unless the graph does). */
export function normaliseObs(meta: PolicyMetadata, raw: ArrayLike<number>): Float32Array {
  const n = meta.obsNorm;
  return Float32Array.from({ length: raw.length }, (_, i) => (n.inGraph ? raw[i]! : raw[i]! * n.scale[i]! + n.offset[i]!));
}
