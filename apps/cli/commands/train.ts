/**
 * `uavmec train <algo>` — trains a policy, writes the ONNX actor(s), a JSON report, a reward-curve
 * SVG and a checkpoint next to `--out`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError, type Command } from '../command.ts';
import { int, oneOf, parse } from '../args.ts';
import { ALGOS, type AlgoName } from '../../trainer/algos/index.ts';
import { ENV_IDS, type EnvId } from '../../../sim/envs/index.ts';
import { trainPolicy, type Checkpoint } from '../../trainer/session.ts';
import { episodesFor, S3_PROTOCOL, validationSeed } from '../../trainer/protocol.ts';
import { lineChartSvg, movingAverage } from '../../trainer/report/svg.ts';
import type { EpisodeStats } from '../../trainer/loop.ts';

const help = `Usage: uavmec train <algo> [options]

Trains a policy with TensorFlow.js (native tfjs-node if installed, else WebAssembly) and exports
the actor(s) to ONNX with the uavmec policy metadata (docs/training.md).

Algorithms:
  maddpg   S3 MUECRS trajectories: one actor per UAV, centralised critics (SPEC §5.5)
  cejomu   MADDPG at fixed altitude (2D); on --env s3 it runs env s3-2d
  d3qn     dueling double DQN, 6 flight directions (S3 baseline; no ONNX actor)
  td3      S2 single agent: twin critics, target smoothing, delayed updates (SPEC §5.4)
  ddpg     S2 baseline
  ppo      S2 baseline (exports the mean actor)

Options:
  --env <id>              s3 | s3-2d | s2 (default: s3 for maddpg/cejomu/d3qn, s2 otherwise)
  --steps <n>             env-step budget; episodes = steps / horizon, rounded up (S3 learners
                          default to the S3 protocol: ${S3_PROTOCOL.steps} steps of ${S3_PROTOCOL.horizon}-slot episodes,
                          docs/training.md)
  --episodes <n>          total training episodes instead of --steps (default 150 on S2)
  --seed <n>              seed of environments, network init, noise and sampling (default 1)
  --out <file.onnx>       output model (default models/<env>-<algo>.onnx); multi-agent actors
                          are written as <file>.uav<k>.onnx; also <file>.json (report),
                          <file>.svg (reward curve) and the checkpoint
  --resume <ckpt.json>    continue a run from its checkpoint (algo, env, seed and configs
                          come from the checkpoint; --episodes is the new total)
  --checkpoint <file>     checkpoint path (default <file>.ckpt.json next to --out)
  --checkpoint-every <n>  write the checkpoint every n episodes (default 10; 0 = only at the end)
  --copies <n>            independent environment copies stepped together (default 1)
  --users <n>             S3: number of ground users (default 10)
  --horizon <n>           slots per episode (default ${S3_PROTOCOL.horizon} for maddpg/cejomu/d3qn, 50 on S2)
  --env-config <json>     other environment overrides, e.g. '{"uavCpuHz":8e9}'
  --algo-config <json>    hyper-parameter overrides, e.g. '{"actorLr":5e-4,"batch":256}'
  --eval-episodes <n>     greedy evaluation episodes after training (default 3)
  --validate-every <n>    model selection: a greedy validation episode (S3: ${S3_PROTOCOL.evalSlots} slots) on a
                          held-out env seed every n episodes; the best policy is exported
                          (default ${S3_PROTOCOL.validateEvery} for maddpg/cejomu/d3qn on S3, the protocol; 0 = off,
                          the last policy; a resumed run keeps its checkpoint's setting)
  --backend <b>           auto | wasm | cpu (default auto)
  --quiet                 no progress bar

Example:
  uavmec train maddpg --users 30 --seed 1 --out models/s3-maddpg.onnx --checkpoint runs/s3-maddpg.ckpt.json
  uavmec train td3 --env s2 --episodes 300 --out models/s2-td3.onnx --resume runs/s2-td3.ckpt.json`;

/** CPU time of this process, ms (the training cost that machine load does not bend). */
function processCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

function jsonOption(v: string | boolean | undefined, name: string): Record<string, unknown> {
  if (v === undefined) return {};
  try {
    const o = JSON.parse(String(v)) as unknown;
    if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new Error('not an object');
    return o as Record<string, unknown>;
  } catch (e) {
    throw new UsageError(`--${name} expects a JSON object: ${(e as Error).message}`);
  }
}

/** Writes via a temporary file + rename so an interrupted run never leaves a torn checkpoint. */
function writeAtomic(path: string, data: string | Uint8Array): void {
  writeFileSync(`${path}.tmp`, data);
  renameSync(`${path}.tmp`, path);
}

export function progressLine(s: EpisodeStats, total: number, avg10: number, elapsedS: number): string {
  const width = 24;
  const done = Math.round(((s.episode + 1) / total) * width);
  return `[${'#'.repeat(done)}${'-'.repeat(width - done)}] ep ${s.episode + 1}/${total}  reward ${s.reward.toFixed(2)}  avg10 ${avg10.toFixed(2)}  objective ${s.objective.toFixed(3)}  ${elapsedS.toFixed(0)}s`;
}

