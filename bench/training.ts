/**
 * Training benchmark: environment steps/s (random actions), learner update cost, and the training
 * wall time of each default model (from its report in models/). Writes the "Training" section of
 * docs/benchmarks.md (replacing an earlier one) and prints it.
 * Run: node --import tsx bench/training.ts
 */
import { writeBenchmarkSection } from './report.ts';
import { cpus, loadavg, platform, release } from 'node:os';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRng } from '../core/rng.ts';
import { makeEnv, type EnvId } from '../sim/envs/index.ts';
import { createLearner, type AlgoName } from '../apps/trainer/algos/index.ts';
import { initBackend } from '../apps/trainer/backend.ts';
import { rolloutObjective } from '../apps/trainer/loop.ts';
import { S3_PROTOCOL } from '../apps/trainer/protocol.ts';

/** CPU time of this process, ms (what a job costs whatever else shares the machine). */
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Env steps per second of wall time and per second of this process's CPU time. */
function envStepsPerSecond(id: EnvId, seconds: number, overrides: Record<string, unknown> = {}): { wall: number; cpu: number } {
  const env = makeEnv(id, 1, overrides);
  const rng = createRng(1);
  const s = env.spec.space;
  let obs = env.reset();
  let steps = 0;
  const t0 = performance.now();
  const c0 = cpuMs();
  while (performance.now() - t0 < seconds * 1000) {
    const r = env.step(obs.map(() => s.actLow.map((lo, d) => rng.uniform(lo, s.actHigh[d]!))));
    obs = r.done ? env.reset() : r.obs;
    steps++;
  }
  return { wall: steps / ((performance.now() - t0) / 1000), cpu: steps / ((cpuMs() - c0) / 1000) };
}

/** Wall and CPU milliseconds per learner update. */
async function updateMs(algo: AlgoName, id: EnvId, updates: number): Promise<{ wall: number; cpu: number }> {
  const { tf } = await initBackend(() => {});
  const env = makeEnv(id, 1);
  const l = createLearner(algo, tf, env.spec, createRng(1), { warmupSteps: 0, learnStart: 128, batch: 128, updateEvery: 1 });
  let obs = env.reset();
  for (let i = 0; i < 128; i++) {
    const a = l.act(obs, true);
    const r = env.step(a);
    l.observe(obs, a, r.reward, r.obs, false, r.done);
    obs = r.done ? env.reset() : r.obs;
  }
  l.train();
  const t0 = performance.now();
  const c0 = cpuMs();
  for (let i = 0; i < updates; i++) l.train();
  const ms = { wall: (performance.now() - t0) / updates, cpu: (cpuMs() - c0) / updates };
  l.dispose();
  return ms;
}

/** Wall and CPU ms of one model-selection validation episode: a MADDPG actor flying 500 slots at 30 users. */
async function validationMs(): Promise<{ wall: number; cpu: number }> {
  const { tf } = await initBackend(() => {});
  const env = makeEnv('s3', 1, { users: 30, horizon: S3_PROTOCOL.evalSlots });
  const l = createLearner('maddpg', tf, env.spec, createRng(1));
  const t0 = performance.now();
  const c0 = cpuMs();
  rolloutObjective(env, (o) => l.act(o, false));
  const ms = { wall: performance.now() - t0, cpu: cpuMs() - c0 };
  l.dispose();
  return ms;
}

const { name: backend } = await initBackend(() => {});
const rows: string[] = [];
// S3 at its default 10 users and at 30 (the Fig. 6 setting and the default model's): CD+KKT grows with users.
for (const [id, users] of [['s3', 10], ['s3', 30], ['s3-2d', 30], ['s2', 0]] as [EnvId, number][]) {
  const what = users ? `${users} users, random actions, reward by CD+KKT` : 'random actions';
  const r = envStepsPerSecond(id, 3, users ? { users } : {});
  rows.push(`| env steps/s, ${id} (${what}) | ${r.wall.toFixed(0)} | ${r.cpu.toFixed(0)} |`);
}
for (const [algo, id] of [['maddpg', 's3'], ['td3', 's2'], ['d3qn', 's3']] as [AlgoName, EnvId][]) {
  const u = await updateMs(algo, id, 50);
  rows.push(`| ${algo} update on ${id}, batch 128 (ms, ${backend}) | ${u.wall.toFixed(1)} | ${u.cpu.toFixed(1)} |`);
}
const v = await validationMs();
rows.push(`| model selection: one ${S3_PROTOCOL.evalSlots}-slot validation episode, MADDPG on s3 at 30 users (ms, ${backend}) | ${v.wall.toFixed(0)} | ${v.cpu.toFixed(0)} |`);
const models: string[] = [];
const warm: string[] = [];
for (const dir of ['models', 'models/baselines'].filter((d) => existsSync(d))) {
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json') && !n.endsWith('.ckpt.json')).sort()) {
    const r = JSON.parse(readFileSync(`${dir}/${f}`, 'utf8')) as { algo: string; env: string; episodes: number; envSteps: number; wallTimeS: number; trainingWallTimeS?: number | null; trainingCpuTimeS?: number | null; backend: string; selected?: { episode: number }; final?: { eval: { meanObjective: number } } };
    if (!r.final) {
      warm.push(`| ${f.replace('.json', '')} | ${r.wallTimeS.toFixed(1)} | ${r.backend} |`);
      continue;
    }
    const cpuS = r.trainingCpuTimeS == null ? '—' : r.trainingCpuTimeS.toFixed(0);
    models.push(`| ${dir.replace(/^models\/?/, '')}${dir === 'models' ? '' : '/'}${f.replace('.json', '')} | ${r.algo} | ${r.env} | ${r.episodes} | ${r.envSteps} | ${(r.trainingWallTimeS ?? r.wallTimeS).toFixed(0)} | ${cpuS} | ${r.selected ? `episode ${r.selected.episode}` : 'last'} | ${r.backend} | ${r.final.eval.meanObjective.toFixed(3)} |`);
  }
}
const cpu = cpus();
const section = [
  '## Training',
  '',
  `Machine: ${cpu[0]?.model ?? 'unknown'}, ${cpu.length} cores, ${platform()} ${release()}; date ${new Date().toISOString().slice(0, 10)}; TensorFlow.js backend ${backend}. Run: \`node --import tsx bench/training.ts\`.`,
  '',
  `1-min load average at the end: ${loadavg()[0]!.toFixed(1)} (the other engineers' jobs): wall-time rates fall with the load, CPU-time rates much less.`,
  '',
  '| measure | per wall time | per CPU time of this process |',
  '|---|---|---|',
  ...rows,
  '',
  'Default models (from their reports; wall time measured while the 2-core machine was shared with other jobs, CPU time of the training process — what load does not bend — where recorded; "policy" = the one model selection kept, or the last):',
  '',
  '| model | algo | env | episodes | env steps | training wall time (s) | training CPU time (s) | policy | backend | greedy objective per slot |',
  '|---|---|---|---|---|---|---|---|---|---|',
  ...models,
  '',
  ...(warm.length ? ['Other trained models (data generation + training):', '', '| model | wall time (s) | backend |', '|---|---|---|', ...warm, ''] : []),
].join('\n');
writeBenchmarkSection('Training', section);
console.log(section);
