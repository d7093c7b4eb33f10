/**
 * What training predicts for a policy mission: the same ONNX actors (onnxruntime, verified as the
 * agents verify them) flown in their training env (SPEC §5.5, `defaultS3Config` + the model's
 * overrides) for the mission's number of slots, through `evaluatePolicy`. Its per-slot DOR and
 * positions are what the SITL flight is compared with (the sim-to-SITL gap). The oracle (straight
 * flight from the same start corners to the best static placement found, then hover;
 * sim/envs/s3-oracle.ts) is flown in the same env on the same task draws: the yardstick for both.
 */
import fs from 'node:fs';
import { fail, ok, type Result } from '../../core/result.ts';
import { S3TrajectoryEnv } from '../../sim/envs/s3-trajectory.ts';
import { s3Oracle } from '../../sim/envs/index.ts';
import { evaluatePolicy } from '../trainer/loop.ts';
import { infer, normaliseObs, verifyModel, type VerifiedModel } from '../agent/policy/index.ts';
import type { PolicyModel } from './policy-model.ts';

export type Vec3 = [number, number, number];

export interface EnvPrediction {
  /** Env seed (the per-slot task draws; the user layout is the model's fixed one). */
  seed: number;
  episodes: number;
  slots: number;
  /** DOR of slot k after the (k+1)-th move, averaged over episodes (`evaluatePolicy`'s per-slot objective). */
  perSlotDor: number[];
  meanDor: number;
  /** UAV positions after k moves (k = 0: the start), first episode; index = UAV id − 1. */
  positions: Vec3[][];
  /** Area / altitude / separation violations per episode (moves the env clipped back into bounds). */
  violations: Record<string, number>;
  /** The oracle in the same env, seed, slots and episodes. */
  oracle: OraclePrediction;
}

export interface OraclePrediction {
  perSlotDor: number[];
  meanDor: number;
  /** Slots until its last UAV reaches the placement. */
  arrivalSlots: number;
  /** DOR per slot of the placement itself (hovering there, the search's scoring slots). */
  placementDorPerSlot: number;
}

export async function predictInEnv(model: PolicyModel, o: { seed: number; slots: number; episodes: number }): Promise<Result<EnvPrediction, 'model_invalid'>> {
  const loaded: VerifiedModel[] = [];
  try {
    const byFile = new Map<string, VerifiedModel>();
    for (const a of model.actors) {
      let m = byFile.get(a.file);
      if (!m) {
        const v = await verifyModel(new Uint8Array(fs.readFileSync(a.file)), { env: 's3', agent: String(a.uavId - 1), actionKind: 'displacement' });
        if (!v.ok) return fail('model_invalid', `${a.file} failed verification: ${v.reason}${v.detail ? ` (${v.detail})` : ''}`);
        m = v.value;
        byFile.set(a.file, m);
        loaded.push(m);
      }
      if (m.hash !== a.sha256) return fail('model_invalid', `${a.file} changed while the mission started (sha256 ${m.hash.slice(0, 12)}, expected ${a.sha256.slice(0, 12)})`);
    }
    const actors = model.actors.map((a) => byFile.get(a.file)!);
    const env = new S3TrajectoryEnv({ ...model.env, horizon: o.slots }, o.seed);
    const positions: Vec3[][] = [];
    const policy = async (obs: number[][]): Promise<number[][]> => {
      if (positions.length < o.slots) positions.push(obs.map((p) => [p[0]!, p[1]!, p[2]!]));
      return Promise.all(obs.map(async (row, k) => Array.from(await infer(actors[k]!, normaliseObs(actors[k]!.metadata, row)))));
    };
    const stats = await evaluatePolicy(env, policy, o.episodes);
    return ok({
      seed: o.seed, episodes: o.episodes, slots: o.slots, perSlotDor: stats.perSlotObjective, meanDor: stats.meanObjective, positions, violations: stats.violations,
      oracle: await predictOracle(model, o),
    });
  } finally {
    for (const m of loaded) await m.session.release();
  }
}

/** The oracle for the model's env (its placement search is the protocol's, seed 1), flown like the actors. */
export async function predictOracle(model: Pick<PolicyModel, 'env'>, o: { seed: number; slots: number; episodes: number }): Promise<OraclePrediction> {
  const { mode: _mode, ...over } = { ...model.env, horizon: o.slots };
  const oracle = s3Oracle('s3', over);
  const stats = await evaluatePolicy(new S3TrajectoryEnv({ ...model.env, horizon: o.slots }, o.seed), oracle.act, o.episodes);
  return { perSlotDor: stats.perSlotObjective, meanDor: stats.meanObjective, arrivalSlots: oracle.arrivalSlots, placementDorPerSlot: oracle.placement.dorPerSlot };
}
