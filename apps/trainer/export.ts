/**
 * Turns a trained learner's actors into ONNX files carrying the policy metadata contract
 * (core/onnx/policy-metadata.ts). Multi-agent actors become one file per agent
 * (`<base>.uav<k>.onnx`, `uavmec.agent = k`); a single-agent actor is `<base>.onnx` ('shared').
 */
import { encodePolicyMetadata, envHash, exportMlp, type PolicyMetadata } from '../../core/onnx/index.ts';
import type { EnvSpec } from '../../sim/envs/index.ts';
import type { ExportedActor } from './algos/index.ts';

export interface PolicyFile { agent: string; suffix: string; bytes: Uint8Array }

export function policyFileSuffix(agent: string): string {
  return agent === 'shared' ? '.onnx' : `.uav${agent}.onnx`;
}

export function buildPolicyFiles(actors: ExportedActor[], spec: EnvSpec, algo: string, training: Record<string, unknown>, gitCommit: string): PolicyFile[] {
  const s = spec.space;
  return actors.map((a) => {
    const meta: PolicyMetadata = {
      algo, env: spec.id,
      obsSpec: { names: s.obsNames, low: s.obsLow, high: s.obsHigh },
      actionSpec: { kind: spec.actionKind, units: spec.actionUnits, names: s.actNames, low: s.actLow, high: s.actHigh, motion: spec.motion },
      obsNorm: { scale: a.inputScale, offset: a.inputOffset, inGraph: true },
      training, gitCommit, envHash: envHash(spec.config), agent: a.agent, numAgents: spec.nAgents,
    };
    const bytes = exportMlp({
      layers: a.layers, inputName: 'obs', outputName: 'action', opset: 13, irVersion: 8,
      inputScale: a.inputScale, inputOffset: a.inputOffset, outputScale: a.outputScale, outputOffset: a.outputOffset,
      metadata: encodePolicyMetadata(meta), docString: `uavmec ${algo} actor for ${spec.id}, agent ${a.agent}`,
    });
    return { agent: a.agent, suffix: policyFileSuffix(a.agent), bytes };
  });
}
