/**
 * The generative warm start in the controller (SPEC §5.2 "Generative warm start", S0 §III-A,
 * Fig. 8): the ONNX membership model (`models/coalition-warmstart.onnx`, trained by
 * apps/trainer/warmstart) run with onnxruntime. For each MED request, the features of every
 * serving UAV (`membershipFeatures`) go through the model in one batch; the UAVs with probability
 * ≥ 0.5 form the preliminary serving coalition, the rest start as singletons (`proposeStructure`).
 *
 * [choice] Features are computed over all serving UAVs, whereas the planner serves MEDs one after
 * another (earliest deadline first) from the UAVs still free; the planner drops proposed UAVs that
 * an earlier MED took (planCoalitions keeps only free candidates of a warm start). The proposal is
 * an input of the slot (published with its planning inputs), so replay needs no model.
 */
import fs from 'node:fs';
import * as ort from 'onnxruntime-node';
import { fail, ok, type Result } from '../../../core/result.ts';
import { tryReadOnnxMetadata } from '../../../core/onnx/index.ts';
import { efficiencies, membershipFeatures, proposeStructure, WARMSTART_FEATURES } from '../../../engines/planning/coalition/index.ts';
import { coalitionInstance } from './plan.ts';
import type { S0MedRequest, S0SlotInput } from './types.ts';

export class WarmStartModel {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly inputName: string,
    private readonly outputName: string,
    readonly file: string,
  ) {}

  /** Loads and checks the model: one float input [batch, 9 features], metadata naming the same features. */
  static async load(file: string): Promise<Result<WarmStartModel, 'unreadable' | 'not_warmstart' | 'session_failed'>> {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch (e) {
      return fail('unreadable', `${file}: ${(e as Error).message}`);
    }
    const info = tryReadOnnxMetadata(bytes);
    if (!info.ok) return fail('not_warmstart', `${file}: ${info.detail ?? info.reason}`);
    const md = info.value.metadata;
    if (md['uavmec.algo'] !== 'warmstart-membership') return fail('not_warmstart', `${file} is not a coalition warm-start model (uavmec.algo = ${md['uavmec.algo'] ?? 'none'})`);
    if (md['uavmec.warmstart.features'] !== JSON.stringify(WARMSTART_FEATURES)) return fail('not_warmstart', `${file} was trained on other features than this controller computes`);
    const input = info.value.inputs[0];
    const output = info.value.outputs[0];
    if (!input || !output) return fail('not_warmstart', `${file} has no input or output`);
    try {
      const session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1 });
      return ok(new WarmStartModel(session, input.name, output.name, file));
    } catch (e) {
      return fail('session_failed', `${file}: ${(e as Error).message}`);
    }
  }

  /** The proposed structure per task id (groups of UAV ids), for the slot's requests and serving UAVs. */
  async propose(inp: Pick<S0SlotInput, 'uavs' | 'meds' | 'params'>): Promise<Map<number, number[][]>> {
    const out = new Map<number, number[][]>();
    if (inp.uavs.length === 0 || inp.meds.length === 0) return out;
    const inst = coalitionInstance(inp);
    const eff = efficiencies(inst);
    const cand = inst.uavs.map((_, j) => j);
    const rows = inst.meds.map((med, i) => membershipFeatures({ med, uavs: inst.uavs, eff: eff[i]!, params: inst.params }, cand));
    const flat = Float32Array.from(rows.flat(2));
    const res = await this.session.run({ [this.inputName]: new ort.Tensor('float32', flat, [flat.length / WARMSTART_FEATURES.length, WARMSTART_FEATURES.length]) });
    const p = res[this.outputName]!.data as Float32Array;
    inp.meds.forEach((m: S0MedRequest, i) => {
      const probs = p.subarray(i * cand.length, (i + 1) * cand.length);
      const groups = proposeStructure(cand, probs).filter((g) => g.length > 1);
      out.set(m.taskId, groups.map((g) => g.map((j) => inp.uavs[j]!.id)));
    });
    return out;
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
