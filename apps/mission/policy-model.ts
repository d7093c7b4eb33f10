/**
 * The trained trajectory policy a mission flies: S3 MADDPG actors, one ONNX file per UAV
 * (`<base>.uav<k>.onnx`, `uavmec.agent` = k; or one `<base>.onnx` with agent 'shared'), read at run
 * time — their sha256 (what plans name), their metadata (docs/training.md contract) and the env
 * they were trained in: `defaultS3Config` + `uavmec.training.envOverrides` (SPEC §5.5). Anything
 * that is not such a model is an error that says what to do.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fail, ok, type Result } from '../../core/result.ts';
import { decodePolicyMetadata, envHash, tryReadOnnxMetadata, type PolicyMetadata } from '../../core/onnx/index.ts';
import { defaultS3Config, S3TrajectoryEnv, type S3EnvConfig } from '../../sim/envs/s3-trajectory.ts';
import { sha256Hex } from '../agent/policy/index.ts';

export const DEFAULT_POLICY_MODEL = 'models/s3-maddpg';

export interface PolicyActorFile {
  /** UAV id (1-based) that flies this actor: UAV k + 1 ← `<base>.uav<k>.onnx`. */
  uavId: number;
  agent: string;
  file: string;
  sha256: string;
}

export interface PolicyModel {
  /** Base path (`models/s3-maddpg`). */
  base: string;
  /** The directory the agents load actors from by sha256. */
  dir: string;
  actors: PolicyActorFile[];
  /** Metadata of the first actor (algo, specs, training; the others agree on env and env hash). */
  meta: PolicyMetadata;
  envOverrides: Record<string, unknown>;
  /** The training environment: `defaultS3Config(envOverrides)` in 3D mode. */
  env: S3EnvConfig;
  /** `uavmec.env_hash` recorded at training, and that of `env` as the code builds it today. */
  envHash: { trained: string; now: string; matches: boolean };
}

export type PolicyModelError = 'model_missing' | 'model_invalid' | 'unsupported_env';

const TRAIN_HINT = (base: string) => `train one with \`uavmec train maddpg --env s3 --out ${base}.onnx\`, or pass --model <base> of S3 actors (default ${DEFAULT_POLICY_MODEL})`;

/** `models/x`, `models/x.onnx` and `models/x.uav0.onnx` all name the model `models/x`. */
export function policyModelBase(model: string): string {
  return model.replace(/\.onnx$/, '').replace(/\.uav\d+$/, '');
}

function actorFiles(base: string): string[] {
  const files: string[] = [];
  for (let k = 0; fs.existsSync(`${base}.uav${k}.onnx`); k++) files.push(`${base}.uav${k}.onnx`);
  if (files.length === 0 && fs.existsSync(`${base}.onnx`)) files.push(`${base}.onnx`);
  return files;
}

export function loadPolicyModel(model: string): Result<PolicyModel, PolicyModelError> {
  const base = policyModelBase(model);
  const files = actorFiles(base);
  if (files.length === 0) return fail('model_missing', `no policy model at ${base}.uav0.onnx … (nor ${base}.onnx): ${TRAIN_HINT(base)}`);
  const read: { file: string; sha256: string; meta: PolicyMetadata }[] = [];
  for (const file of files) {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch (e) {
      return fail('model_missing', `${file}: ${(e as Error).message}`);
    }
    const info = tryReadOnnxMetadata(bytes);
    if (!info.ok) return fail('model_invalid', `${file} is not an ONNX model (${info.detail ?? info.reason}): ${TRAIN_HINT(base)}`);
    const md = decodePolicyMetadata(info.value.metadata);
    if (!md.ok) return fail('model_invalid', `${file} has no valid uavmec policy metadata (${md.reason}: ${md.detail ?? ''}): ${TRAIN_HINT(base)}`);
    read.push({ file, sha256: sha256Hex(bytes), meta: md.value });
  }
  const meta = read[0]!.meta;
  for (const r of read) {
    if (r.meta.env !== 's3') return fail('unsupported_env', `${r.file} was trained for env '${r.meta.env}', not the S3 trajectory env ('s3') a policy mission flies: ${TRAIN_HINT(base)}`);
    if (r.meta.actionSpec.kind !== 'displacement' || r.meta.obsSpec.names.join(',') !== 'x,y,z') {
      return fail('unsupported_env', `${r.file}: an S3 trajectory actor observes [x, y, z] and outputs a displacement; this one observes [${r.meta.obsSpec.names.join(', ')}] and outputs a ${r.meta.actionSpec.kind}`);
    }
    if (r.meta.envHash !== meta.envHash) return fail('model_invalid', `${r.file} was trained in another env (env_hash ${r.meta.envHash}) than ${read[0]!.file} (${meta.envHash}): the files are not one model`);
  }
  const shared = read.length === 1 && meta.agent === 'shared';
  if (!shared) {
    if (read.length !== meta.numAgents) return fail('model_invalid', `found ${read.length} actor files for a ${meta.numAgents}-agent model (${base}.uav0.onnx … uav${meta.numAgents - 1}.onnx)`);
    const wrong = read.find((r, k) => r.meta.agent !== String(k));
    if (wrong) return fail('model_invalid', `${wrong.file} holds the actor of agent '${wrong.meta.agent}'`);
  }
  const overrides = (meta.training as { envOverrides?: unknown }).envOverrides ?? {};
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) return fail('model_invalid', `${read[0]!.file}: uavmec.training.envOverrides is not a JSON object`);
  const envOverrides = overrides as Record<string, unknown>;
  let env: S3EnvConfig;
  let nowHash: string;
  try {
    env = defaultS3Config({ ...(envOverrides as Partial<S3EnvConfig>), mode: '3d' });
    nowHash = envHash(new S3TrajectoryEnv(env, 0).spec.config);
  } catch (e) {
    return fail('model_invalid', `the model's env overrides do not make an S3 env: ${(e as Error).message}`);
  }
  if (env.uavs !== meta.numAgents) return fail('model_invalid', `the env has ${env.uavs} UAVs, the model ${meta.numAgents} agents`);
  const actors: PolicyActorFile[] = Array.from({ length: env.uavs }, (_, k) => {
    const r = read[shared ? 0 : k]!;
    return { uavId: k + 1, agent: r.meta.agent, file: r.file, sha256: r.sha256 };
  });
  return ok({
    base, dir: path.dirname(path.resolve(files[0]!)), actors, meta, envOverrides, env,
    envHash: { trained: meta.envHash, now: nowHash, matches: nowHash === meta.envHash },
  });
}
