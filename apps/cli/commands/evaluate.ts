/**
 * `uavmec evaluate` — runs a trained ONNX policy (onnxruntime-node) or a baseline trajectory in an
 * environment and prints mean reward and objective (S3: DOR per slot) as JSON.
 */
import { existsSync, readFileSync } from 'node:fs';
import { UsageError, type Command } from '../command.ts';
import { int, oneOf, parse } from '../args.ts';
import { createRng } from '../../../core/rng.ts';
import { decodePolicyMetadata, envHash, readOnnxMetadata, type PolicyMetadata } from '../../../core/onnx/index.ts';
import { ENV_IDS, makeEnv, s3Oracle, type EnvId } from '../../../sim/envs/index.ts';
import { evaluatePolicy, type EvalStats } from '../../trainer/loop.ts';
import { policyFileSuffix } from '../../trainer/export.ts';

const help = `Usage: uavmec evaluate [options]

Evaluates a policy for N episodes and prints JSON: mean episode reward, mean objective per slot
(S3: DOR after CD+KKT; S2: revenue Q), the objective over the second half of each episode,
mean violations per episode, and (with --per-slot) the per-slot objective curve.

On S3 it also flies the oracle on the same env and task draws (straight flight from the start
corners to the best static placement found, then hover; sim/envs/s3-oracle.ts) and reports the
policy's DOR as a fraction of it, over all slots and over the slots after slot 50.

Options:
  --model <file.onnx>   trained model; for multi-agent models pass the base name
                        (models/s3-maddpg.onnx loads models/s3-maddpg.uav<k>.onnx)
  --policy <p>          onnx | rt (random trajectory) | hover (stay at the start) |
                        oracle (fly to the best static placement, hover) (default onnx)
  --env <id>            s3 | s3-2d | s2 (default: the model's env; required without --model)
  --episodes <n>        evaluation episodes (default 10)
  --seed <n>            environment seed (default 12345; the fixed user layout comes from the
                        training config, so only the per-slot tasks change)
  --planner <p>         S3 offloading planner for the reward: cd-kkt | ao | al (default: as trained)
  --users <n>           S3 users (default: as trained)
  --slots <n>           slots per episode (default: the training episode length; S3 reports 500)
  --no-oracle           S3: skip the oracle reference (it searches ≈ 8 000 hover slots first)
  --per-slot            include the per-slot objective averaged over episodes

Example:
  uavmec evaluate --model models/s3-maddpg.onnx --episodes 1 --slots 500
  uavmec evaluate --policy oracle --env s3 --users 30 --slots 500 --episodes 1
  uavmec evaluate --policy rt --env s3 --episodes 10 --planner ao`;

interface LoadedPolicy { meta: PolicyMetadata; run: (obs: number[][]) => Promise<number[][]> }

async function loadPolicy(model: string): Promise<LoadedPolicy> {
  const ort = await import('onnxruntime-node');
  const base = model.endsWith('.onnx') ? model.slice(0, -'.onnx'.length) : model;
  const paths: string[] = [];
  if (existsSync(model)) paths.push(model);
  else for (let k = 0; existsSync(`${base}${policyFileSuffix(String(k))}`); k++) paths.push(`${base}${policyFileSuffix(String(k))}`);
  if (paths.length === 0) throw new UsageError(`no model at ${model} (nor ${base}.uav0.onnx …)`);
  const metas = paths.map((p) => {
    const m = decodePolicyMetadata(readOnnxMetadata(readFileSync(p)).metadata);
    if (!m.ok) throw new UsageError(`${p}: ${m.reason} ${m.detail ?? ''}`);
    return m.value;
  });
  const meta = metas[0]!;
  if (meta.agent !== 'shared' && paths.length !== meta.numAgents) throw new UsageError(`found ${paths.length} actor files, model has ${meta.numAgents} agents`);
  const sessions = await Promise.all(paths.map((p) => ort.InferenceSession.create(readFileSync(p))));
  const width = meta.obsSpec.names.length;
  const run = async (obs: number[][]): Promise<number[][]> => {
    if (sessions.length === 1) {
      const x = new ort.Tensor('float32', Float32Array.from(obs.flat()), [obs.length, width]);
      const y = (await sessions[0]!.run({ obs: x })).action!.data as Float32Array;
      const a = meta.actionSpec.names.length;
      return obs.map((_, i) => Array.from(y.subarray(i * a, (i + 1) * a)));
    }
    return Promise.all(obs.map(async (row, i) => Array.from((await sessions[i]!.run({ obs: new ort.Tensor('float32', Float32Array.from(row), [1, width]) })).action!.data as Float32Array)));
  };
  return { meta, run };
}

/** Slots after which the UAVs have arrived (S3 Fig. 6: the oracle lands by slot 26–35): 51… */
export const LATE_FROM_SLOT = 51;

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/** Overall DOR (sum over the episode's slots) and the mean DOR per slot from slot 51 on. */
export function windowDor(st: EvalStats): { totalDor: number; meanDorFromSlot51: number | null } {
  const late = st.perSlotObjective.slice(LATE_FROM_SLOT - 1);
  return { totalDor: sum(st.perSlotObjective), meanDorFromSlot51: late.length ? sum(late) / late.length : null };
}

