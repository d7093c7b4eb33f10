/**
 * Shared machinery of the learning experiments (S3 Figs. 4/6/7, S2 Fig. 3): train a policy or
 * load its finished checkpoint, restore the greedy policy, evaluate it, and summarise several
 * seeds as mean ± spread.
 *
 * Training is expensive (minutes per run), so a run's checkpoint is kept in `runDir` under a name
 * derived from (env, algo, seed, overrides) and reused when its recorded config matches the
 * request exactly; otherwise the run is trained (`trainPolicy`, the same code path as
 * `uavmec train`) and its checkpoint written. A figure can therefore be regenerated from the
 * checkpoints in seconds, or from scratch by deleting them.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRng } from '../../../core/rng.ts';
import { makeEnv, type EnvId } from '../../../sim/envs/index.ts';
import { createLearner, evaluatePolicy, initBackend, resolveEnv, trainPolicy, type AlgoName, type Checkpoint, type EvalStats, type ModelSelection, type Tf } from '../../trainer/index.ts';

export interface RunSpec {
  algo: AlgoName;
  /** Requested environment (CEJOMU on 's3' runs 's3-2d', as `uavmec train`). */
  env: EnvId;
  seed: number;
  episodes: number;
  envOverrides: Record<string, unknown>;
  /** Hyper-parameter overrides on top of the environment's reward scale (see `envRewardScale`). */
  algoOverrides?: Record<string, unknown>;
  /** Distinguishes variants with the same algo (e.g. 'lr5e-3'); part of the file name. */
  tag?: string;
  /** Model selection on a validation rollout (the S3 protocol); the checkpoint keeps the best policy. */
  select?: ModelSelection;
}

/** File stem of a run: `<env>-<algo>[-<tag>]-s<seed>` plus the user count on S3. */
export function runName(s: RunSpec): string {
  const users = s.envOverrides.users !== undefined ? `-u${String(s.envOverrides.users)}` : '';
  return `${s.env}${users}-${s.algo}${s.tag ? `-${s.tag}` : ''}-s${s.seed}`;
}

const canon = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x));

/** True when a checkpoint is the finished run `s` (same algo, env, seed, overrides, ≥ episodes). */
export function checkpointMatches(c: Checkpoint, s: RunSpec): boolean {
  if (c.algo !== s.algo || c.env !== resolveEnv(s.algo, s.env) || c.seed !== s.seed || c.episode < s.episodes) return false;
  if (canon(c.envOverrides) !== canon(s.envOverrides) || canon(c.select) !== canon(s.select)) return false;
  return Object.entries(s.algoOverrides ?? {}).every(([k, v]) => canon(c.algoOverrides[k]) === canon(v));
}

/** The cached finished run `s` in `runDir`, if there is one. */
export function loadCached(s: RunSpec, runDir: string): Checkpoint | undefined {
  const path = join(runDir, `${runName(s)}.ckpt.json`);
  if (!existsSync(path)) return undefined;
  const c = JSON.parse(readFileSync(path, 'utf8')) as Checkpoint;
  return checkpointMatches(c, s) ? c : undefined;
}

