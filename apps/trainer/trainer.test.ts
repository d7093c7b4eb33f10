import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { createRng } from '../../core/rng.ts';
import { decodePolicyMetadata, envHash, mlpForward, readOnnxMetadata } from '../../core/onnx/index.ts';
import { makeEnv, type Env, type EnvSpec, type StepResult } from '../../sim/envs/index.ts';
import { createLearner, type AlgoName } from './algos/index.ts';
import { initBackend } from './backend.ts';
import { buildPolicyFiles } from './export.ts';
import { evaluatePolicy, rolloutObjective, runTraining } from './loop.ts';
import { ReplayBuffer } from './replay.ts';
import { trainPolicy, type Checkpoint } from './session.ts';

const logs: string[] = [];
const { tf, name: backendName } = await initBackend((l) => logs.push(l));

/** N agents on a line; agent i should reach target_i; shared reward −Σ|x_i − target_i|. */
class ReachEnv implements Env {
  readonly spec: EnvSpec;
  private x: number[] = [];
  private t = 0;
  constructor(private readonly targets: number[], private readonly rng = createRng(1)) {
    this.spec = {
      id: 'reach', nAgents: targets.length,
      space: { obsNames: ['x'], obsLow: [-1], obsHigh: [1], actNames: ['dx'], actLow: [-0.2], actHigh: [0.2] },
      actionKind: 'displacement', actionUnits: 'm', motion: [0, 0, 0], horizon: 20, config: { targets },
    };
  }
  reset(): number[][] {
    this.x = this.targets.map(() => this.rng.uniform(-1, 1));
    this.t = 0;
    return this.x.map((v) => [v]);
  }
  step(actions: number[][]): StepResult {
    this.x = this.x.map((v, i) => Math.max(-1, Math.min(1, v + Math.max(-0.2, Math.min(0.2, actions[i]![0]!)))));
    const cost = this.x.reduce((s, v, i) => s + Math.abs(v - this.targets[i]!), 0);
    this.t++;
    return { obs: this.x.map((v) => [v]), reward: -cost, done: this.t >= 20, info: { objective: -cost, penalty: 0, violations: {} } };
  }
}

void test('backend: the log line says which backend runs', () => {
  assert.ok(['tensorflow', 'wasm', 'cpu'].includes(backendName));
  assert.ok(logs.some((l) => l.includes(`backend: ${backendName}`)), logs.join('\n'));
});

void test('replay buffer: ring overwrite and seeded sampling', () => {
  const b = new ReplayBuffer(4, 2, 1);
  for (let i = 0; i < 6; i++) b.add([i, i], [i], i, [i + 1, i + 1], i === 5);
  assert.equal(b.size, 4);
  const s1 = b.sample(50, createRng(3));
  const s2 = b.sample(50, createRng(3));
  assert.deepEqual(s1, s2);
  const seen = new Set(Array.from(s1.rew));
  assert.deepEqual([...seen].sort(), [2, 3, 4, 5]); // rows 0 and 1 were overwritten
  for (let r = 0; r < 50; r++) assert.equal(s1.obs[2 * r], s1.rew[r]);
});

for (const algo of ['ddpg', 'td3', 'maddpg'] as AlgoName[]) {
  void test(`${algo} learns the reach task (greedy return far above a random policy)`, async () => {
    const targets = algo === 'maddpg' ? [0.5, -0.5] : [0.5];
    const env = new ReachEnv(targets, createRng(2));
    const learner = createLearner(algo, tf, env.spec, createRng(5), { warmupSteps: 200, learnStart: 200, batch: 64, noiseDecaySteps: 0, noiseDecayEpisodes: 20, actorLr: 3e-3, criticLr: 3e-3 });
    runTraining({ envs: [env], learner, episodes: algo === 'maddpg' ? 50 : 40 });
    const trained = await evaluatePolicy(new ReachEnv(targets, createRng(9)), (o) => learner.act(o, false), 10);
    const rng = createRng(4);
    const random = await evaluatePolicy(new ReachEnv(targets, createRng(9)), (o) => o.map(() => [rng.uniform(-0.2, 0.2)]), 10);
    learner.dispose();
    // Optimal return ≈ −(a few steps of approach); random ≈ −20·0.6 per agent.
    assert.ok(trained.meanReward > random.meanReward + 5 * targets.length, `trained ${trained.meanReward} vs random ${random.meanReward}`);
    assert.ok(trained.meanReward > -3.5 * targets.length, `trained ${trained.meanReward}`);
  });
}

void test('d3qn and ppo run their updates with finite losses on S3 / S2 and are deterministic per seed', () => {
  const run = (algo: AlgoName, id: 's3' | 's2', seed: number) => {
    const env = makeEnv(id, 1, { horizon: 10 });
    const l = createLearner(algo, tf, env.spec, createRng(seed), algo === 'd3qn' ? { learnStart: 20, batch: 16 } : { rollout: 20, minibatch: 10, epochs: 2 });
    const curve = runTraining({ envs: [env], learner: l, episodes: 4 });
    l.dispose();
    return curve;
  };
  for (const [algo, id] of [['d3qn', 's3'], ['ppo', 's2']] as const) {
    const a = run(algo, id, 1);
    const b = run(algo, id, 1);
    assert.deepEqual(a, b, algo);
    // PPO updates once per full rollout, so some episodes have no loss (NaN); none may be ±Infinity.
    assert.ok(a.filter((s) => Number.isFinite(s.criticLoss)).length >= 2, `${algo} ${JSON.stringify(a)}`);
    assert.ok(a.every((s) => Number.isFinite(s.criticLoss) || Number.isNaN(s.criticLoss)));
  }
});

