/**
 * Baseline comparisons in the spirit of S3 Fig. 4/6 and S2 Fig. 3 (SPEC §5.4–5.5), from trained
 * checkpoints: greedy evaluation of each policy (checkpoints restore every algorithm, including
 * D3QN, which has no ONNX actor), per-slot DOR curves, training reward curves. Writes SVGs next to
 * the baseline models and prints a markdown table.
 * Run: node --import tsx apps/trainer/experiments/compare.ts [episodes]
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRng } from '../../../core/rng.ts';
import { makeEnv, type EnvId } from '../../../sim/envs/index.ts';
import { createLearner } from '../algos/index.ts';
import { initBackend } from '../backend.ts';
import { evaluatePolicy, type EvalStats } from '../loop.ts';
import { lineChartSvg, movingAverage, type Series } from '../report/index.ts';
import type { Checkpoint } from '../session.ts';

const episodes = Number(process.argv[2] ?? 10);
const { tf } = await initBackend();

interface Row { label: string; env: EnvId; stats: EvalStats; curve?: number[] }

async function fromCheckpoint(label: string, path: string, evalOverrides: Record<string, unknown> = {}): Promise<Row | undefined> {
  if (!existsSync(path)) return undefined;
  const c = JSON.parse(readFileSync(path, 'utf8')) as Checkpoint;
  const env = makeEnv(c.env, 12345, { ...c.envOverrides, ...evalOverrides });
  const learner = createLearner(c.algo, tf, makeEnv(c.env, 1, c.envOverrides).spec, createRng(1), c.algoOverrides);
  learner.restore(c.learner);
  const stats = await evaluatePolicy(env, (o) => learner.act(o, false), episodes);
  learner.dispose();
  return { label, env: c.env, stats, curve: c.curve.map((s) => s.reward) };
}

async function baseline(label: string, env: EnvId, kind: 'rt' | 'hover', overrides: Record<string, unknown> = {}): Promise<Row> {
  const e = makeEnv(env, 12345, overrides);
  const rng = createRng(7);
  const s = e.spec.space;
  const policy = (obs: number[][]) => obs.map(() => s.actLow.map((lo, d) => (kind === 'rt' ? rng.uniform(lo, s.actHigh[d]!) : 0)));
  return { label, env, stats: await evaluatePolicy(e, policy, episodes) };
}

const s3 = (await Promise.all([
  fromCheckpoint('MUECRS (MADDPG 3D)', 'runs/s3-maddpg.ckpt.json'),
  fromCheckpoint('CEJOMU (MADDPG 2D)', 'runs/s3-cejomu.ckpt.json'),
  fromCheckpoint('D3QN (6 directions)', 'runs/s3-d3qn.ckpt.json'),
])).filter((r): r is Row => r !== undefined);
s3.push(await baseline('RT (random trajectory)', 's3', 'rt'));
const s2 = (await Promise.all([
  fromCheckpoint('TD3', 'runs/s2-td3.ckpt.json'),
  fromCheckpoint('DDPG', 'runs/s2-ddpg.ckpt.json'),
  fromCheckpoint('PPO', 'runs/s2-ppo.ckpt.json'),
])).filter((r): r is Row => r !== undefined);
s2.push(await baseline('random actions', 's2', 'rt'));

const curveSeries = (rows: Row[]): Series[] => rows.filter((r) => r.curve).map((r) => ({ name: r.label, points: movingAverage(r.curve!, 10).map((y, i) => [i + 1, y] as [number, number]) }));
writeFileSync('models/baselines/s3-training-reward.svg', lineChartSvg('S3: episode reward during training (10-episode average)', 'episode', 'reward', curveSeries(s3)));
writeFileSync('models/baselines/s3-dor-per-slot.svg', lineChartSvg(`S3: DOR per slot (mean of ${episodes} episodes)`, 'slot', 'DOR', s3.map((r) => ({ name: r.label, points: r.stats.perSlotObjective.map((y, t) => [t, y] as [number, number]) }))));
writeFileSync('models/baselines/s2-training-reward.svg', lineChartSvg('S2: episode reward during training (10-episode average)', 'episode', 'reward', curveSeries(s2)));

const table = (title: string, obj: string, rows: Row[]) => [
  `### ${title}`, '', `| policy | mean ${obj} per slot | ${obj}, second half | penalty per episode | episode reward |`, '|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.label} | ${r.stats.meanObjective.toFixed(3)} | ${r.stats.meanObjectiveSecondHalf.toFixed(3)} | ${r.stats.meanPenalty.toFixed(1)} | ${r.stats.meanReward.toFixed(1)} |`), '',
].join('\n');
console.log(table(`S3 (${episodes} episodes × 50 slots, env seed 12345)`, 'DOR', s3));

// S3 Fig. 7 analogue: DOR vs number of users, with the 10-user policies (not retrained per count;
// the first 10 users keep their positions, more are appended from the same layout stream).
const sweep: string[] = ['### S3: mean DOR per slot vs users (policies trained with 10 users)', '', '| users | MADDPG | MADDPG traj. + AO | CEJOMU | RT |', '|---|---|---|---|---|'];
for (const users of [5, 10, 20, 30]) {
  const m = await fromCheckpoint('m', 'runs/s3-maddpg.ckpt.json', { users });
  const ao = await fromCheckpoint('ao', 'runs/s3-maddpg.ckpt.json', { users, planner: 'ao' });
  const cj = await fromCheckpoint('c', 'runs/s3-cejomu.ckpt.json', { users });
  const rt = await baseline('rt', 's3', 'rt', { users });
  const f = (r: Row | undefined) => (r ? r.stats.meanObjective.toFixed(3) : 'n/a');
  sweep.push(`| ${users} | ${f(m)} | ${f(ao)} | ${f(cj)} | ${f(rt)} |`);
}
console.log(sweep.join('\n') + '\n');
console.log(table(`S2 (${episodes} episodes × 50 slots, env seed 12345)`, 'Q', s2));