/** Loads `<runDir>/<runName>.ckpt.json` when it matches `s`; else trains the run and writes it. */
export async function trainOrLoad(s: RunSpec, runDir: string, log: (line: string) => void = () => {}): Promise<Checkpoint> {
  const path = join(runDir, `${runName(s)}.ckpt.json`);
  const cached = loadCached(s, runDir);
  if (cached) return cached;
  if (existsSync(path)) log(`[learning] ${path} does not match the requested run; retraining`);
  log(`[learning] training ${runName(s)} (${s.episodes} episodes)`);
  let last: Checkpoint | undefined;
  const t0 = performance.now();
  const every = Math.max(1, Math.round(s.episodes / 10));
  await trainPolicy({
    algo: s.algo, env: s.env, episodes: s.episodes, seed: s.seed, envOverrides: s.envOverrides, algoOverrides: s.algoOverrides, select: s.select,
    evalEpisodes: 1, log: () => {}, checkpointEvery: 0, onCheckpoint: (c) => (last = c), nowMs: () => performance.now(),
    onEpisode: (e) => {
      if ((e.episode + 1) % every === 0) log(`[learning] ${runName(s)}: episode ${e.episode + 1}/${s.episodes}, reward ${e.reward.toFixed(1)}, DOR/slot ${e.objective.toFixed(2)}, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    },
  });
  if (!last) throw new Error(`training ${runName(s)} produced no checkpoint`);
  mkdirSync(runDir, { recursive: true });
  writeFileSync(`${path}.tmp`, JSON.stringify(last));
  renameSync(`${path}.tmp`, path);
  return last;
}

export interface RestoredPolicy {
  act(obs: number[][]): number[][];
  dispose(): void;
}

/**
 * The greedy policy of a checkpoint (every algorithm, including D3QN's argmax over Q): the policy
 * model selection kept when the run used it, else the last one.
 */
export function restorePolicy(tf: Tf, c: Checkpoint): RestoredPolicy {
  const learner = createLearner(c.algo, tf, makeEnv(c.env, 1, c.envOverrides).spec, createRng(1), c.algoOverrides);
  learner.restore(c.best?.learner ?? c.learner);
  return { act: (o) => learner.act(o, false), dispose: () => learner.dispose() };
}

/**
 * Greedy evaluation of a checkpoint's policy on its own environment with `evalOverrides` on top
 * (e.g. more slots, fewer users, another planner), on environment seed `envSeed`.
 */
export async function evaluateCheckpoint(tf: Tf, c: Checkpoint, envSeed: number, episodes: number, evalOverrides: Record<string, unknown> = {}): Promise<EvalStats> {
  const policy = restorePolicy(tf, c);
  try {
    return await evaluatePolicy(makeEnv(c.env, envSeed, { ...c.envOverrides, ...evalOverrides }), policy.act, episodes);
  } finally {
    policy.dispose();
  }
}

/** Random trajectory / random actions (RT): uniform in the action box, from a seeded stream. */
export async function evaluateRandom(env: EnvId, envSeed: number, policySeed: number, episodes: number, overrides: Record<string, unknown>): Promise<EvalStats> {
  const e = makeEnv(env, envSeed, overrides);
  const rng = createRng(policySeed);
  const { actLow, actHigh } = e.spec.space;
  return evaluatePolicy(e, (obs) => obs.map(() => actLow.map((lo, d) => rng.uniform(lo, actHigh[d]!))), episodes);
}

export interface Spread { mean: number; sd: number; min: number; max: number; n: number }

/** Mean, sample standard deviation (0 for one value), min and max. */
export function spread(xs: readonly number[]): Spread {
  const n = xs.length;
  if (n === 0) return { mean: NaN, sd: NaN, min: NaN, max: NaN, n };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, sd, min: Math.min(...xs), max: Math.max(...xs), n };
}

/** Centred moving average over `window` points (shorter at the ends); smooths reward curves. */
export function smooth(ys: readonly number[], window: number): number[] {
  const h = Math.floor(window / 2);
  return ys.map((_, i) => {
    const part = ys.slice(Math.max(0, i - h), Math.min(ys.length, i + h + 1));
    return part.reduce((a, b) => a + b, 0) / part.length;
  });
}

/** Where the learning experiments keep checkpoints: `runs/learning` (quick mode: a tmp folder). */
export function defaultRunDir(quick: boolean, outDir: string): string {
  return quick ? join(outDir, '.runs') : 'runs/learning';
}

/** The TensorFlow.js backend, initialised once per process (quietly). */
let backend: Promise<Tf> | undefined;
export function tfBackend(): Promise<Tf> {
  backend ??= initBackend(() => {}).then((b) => b.tf);
  return backend;
}