function oracleReport(o: ReturnType<typeof s3Oracle>, st: EvalStats, ref: EvalStats) {
  const mine = windowDor(st), theirs = windowDor(ref);
  return {
    placementDorPerSlot: o.placement.dorPerSlot, targets: o.targets, arrivalSlots: o.arrivalSlots, search: { samples: o.placement.samples, seed: o.placement.seed },
    totalDor: theirs.totalDor, meanDor: ref.meanObjective, meanDorFromSlot51: theirs.meanDorFromSlot51,
    fraction: theirs.totalDor > 0 ? mine.totalDor / theirs.totalDor : null,
    fractionFromSlot51: mine.meanDorFromSlot51 !== null && theirs.meanDorFromSlot51 ? mine.meanDorFromSlot51 / theirs.meanDorFromSlot51 : null,
  };
}

/** The evaluation env with the training episode length: `--slots` alone is not an env change. */
function trainedHorizonEnv(envId: EnvId, seed: number, overrides: Record<string, unknown>, trained: Record<string, unknown>) {
  const o = { ...overrides };
  delete o.horizon;
  if (trained.horizon !== undefined) o.horizon = trained.horizon;
  return makeEnv(envId, seed, o);
}

const command: Command = {
  name: 'evaluate',
  summary: 'evaluate an ONNX policy or a baseline trajectory; prints mean reward/DOR as JSON',
  help,
  async run(argv) {
    const { values } = parse(argv, {
      model: { type: 'string' }, policy: { type: 'string' }, env: { type: 'string' }, episodes: { type: 'string' },
      seed: { type: 'string' }, planner: { type: 'string' }, users: { type: 'string' }, slots: { type: 'string' }, 'per-slot': { type: 'boolean' },
      'no-oracle': { type: 'boolean' },
    });
    const policyKind = oneOf(values.policy, 'policy', ['onnx', 'rt', 'hover', 'oracle'] as const, 'onnx');
    const episodes = int(values.episodes, 'episodes', 10, 1, 100_000);
    const seed = int(values.seed, 'seed', 12345, 0, 2 ** 31 - 1);
    let loaded: LoadedPolicy | undefined;
    if (policyKind === 'onnx') {
      if (values.model === undefined) throw new UsageError('--model is required with --policy onnx');
      loaded = await loadPolicy(String(values.model));
    }
    const trainedEnv = loaded?.meta.env as EnvId | undefined;
    const envId = oneOf(values.env, 'env', ENV_IDS, trainedEnv ?? ('' as EnvId));
    if (!envId) throw new UsageError('--env is required without --model');
    const trainedOverrides = ((loaded?.meta.training as { envOverrides?: Record<string, unknown> } | undefined)?.envOverrides) ?? {};
    const overrides: Record<string, unknown> = { ...trainedOverrides };
    if (values.planner !== undefined) overrides.planner = oneOf(values.planner, 'planner', ['cd-kkt', 'ao', 'al'] as const, 'cd-kkt');
    if (values.users !== undefined) overrides.users = int(values.users, 'users', 10, 1, 1000);
    if (values.slots !== undefined) overrides.horizon = int(values.slots, 'slots', 50, 1, 1_000_000);
    const isS3 = envId.startsWith('s3');
    if (policyKind === 'oracle' && !isS3) throw new UsageError('--policy oracle needs an S3 env (--env s3 or s3-2d)');
    const env = makeEnv(envId, seed, overrides);
    const notes: string[] = [];
    if (loaded && envHash(trainedHorizonEnv(envId, seed, overrides, trainedOverrides).spec.config) !== loaded.meta.envHash) notes.push('environment differs from the training environment (env_hash mismatch)');
    const rng = createRng(seed ^ 0x5bd1e995);
    const s = env.spec.space;
    // The oracle's placement search is seeded by the protocol, not by --seed: the same reference
    // for every evaluation seed (its flight still meets this seed's task draws).
    const oracle = isS3 && (policyKind === 'oracle' || values['no-oracle'] !== true) ? s3Oracle(envId, overrides) : undefined;
    const policy = loaded
      ? loaded.run
      : policyKind === 'oracle'
        ? oracle!.act
        : policyKind === 'rt'
          ? (obs: number[][]) => obs.map(() => s.actLow.map((lo, d) => rng.uniform(lo, s.actHigh[d]!)))
          : (obs: number[][]) => obs.map(() => s.actLow.map(() => 0));
    const stats = await evaluatePolicy(env, policy, episodes);
    const ref = oracle ? (policyKind === 'oracle' ? stats : await evaluatePolicy(makeEnv(envId, seed, overrides), oracle.act, episodes)) : undefined;
    const out = {
      model: values.model ?? null, policy: policyKind, env: envId, episodes, seed, slots: env.spec.horizon,
      meanReward: stats.meanReward, meanObjective: stats.meanObjective, ...(isS3 ? { meanDor: stats.meanObjective, ...windowDor(stats) } : {}),
      meanObjectiveSecondHalf: stats.meanObjectiveSecondHalf, meanPenalty: stats.meanPenalty, violations: stats.violations,
      ...(oracle && ref ? { oracle: oracleReport(oracle, stats, ref) } : {}),
      ...(values['per-slot'] ? { perSlotObjective: stats.perSlotObjective } : {}), notes,
    };
    console.log(JSON.stringify(out));
    return 0;
  },
};

export default command;