void test('checkpoint → restore reproduces the greedy actions exactly', () => {
  const env = makeEnv('s3', 1, { horizon: 10 });
  const a = createLearner('maddpg', tf, env.spec, createRng(1), { warmupSteps: 10, learnStart: 10, batch: 16 });
  runTraining({ envs: [env], learner: a, episodes: 3 });
  const b = createLearner('maddpg', tf, env.spec, createRng(99));
  b.restore(JSON.parse(JSON.stringify(a.checkpoint())));
  const obs = [[10, 10, 12], [40, 5, 18], [25, 25, 15], [0, 50, 10]];
  assert.deepEqual(b.act(obs, false), a.act(obs, false));
  const c = createLearner('maddpg', tf, env.spec, createRng(99));
  assert.notDeepEqual(c.act(obs, false), a.act(obs, false));
  [a, b, c].forEach((l) => l.dispose());
});

void test('exported TD3 actor: onnxruntime equals the tfjs policy within 1e-5 on 1000 seeded observations; metadata decodes', async () => {
  const env = makeEnv('s2', 1, { horizon: 10 });
  const l = createLearner('td3', tf, env.spec, createRng(3), { warmupSteps: 20, learnStart: 20, batch: 16 });
  runTraining({ envs: [env], learner: l, episodes: 3 });
  const [file] = buildPolicyFiles(l.exportActors(), env.spec, 'td3', { gamma: 0.98 }, 'abc123');
  assert.ok(file);
  const meta = decodePolicyMetadata(readOnnxMetadata(file.bytes).metadata);
  assert.ok(meta.ok);
  assert.equal(meta.value.agent, 'shared');
  assert.equal(meta.value.envHash, envHash(env.spec.config));
  assert.equal(meta.value.actionSpec.kind, 'velocity');
  const s = env.spec.space;
  const rng = createRng(17);
  const N = 1000, w = s.obsNames.length, a = s.actNames.length;
  const obs = Array.from({ length: N }, () => s.obsLow.map((lo, i) => rng.uniform(lo, s.obsHigh[i]!)));
  const session = await ort.InferenceSession.create(file.bytes);
  const y = (await session.run({ obs: new ort.Tensor('float32', Float32Array.from(obs.flat()), [N, w]) })).action!.data as Float32Array;
  await session.release();
  let maxRel = 0;
  const actor = l.exportActors()[0]!;
  for (let r = 0; r < N; r++) {
    const tfAct = l.act([obs[r]!], false)[0]!;
    const ref = mlpForward(actor.layers, obs[r]!, actor);
    for (let d = 0; d < a; d++) {
      // Relative to the action range (S2 mixes [0, 1] ratios and ±25 m/s velocities).
      const range = s.actHigh[d]! - s.actLow[d]!;
      maxRel = Math.max(maxRel, Math.abs(y[r * a + d]! - tfAct[d]!) / range, Math.abs(ref[d]! - y[r * a + d]!) / range);
    }
  }
  l.dispose();
  assert.ok(maxRel <= 1e-5, `max |onnx − tfjs| / range = ${maxRel}`);
});

void test('trainPolicy: same seed, same curve and bytes; report and per-UAV actors for MADDPG', async () => {
  const go = () => trainPolicy({ algo: 'maddpg', env: 's3', episodes: 3, seed: 4, envOverrides: { horizon: 8 }, algoOverrides: { warmupSteps: 8, learnStart: 8, batch: 8 }, evalEpisodes: 1, log: () => {} });
  const a = await go();
  const b = await go();
  assert.deepEqual(a.curve, b.curve);
  assert.deepEqual(a.files.map((f) => Buffer.from(f.bytes).toString('base64')), b.files.map((f) => Buffer.from(f.bytes).toString('base64')));
  assert.deepEqual(a.files.map((f) => f.suffix), ['.uav0.onnx', '.uav1.onnx', '.uav2.onnx', '.uav3.onnx']);
  assert.equal(a.report.envSteps, 24);
  assert.equal(a.report.backend, backendName);
  const meta = decodePolicyMetadata(readOnnxMetadata(a.files[2]!.bytes).metadata);
  assert.ok(meta.ok);
  assert.equal(meta.value.agent, '2');
  assert.equal(meta.value.numAgents, 4);
  assert.equal(meta.value.actionSpec.kind, 'displacement');
});

void test('trainPolicy with model selection: a validation score per episode, the best policy kept and reproducible', async () => {
  const select = { everyEpisodes: 1, slots: 12, envSeed: 77 };
  const ckpts: Checkpoint[] = [];
  const out = await trainPolicy({
    algo: 'maddpg', env: 's3', episodes: 4, seed: 5, envOverrides: { users: 6, horizon: 8 }, algoOverrides: { warmupSteps: 8, learnStart: 8, batch: 8 },
    evalEpisodes: 1, log: () => {}, select, onCheckpoint: (c) => ckpts.push(c),
  });
  const last = ckpts.at(-1)!;
  assert.deepEqual(last.validation!.map((v) => v.episode), [1, 2, 3, 4]);
  const top = Math.max(...last.validation!.map((v) => v.total));
  assert.equal(last.best!.total, top);
  assert.equal(out.report.selected!.episode, last.best!.episode);
  // The kept state is the policy that scored: flying it again on the validation env gives its score.
  const spec = makeEnv('s3', 1, last.envOverrides).spec;
  const l = createLearner('maddpg', tf, spec, createRng(1), last.algoOverrides);
  l.restore(last.best!.learner);
  const again = rolloutObjective(makeEnv('s3', select.envSeed, { ...last.envOverrides, horizon: select.slots }), (o) => l.act(o, false));
  l.dispose();
  assert.equal(again.length, select.slots);
  assert.ok(Math.abs(again.reduce((a, b) => a + b, 0) - top) < 1e-9);
});