const command: Command = {
  name: 'train',
  summary: 'train a policy (MADDPG, TD3, …) and export it to ONNX',
  help,
  async run(argv) {
    const { values, positionals } = parse(argv, {
      env: { type: 'string' }, episodes: { type: 'string' }, steps: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' },
      resume: { type: 'string' }, checkpoint: { type: 'string' }, 'checkpoint-every': { type: 'string' }, copies: { type: 'string' }, users: { type: 'string' },
      horizon: { type: 'string' }, 'env-config': { type: 'string' }, 'algo-config': { type: 'string' },
      'eval-episodes': { type: 'string' }, backend: { type: 'string' }, quiet: { type: 'boolean' }, 'validate-every': { type: 'string' },
    }, true);
    let resume: Checkpoint | undefined;
    if (values.resume !== undefined) {
      try {
        resume = JSON.parse(readFileSync(String(values.resume), 'utf8')) as Checkpoint;
      } catch (e) {
        console.error(`uavmec train: cannot read checkpoint ${values.resume}: ${(e as Error).message}`);
        return 1;
      }
      if (resume.version !== 1) throw new UsageError(`unsupported checkpoint version ${String(resume.version)}`);
    }
    const algo = resume?.algo ?? oneOf(positionals[0], 'algo', ALGOS, 'maddpg' as AlgoName);
    if (!resume && positionals[0] === undefined) throw new UsageError('missing <algo>');
    if (positionals.length > 1) throw new UsageError(`unexpected arguments: ${positionals.slice(1).join(' ')}`);
    const defEnv: EnvId = algo === 'maddpg' || algo === 'cejomu' || algo === 'd3qn' ? 's3' : 's2';
    const env = resume?.env ?? oneOf(values.env, 'env', ENV_IDS, defEnv);
    const s3Learner = env.startsWith('s3');
    if (values.episodes !== undefined && values.steps !== undefined) throw new UsageError('give --steps or --episodes, not both');
    const seed = int(values.seed, 'seed', 1, 0, 2 ** 31 - 1);
    const out = String(values.out ?? `models/${env}-${algo}.onnx`);
    if (!out.endsWith('.onnx')) throw new UsageError('--out must end with .onnx');
    const base = out.slice(0, -'.onnx'.length);
    const ckptPath = String(values.checkpoint ?? `${base}.ckpt.json`);
    const envOverrides = jsonOption(values['env-config'], 'env-config');
    if (values.users !== undefined) envOverrides.users = int(values.users, 'users', 10, 1, 1000);
    if (values.horizon !== undefined) envOverrides.horizon = int(values.horizon, 'horizon', 50, 1, 100_000);
    else if (s3Learner && !resume) envOverrides.horizon = S3_PROTOCOL.horizon;
    const horizon = Number(resume?.envOverrides.horizon ?? envOverrides.horizon ?? 50);
    const episodes = values.steps !== undefined || (s3Learner && values.episodes === undefined)
      ? episodesFor(int(values.steps, 'steps', S3_PROTOCOL.steps, 1, 1e9), horizon)
      : int(values.episodes, 'episodes', 150, 1, 1_000_000);
    const validateEvery = int(values['validate-every'], 'validate-every', s3Learner ? S3_PROTOCOL.validateEvery : 0, 0, 1e6);
    const select = !resume && validateEvery > 0 ? { everyEpisodes: validateEvery, slots: s3Learner ? S3_PROTOCOL.evalSlots : horizon, envSeed: validationSeed(seed) } : undefined;
    const backendOpt = oneOf(values.backend, 'backend', ['auto', 'wasm', 'cpu'] as const, 'auto');
    const quiet = values.quiet === true;
    const tty = process.stderr.isTTY === true;
    mkdirSync(dirname(out), { recursive: true });
    mkdirSync(dirname(ckptPath), { recursive: true });
    const t0 = performance.now();
    const rewards: number[] = [];
    const { files, report, curve } = await trainPolicy({
      algo, env, episodes, seed, envOverrides, algoOverrides: jsonOption(values['algo-config'], 'algo-config'),
      copies: int(values.copies, 'copies', 1, 1, 64), resume, checkpointEvery: int(values['checkpoint-every'], 'checkpoint-every', 10, 0, 1e6),
      evalEpisodes: int(values['eval-episodes'], 'eval-episodes', 3, 1, 1000), gitCommit: gitCommit(),
      backend: backendOpt === 'auto' ? undefined : backendOpt, nowMs: () => performance.now(), cpuMs: processCpuMs, select,
      onCheckpoint: (c) => writeAtomic(ckptPath, JSON.stringify(c)),
      onEpisode: (s) => {
        rewards.push(s.reward);
        if (quiet) return;
        const avg = movingAverage(rewards, 10).at(-1)!;
        const line = progressLine(s, episodes, avg, (performance.now() - t0) / 1000);
        if (tty) process.stderr.write(`\r${line}`);
        else if ((s.episode + 1) % 10 === 0 || s.episode + 1 === episodes) process.stderr.write(`${line}\n`);
      },
    });
    if (tty && !quiet) process.stderr.write('\n');
    const written: string[] = [];
    for (const f of files) {
      const path = `${base}${f.suffix}`;
      writeAtomic(path, f.bytes);
      written.push(path);
    }
    writeAtomic(`${base}.json`, JSON.stringify({ ...report, files: written, curve: curve.map((s) => ({ episode: s.episode, reward: s.reward, objective: s.objective, penalty: s.penalty })) }, null, 2) + '\n');
    const svg = lineChartSvg(`${algo} on ${report.env}: episode reward`, 'episode', 'reward', [
      { name: 'episode reward', points: curve.map((s) => [s.episode + 1, s.reward]) },
      { name: 'moving average (10)', points: movingAverage(curve.map((s) => s.reward), 10).map((y, i) => [curve[i]!.episode + 1, y]) },
    ]);
    writeAtomic(`${base}.svg`, svg);
    console.log(JSON.stringify({ files: written, report: `${base}.json`, curve: `${base}.svg`, checkpoint: ckptPath, backend: report.backend, wallTimeS: Number(report.wallTimeS.toFixed(1)), final: { ...report.final, eval: { ...report.final.eval, perSlotObjective: undefined } } }));
    return 0;
  },
};

export default command;
