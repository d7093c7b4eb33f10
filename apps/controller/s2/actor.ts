/**
 * The S2 actor on the controller: an ONNX policy trained in the S2 env (TD3 by default; the DDPG and
 * PPO baselines alike), verified as the agents verify theirs (metadata contract, shapes, smoke
 * inference) and run with onnxruntime on each slot's observation. Raw observations in, the actor's
 * physical-unit action out (the planner clips and maps it as the env does).
 */
import fs from 'node:fs';
import { fail, ok, type Result } from '../../../core/result.ts';
import type { PolicyMetadata } from '../../../core/onnx/index.ts';
import { infer, normaliseObs, verifyModel } from '../../agent/policy/index.ts';
import type { Actor } from './plan.ts';

export interface S2Actor {
  file: string;
  sha256: string;
  meta: PolicyMetadata;
  act: Actor;
  release(): Promise<void>;
}

export async function loadS2Actor(file: string): Promise<Result<S2Actor, 'model_missing' | 'model_invalid'>> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(fs.readFileSync(file));
  } catch (e) {
    return fail('model_missing', `${file}: ${(e as Error).message}`);
  }
  const v = await verifyModel(bytes, { env: 's2', actionKind: 'velocity' });
  if (!v.ok) return fail('model_invalid', `${file} is not an S2 actor (${v.reason}${v.detail ? `: ${v.detail}` : ''}); train one with \`uavmec train td3 --env s2 --out ${file}\``);
  const model = v.value;
  if (model.metadata.agent !== 'shared') return fail('model_invalid', `${file} holds the actor of agent '${model.metadata.agent}'; S2 trains one centralised actor ('shared')`);
  return ok({
    file, sha256: model.hash, meta: model.metadata,
    act: async (obs) => Array.from(await infer(model, normaliseObs(model.metadata, obs))),
    release: () => model.session.release(),
  });
}
