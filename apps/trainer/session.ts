/**
 * One training run end to end: backend, environment(s), learner, optional resume from a
 * checkpoint, the loop, a greedy evaluation, ONNX export and the report. File writes are left to
 * the caller (the CLI) through the returned bytes and the `onCheckpoint` callback.
 */
import { createRng } from '../../core/rng.ts';
import { envHash } from '../../core/onnx/index.ts';
import { makeEnv, type EnvId } from '../../sim/envs/index.ts';
import { algoConfig, createLearner, type AlgoName } from './algos/index.ts';
import { initBackend } from './backend.ts';
import { buildPolicyFiles, type PolicyFile } from './export.ts';
import { evaluatePolicy, rolloutObjective, runTraining, type EpisodeStats, type EvalStats } from './loop.ts';

/**
 * Model selection (the S3 protocol, docs/training.md): every `everyEpisodes` training episodes
 * the greedy policy flies one validation episode of `slots` slots on a held-out environment seed
 * `envSeed` (other task draws than training's and the figures'); the policy with the highest
 * validation objective is the run's result (export, evaluation, experiments).
 */
export interface ModelSelection { everyEpisodes: number; slots: number; envSeed: number }

/** The selected policy: after `episode` episodes, validation objective summed over its slots. */
export interface SelectedPolicy { episode: number; total: number; learner: unknown }

export interface Checkpoint {
  version: 1;
  algo: AlgoName;
  env: EnvId;
  seed: number;
  envOverrides: Record<string, unknown>;
  algoOverrides: Record<string, unknown>;
  copies: number;
  episode: number;
  curve: EpisodeStats[];
  learner: unknown;
  /** Wall time spent training this run so far, s, summed over resumes (absent in older checkpoints). */
  wallTimeS?: number;
  /** CPU time of the training process so far, s, summed over resumes (absent when not measured). */
  cpuTimeS?: number;
  /** Model selection, when the run used it: its settings, every validation score, the best policy. */
  select?: ModelSelection;
  validation?: { episode: number; total: number }[];
  best?: SelectedPolicy;
}

export interface TrainRequest {
  algo: AlgoName;
  env: EnvId;
  episodes: number;
  seed: number;
  envOverrides?: Record<string, unknown>;
  algoOverrides?: Record<string, unknown>;
  /** Independent environment copies stepped together (default 1). */
  copies?: number;
  resume?: Checkpoint;
  checkpointEvery?: number;
  onCheckpoint?: (c: Checkpoint) => void;
  onEpisode?: (s: EpisodeStats) => void;
  evalEpisodes?: number;
  gitCommit?: string;
  backend?: 'wasm' | 'cpu';
  log?: (line: string) => void;
  /** Wall-clock reader for the report (the shell passes performance.now). */
  nowMs?: () => number;
  /** CPU-time reader of this process, ms (the shell passes process.cpuUsage); load does not bend it. */
  cpuMs?: () => number;
  /** Keep the best policy on a validation rollout (a resumed run keeps its checkpoint's setting). */
  select?: ModelSelection;
}

export interface TrainReport {
  algo: AlgoName;
  env: string;
  seed: number;
  episodes: number;
  backend: string;
  /** Wall time of this invocation (training, evaluation, export), s. */
  wallTimeS: number;
  /** Training wall time of the whole run, s: the checkpoint's earlier time plus this invocation's (null when a resumed checkpoint did not record it). */
  trainingWallTimeS: number | null;
  /** CPU time of the training process for the whole run, s (null when a part of it was not measured). */
  trainingCpuTimeS: number | null;
  envSteps: number;
  envHash: string;
  gitCommit: string;
  config: { env: Record<string, unknown>; algo: unknown; copies: number };
  final: { last10MeanReward: number; last10MeanObjective: number; eval: EvalStats };
  /** The selected policy (model selection on): after which episode, its validation objective. */
  selected?: { episode: number; validationTotal: number; validationSlots: number; validationSeed: number };
  policyAgents: string[];
}

export interface TrainOutcome { files: PolicyFile[]; report: TrainReport; curve: EpisodeStats[] }

/** CEJOMU is MADDPG on the fixed-altitude variant (SPEC §5.5). */
export function resolveEnv(algo: AlgoName, env: EnvId): EnvId {
  return algo === 'cejomu' && env === 's3' ? 's3-2d' : env;
}

/**
 * [choice] Reward scale for the critics per environment, unless overridden: S2's Q is O(100) per
 * slot (0.01); S3's DOR is O(10) per slot, so Q-values are O(100) at γ 0.95 (0.1).
 */
export function envRewardScale(env: EnvId): { rewardScale: number } {
  return { rewardScale: env === 's2' ? 0.01 : 0.1 };
}

