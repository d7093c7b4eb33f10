/**
 * TD3's three mechanisms (SPEC §5.4; Fujimoto et al. 2018) checked through the public Learner API:
 * the critic target uses the min of the twin target critics, the actor and all targets move only
 * every `policyDelay` critic updates, and DDPG (one critic, no delay) does neither.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../../core/rng.ts';
import { makeEnv } from '../../../sim/envs/index.ts';
import { initBackend } from '../backend.ts';
import type { SerializedMlp } from '../nets.ts';
import { createLearner } from './index.ts';

const { tf } = await initBackend(() => {});

interface Ck { nets: { actor: SerializedMlp; actorT: SerializedMlp; critics: SerializedMlp[]; criticsT: SerializedMlp[] }[] }

/** A critic whose output is the constant `c` for every input (last layer W = 0, b = c). */
function constant(m: SerializedMlp, c: number): SerializedMlp {
  const params = m.params.map((p) => [...p]);
  params[params.length - 2] = params[params.length - 2]!.map(() => 0);
  params[params.length - 1] = [c];
  return { ...m, params };
}

function filled(algo: 'td3' | 'ddpg', reward: number) {
  const env = makeEnv('s2', 1, { busy: 1, idle: 1, uavs: 1, horizon: 8 });
  const l = createLearner(algo, tf, env.spec, createRng(5), { warmupSteps: 0, learnStart: 8, batch: 8, rewardScale: 1 });
  let obs = env.reset();
  for (let t = 0; t < 8; t++) {
    const a = l.act(obs, true);
    const r = env.step(a);
    l.observe(obs, a, reward, r.obs, false, r.done);
    obs = r.obs;
  }
  return l;
}

void test('TD3 critic target is r + γ·min(Q1′, Q2′) (twin critics, min of the targets)', () => {
  const l = filled('td3', 1);
  const ck = l.checkpoint() as Ck;
  const n = ck.nets[0]!;
  // Online critics output 0, target critics 10 and 3: every row's target is 1 + 0.98·3.
  n.critics = n.critics.map((c) => constant(c, 0));
  n.criticsT = [constant(n.criticsT[0]!, 10), constant(n.criticsT[1]!, 3)];
  l.restore(ck);
  const st = l.train();
  assert.ok(st);
  // minimize() reports the loss before its step: mean (y − 0)² = (1 + 0.98·3)² for both critics.
  assert.ok(Math.abs(st.criticLoss - (1 + 0.98 * 3) ** 2) < 1e-3, `critic loss ${st.criticLoss}`);
  l.dispose();
});

void test('TD3 updates the actor and the targets every 2nd critic update; DDPG every update', () => {
  const td3 = filled('td3', 1);
  const pattern: boolean[] = [];
  const targetMoved: boolean[] = [];
  for (let k = 0; k < 4; k++) {
    const before = JSON.stringify((td3.checkpoint() as Ck).nets[0]!.criticsT);
    const st = td3.train();
    pattern.push(st?.actorLoss !== undefined);
    targetMoved.push(JSON.stringify((td3.checkpoint() as Ck).nets[0]!.criticsT) !== before);
  }
  assert.deepEqual(pattern, [true, false, true, false]);
  assert.deepEqual(targetMoved, [true, false, true, false]);
  td3.dispose();

  const ddpg = filled('ddpg', 1);
  for (let k = 0; k < 3; k++) assert.notEqual(ddpg.train()?.actorLoss, undefined);
  assert.equal((ddpg.checkpoint() as Ck).nets[0]!.critics.length, 1);
  ddpg.dispose();
});

void test('DDPG critic target uses its single target critic', () => {
  const l = filled('ddpg', 2);
  const ck = l.checkpoint() as Ck;
  const n = ck.nets[0]!;
  n.critics = n.critics.map((c) => constant(c, 0));
  n.criticsT = [constant(n.criticsT[0]!, 10)];
  l.restore(ck);
  const st = l.train();
  assert.ok(st && Math.abs(st.criticLoss - (2 + 0.98 * 10) ** 2) < 1e-2, `critic loss ${st?.criticLoss}`);
  l.dispose();
});
