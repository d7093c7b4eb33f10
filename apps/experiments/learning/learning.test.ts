import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Checkpoint } from '../../trainer/index.ts';
import { checkpointMatches, runName, smooth, spread } from './runs.ts';
import { fig7, s3RunSpec, s3Setting } from './s3.ts';
import { fig3, fig5, s2RunSpec, s2Setting, S2_VARIANTS } from './s2.ts';

test('spread: mean, sample sd, min, max', () => {
  const s = spread([1, 2, 3, 6]);
  assert.equal(s.mean, 3);
  assert.ok(Math.abs(s.sd - Math.sqrt(14 / 3)) < 1e-12);
  assert.deepEqual([s.min, s.max, s.n], [1, 6, 4]);
  assert.equal(spread([5]).sd, 0);
});

test('smooth: centred window, shorter at the ends', () => {
  assert.deepEqual(smooth([0, 3, 6, 9], 3), [1.5, 3, 6, 7.5]);
});

test('runName and checkpointMatches identify a finished run', () => {
  const spec = { algo: 'cejomu' as const, env: 's3' as const, seed: 2, episodes: 10, envOverrides: { users: 30 } };
  assert.equal(runName(spec), 's3-u30-cejomu-s2');
  const c = { version: 1, algo: 'cejomu', env: 's3-2d', seed: 2, episode: 10, envOverrides: { users: 30 }, algoOverrides: { rewardScale: 0.1 }, copies: 1, curve: [], learner: null } as Checkpoint;
  assert.ok(checkpointMatches(c, spec));
  assert.ok(!checkpointMatches({ ...c, episode: 9 }, spec));
  assert.ok(!checkpointMatches({ ...c, envOverrides: { users: 20 } }, spec));
  assert.ok(!checkpointMatches(c, { ...spec, algoOverrides: { rewardScale: 1 } }));
  const select = { everyEpisodes: 1, slots: 500, envSeed: 3 };
  assert.ok(!checkpointMatches(c, { ...spec, select }), 'a run without model selection is not one with it');
  assert.ok(checkpointMatches({ ...c, select }, { ...spec, select }));
});

test('S3 protocol: every learner the same episode length, steps and step-scheduled exploration; MADDPG and CEJOMU share settings', () => {
  const s = s3Setting({ seed: 1, quick: false });
  const [m, c, d] = (['maddpg', 'cejomu', 'd3qn'] as const).map((a) => s3RunSpec(a, 1, s));
  assert.deepEqual([m!.episodes, c!.episodes, d!.episodes].map((e) => e * s.horizon), [s.steps, s.steps, s.steps]);
  assert.deepEqual(m!.envOverrides, { users: 30, horizon: s.horizon });
  assert.deepEqual(c!.envOverrides, m!.envOverrides);
  assert.deepEqual(c!.algoOverrides, m!.algoOverrides, 'MADDPG and CEJOMU share every overridden hyper-parameter');
  assert.equal(d!.algoOverrides!.epsDecaySteps, m!.algoOverrides!.noiseDecaySteps, 'D3QN explores over the same steps');
  assert.deepEqual(s.seeds.length, 3);
  assert.equal(runName(m!), 's3-u30-maddpg-p16v-s1');
  assert.deepEqual([m!.select, c!.select, d!.select].map((x) => x!.slots), [500, 500, 500], 'every learner: model selection on 500-slot validation');
  assert.equal(new Set([m!.select!.envSeed, c!.select!.envSeed, d!.select!.envSeed]).size, 1, 'same validation draws per seed');
  assert.notEqual(m!.select!.envSeed, s3RunSpec('maddpg', 2, s).select!.envSeed);
});

test('quick s3-fig7, s2-fig3 and s2-fig5 write their CSV and SVG (tiny training)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'learning-'));
  try {
    const r7 = await fig7({ seed: 1, outDir: dir, quick: true });
    assert.equal(r7.files.length, 2);
    const lines = readFileSync(r7.files[0]!, 'utf8').trim().split('\n');
    assert.equal(lines.length, 1 + 2 * 8, 'header + 2 user counts × (6 policies + 2 oracles)');
    const al = lines.filter((l) => l.split(',')[1] === 'al');
    assert.ok(al.every((l) => Number(l.split(',')[2]) === 0), 'all-local has DOR 0');
    const oracle = lines.filter((l) => l.split(',')[1] === 'oracle').map((l) => l.split(','));
    assert.ok(oracle.every((r) => Number(r[2]) === 0 ? r[8] === '' : Number(r[8]) === 1), `the oracle is 1.0 of itself: ${JSON.stringify(oracle)}`);
    assert.match(readFileSync(r7.files[1]!, 'utf8'), /<svg[^>]*>/);
    const r3 = await fig3({ seed: 1, outDir: dir, quick: true });
    assert.equal(r3.files.length, 3);
    const final = readFileSync(r3.files[1]!, 'utf8').trim().split('\n');
    assert.deepEqual(final.slice(1).map((l) => l.split(',')[0]), ['td3', 'ddpg', 'ppo', 'random']);
    const r5 = await fig5({ seed: 1, outDir: dir, quick: true });
    assert.equal(r5.files.length, 3);
    const rows = readFileSync(r5.files[0]!, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    assert.deepEqual(rows.map((r) => `${r[1]}:${r[3]}`), ['2:td3', '2:ddpg', '2:ppo', '2:random', '3:td3', '3:ddpg', '3:ppo', '3:random'], 'idle UDs × policies');
    assert.ok(rows.every((r) => Number.isFinite(Number(r[5])) && Number.isFinite(Number(r[9]))), 'finite reward and revenue');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('S2 runs: equal steps and shared hyper-parameters for TD3 and DDPG; sweep runs named by their point', () => {
  const s = s2Setting({ seed: 1, quick: false });
  const [td3, ddpg, ppo] = S2_VARIANTS.map((v) => s2RunSpec(v, 1, s));
  assert.deepEqual([td3!.episodes, ddpg!.episodes, ppo!.episodes], [400, 400, 400]);
  assert.deepEqual(td3!.algoOverrides, ddpg!.algoOverrides, 'TD3 and DDPG share every overridden hyper-parameter');
  assert.equal(ppo!.algoOverrides?.lr, td3!.algoOverrides?.actorLr, 'PPO shares the learning rate');
  assert.deepEqual(td3!.envOverrides, {}, 'Fig. 3 runs on the S2 default environment');
  const p = s2RunSpec(S2_VARIANTS[0]!, 1, s, { uavs: 7, idle: 10, busy: 10 });
  assert.deepEqual(p.envOverrides, { uavs: 7 });
  assert.equal(runName(p), 's2-td3-k7j10i10-s1');
  assert.deepEqual(s2RunSpec(S2_VARIANTS[0]!, 1, s, s.base), td3, 'the sweeps share Fig. 3 seed-1 run at the base point (same steps)');
  const short = { ...s, sweepEpisodes: 200 };
  assert.equal(runName(s2RunSpec(S2_VARIANTS[0]!, 1, short, s.base)), 's2-td3-k5j10i10-s1', 'a shorter sweep never reuses a longer Fig. 3 checkpoint');
});