export async function trainPolicy(req: TrainRequest): Promise<TrainOutcome> {
  const log = req.log ?? ((l: string) => console.error(l));
  const now = req.nowMs ?? (() => 0);
  const t0 = now();
  const { tf, name: backend } = await initBackend(log, req.backend);
  const r = req.resume;
  const algo = r?.algo ?? req.algo;
  const envId = resolveEnv(algo, r?.env ?? req.env);
  const seed = r?.seed ?? req.seed;
  const envOverrides = r?.envOverrides ?? req.envOverrides ?? {};
  const algoOverrides = r?.algoOverrides ?? { ...envRewardScale(resolveEnv(algo, req.env)), ...req.algoOverrides };
  const copies = r?.copies ?? req.copies ?? 1;
  const root = createRng(seed);
  const envs = Array.from({ length: copies }, () => makeEnv(envId, root.int(0, 0x7fffffff), envOverrides));
  const spec = envs[0]!.spec;
  // A resumed run continues from a fresh stream derived from (seed, episode): reproducible, though
  // not bit-identical to an uninterrupted run (the replay buffer is not checkpointed).
  const learnerRng = r ? createRng(seed ^ (0x9e3779b9 * (r.episode + 1))) : root.fork();
  const learner = createLearner(algo, tf, spec, learnerRng, algoOverrides);
  const prior = r?.curve ?? [];
  if (r) {
    learner.restore(r.learner);
    log(`[trainer] resumed ${algo} on ${envId} at episode ${r.episode}`);
  }
  const priorWallS = r ? (r.wallTimeS ?? null) : 0;
  const trainedS = () => (priorWallS === null ? undefined : priorWallS + (now() - t0) / 1000);
  const c0 = req.cpuMs?.();
  const priorCpuS = r ? r.cpuTimeS : 0;
  const cpuS = () => (c0 === undefined || priorCpuS === undefined ? undefined : priorCpuS + (req.cpuMs!() - c0) / 1000);
  const sel = selector(learner, envId, envOverrides, r ?? { select: req.select });
  const ckpt = (episode: number, state: unknown, curve: EpisodeStats[]): Checkpoint => ({
    version: 1, algo, env: envId, seed, envOverrides, algoOverrides, copies, episode, curve, learner: state, wallTimeS: trainedS(), cpuTimeS: cpuS(), ...sel?.state(),
  });
  const curve: EpisodeStats[] = [...prior];
  runTraining({
    envs, learner, episodes: req.episodes, startEpisode: r?.episode ?? 0,
    onEpisode: (s) => (curve.push(s), req.onEpisode?.(s)),
    afterEpisode: sel?.afterEpisode,
    checkpointEvery: req.checkpointEvery,
    onCheckpoint: req.onCheckpoint ? (ep, state) => req.onCheckpoint!(ckpt(ep, state, curve)) : undefined,
  });
  req.onCheckpoint?.(ckpt(Math.max(req.episodes, r?.episode ?? 0), learner.checkpoint(), curve));
  const trainingWallTimeS = trainedS() ?? null;
  const trainingCpuTimeS = cpuS() ?? null;
  const best = sel?.state().best;
  if (best) learner.restore(best.learner);
  const evalEnv = makeEnv(envId, seed + 1_000_003, envOverrides);
  const evalStats = await evaluatePolicy(evalEnv, (obs) => learner.act(obs, false), req.evalEpisodes ?? 3);
  const training = { algo, env: envId, seed, episodes: req.episodes, copies, envOverrides, hyper: algoConfig(algo, algoOverrides), backend };
  const files = buildPolicyFiles(learner.exportActors(), spec, algo, training, req.gitCommit ?? 'unknown');
  const last = curve.slice(-10);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
  const report: TrainReport = {
    algo, env: envId, seed, episodes: req.episodes, backend, wallTimeS: (now() - t0) / 1000, trainingWallTimeS, trainingCpuTimeS,
    envSteps: curve.reduce((a, s) => a + s.steps, 0), envHash: envHash(spec.config), gitCommit: req.gitCommit ?? 'unknown',
    config: { env: spec.config, algo: algoConfig(algo, algoOverrides), copies },
    final: { last10MeanReward: mean(last.map((s) => s.reward)), last10MeanObjective: mean(last.map((s) => s.objective)), eval: evalStats },
    ...(best && sel ? { selected: { episode: best.episode, validationTotal: best.total, validationSlots: sel.select.slots, validationSeed: sel.select.envSeed } } : {}),
    policyAgents: files.map((f) => f.agent),
  };
  learner.dispose();
  return { files, report, curve };
}

type SelectionState = Pick<Checkpoint, 'select' | 'validation' | 'best'>;

/**
 * Model selection's bookkeeping for one run (undefined without `select`): a greedy validation
 * episode after every `everyEpisodes` episodes; keeps the best policy's state.
 */
function selector(learner: ReturnType<typeof createLearner>, envId: EnvId, envOverrides: Record<string, unknown>, from: SelectionState) {
  const select = from.select;
  if (!select) return undefined;
  const env = makeEnv(envId, select.envSeed, { ...envOverrides, horizon: select.slots });
  const validation = [...(from.validation ?? [])];
  let best = from.best;
  return {
    select,
    state: (): SelectionState => ({ select, validation: [...validation], best }),
    afterEpisode: (episodes: number) => {
      if (episodes % select.everyEpisodes !== 0) return;
      const total = rolloutObjective(env, (o) => learner.act(o, false)).reduce((a, b) => a + b, 0);
      validation.push({ episode: episodes, total });
      if (!best || total > best.total) best = { episode: episodes, total, learner: learner.checkpoint() };
    },
  };
}
