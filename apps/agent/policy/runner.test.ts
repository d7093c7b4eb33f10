import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createRng, type Rng } from '../../../core/rng.ts';
import { exportMlp, encodePolicyMetadata, mlpForward, envHash, type MlpLayer, type PolicyMetadata } from '../../../core/onnx/index.ts';
import { PolicyRunner } from './runner.ts';
import { verifyModel } from './verify.ts';

function layers(rng: Rng, sizes: number[], acts: MlpLayer['activation'][], scale = 1): MlpLayer[] {
  return acts.map((activation, k) => {
    const [nin, nout] = [sizes[k]!, sizes[k + 1]!];
    const lim = Math.sqrt(6 / (nin + nout)) * scale;
    return {
      shape: [nin, nout],
      weights: Float32Array.from({ length: nin * nout }, () => rng.uniform(-lim, lim)),
      bias: Float32Array.from({ length: nout }, () => rng.uniform(-0.1, 0.1)),
      activation,
    };
  });
}

const meta = (over: Partial<PolicyMetadata> = {}): PolicyMetadata => ({
  algo: 'maddpg', env: 's3',
  obsSpec: { names: ['x', 'y', 'z'], low: [0, 0, 10], high: [50, 50, 20] },
  actionSpec: { kind: 'displacement', units: 'm', names: ['dx', 'dy', 'dz'], low: [-1.73, -1.73, -1.73], high: [1.73, 1.73, 1.73], motion: [0, 1, 2] },
  obsNorm: { scale: [0.04, 0.04, 0.2], offset: [-1, -1, -3], inGraph: false },
  training: { gamma: 0.95 }, gitCommit: 'test', envHash: envHash({ s: 3 }), agent: '1', numAgents: 4,
  ...over,
});

/** An S3 actor 3→64→64→3 (tanh output scaled to ±1.73 m per slot). */
function actor(seed: number, m: PolicyMetadata = meta(), scale = 1) {
  const ls = layers(createRng(seed), [3, 64, 64, 3], ['relu', 'relu', 'tanh'], scale);
  const outputScale = [1.73, 1.73, 1.73];
  const bytes = exportMlp({ layers: ls, outputScale, metadata: encodePolicyMetadata(m) });
  return { bytes, ls, outputScale };
}

void test('load + step: matches the reference forward pass, ENU→NED, displacement/slot → velocity', async () => {
  const { bytes, ls, outputScale } = actor(1);
  const r = new PolicyRunner({ slotS: 2, expect: { env: 's3', agent: '1' } });
  const l = await r.load(bytes);
  assert.ok(l.ok, l.ok ? '' : `${l.reason} ${l.detail}`);
  assert.equal(l.value.hash, createHash('sha256').update(bytes).digest('hex'));
  assert.equal(r.activeHash(), l.value.hash);
  const rng = createRng(9);
  for (let k = 0; k < 50; k++) {
    const raw = [rng.uniform(0, 50), rng.uniform(0, 50), rng.uniform(10, 20)];
    const s = await r.step(raw);
    assert.ok(s.ok);
    // Independent reference: normalise by hand, float64 forward pass.
    const ref = mlpForward(ls, raw.map((x, i) => x * meta().obsNorm.scale[i]! + meta().obsNorm.offset[i]!), { outputScale });
    for (let i = 0; i < 3; i++) assert.ok(Math.abs(s.value.action[i]! - ref[i]!) < 1e-4, `action ${i}: ${s.value.action[i]} vs ${ref[i]}`);
    const v = s.value.desired.velocityMS;
    assert.ok(Math.abs(v.x - ref[1]! / 2) < 1e-4 && Math.abs(v.y - ref[0]! / 2) < 1e-4 && Math.abs(v.z + ref[2]! / 2) < 1e-4);
    assert.deepEqual(s.value.reasons, []);
  }
  await r.close();
});

void test('velocity actions map 1:1 (ENU→NED); out-of-box observations are clipped and reported', async () => {
  const m = meta({ actionSpec: { kind: 'velocity', units: 'm/s', names: ['ve', 'vn', 'vu'], low: [-5, -5, -5], high: [5, 5, 5], motion: [0, 1, 2] } });
  const { bytes } = actor(2, m);
  const r = new PolicyRunner({ slotS: 1 });
  assert.ok((await r.load(bytes)).ok);
  const a = await r.step([60, 25, 15]);
  const b = await r.step([50, 25, 15]);
  assert.ok(a.ok && b.ok);
  assert.deepEqual(a.value.reasons, ['obs_clipped:x']);
  assert.deepEqual(a.value.action, b.value.action);
  assert.equal(a.value.desired.velocityMS.x, a.value.action[1]);
  assert.equal(a.value.desired.velocityMS.z, -a.value.action[2]!);
  const bad = await r.step([NaN, 1, 12]);
  assert.equal(!bad.ok && bad.reason, 'bad_observation');
  const short = await r.step([1, 2]);
  assert.equal(!short.ok && short.reason, 'bad_observation');
  await r.close();
});

void test('verification refuses broken or foreign models; the last good model stays active', async () => {
  const good = actor(3).bytes;
  const r = new PolicyRunner({ slotS: 1, expect: { env: 's3', agent: '1' } });
  assert.equal(!(await r.step([1, 1, 12])).ok && 'no_model', 'no_model');
  assert.ok((await r.load(good)).ok);
  const h = r.activeHash();
  const cases: [Uint8Array, string][] = [
    [new Uint8Array([1, 2, 3, 4, 5]), 'onnx_invalid'],
    [exportMlp({ layers: layers(createRng(4), [3, 8, 3], ['relu', 'tanh']) }), 'metadata_missing'],
    [exportMlp({ layers: layers(createRng(4), [4, 8, 3], ['relu', 'tanh']), metadata: encodePolicyMetadata(meta()) }), 'shape_mismatch'],
    [actor(5, meta({ env: 's2' })).bytes, 'unexpected_model'],
    [actor(5, meta({ agent: '3' })).bytes, 'unexpected_model'],
    // Weights so large that the hidden layers overflow float32 → Inf·0 = NaN on the smoke probes.
    [actor(6, meta(), 1e30).bytes, 'smoke_failed'],
  ];
  for (const [bytes, reason] of cases) {
    const l = await r.load(bytes);
    assert.equal(l.ok, false);
    assert.equal(!l.ok && l.reason, reason, !l.ok ? l.detail : '');
    assert.equal(r.activeHash(), h, 'last good model still active');
  }
  assert.ok((await r.step([10, 10, 12])).ok);
  // A 'shared' actor is accepted for any agent.
  assert.ok((await verifyModel(actor(7, meta({ agent: 'shared' })).bytes, { agent: '1' })).ok);
  // Reloading the same bytes is a no-op.
  assert.deepEqual(await r.load(good), { ok: true, value: { hash: h, active: true } });
  await r.close();
});

void test('a new model replaces the active one; run-time failure reverts to the previous good model and refuses it', async () => {
  const r = new PolicyRunner({ slotS: 1 });
  const a = actor(10).bytes;
  // A model that passes the smoke probes (low/mid/high of obs_spec) but overflows for other inputs.
  const m = meta({ obsNorm: { scale: [1, 1, 1], offset: [0, 0, 0], inGraph: false } });
  // A triangle bump on x over [30, 40] (0 elsewhere, exactly), times 1e38: Inf near x = 35 only.
  const ls: MlpLayer[] = [
    { shape: [3, 3], weights: Float32Array.from([1, 1, 1, 0, 0, 0, 0, 0, 0]), bias: Float32Array.from([-30, -35, -40]), activation: 'relu' },
    { shape: [3, 1], weights: Float32Array.from([1, -2, 1]), bias: Float32Array.from([0]), activation: 'none' },
    { shape: [1, 3], weights: Float32Array.from([1e38, 1e38, 1e38]), bias: Float32Array.from([0, 0, 0]), activation: 'none' },
  ];
  const trap = exportMlp({ layers: ls, metadata: encodePolicyMetadata(m) });
  assert.ok((await r.load(a)).ok);
  const ha = r.activeHash();
  const lt = await r.load(trap);
  assert.ok(lt.ok, lt.ok ? '' : `${lt.reason} ${lt.detail}`);
  assert.notEqual(r.activeHash(), ha);
  assert.ok((await r.step([20, 10, 15])).ok); // outside the bump: 0
  const f = await r.step([35, 10, 15]); // 5·1e38 overflows float32 → Inf
  assert.equal(!f.ok && f.reason, 'nonfinite_action');
  assert.equal(r.activeHash(), ha, 'reverted to the previous good model');
  assert.deepEqual(r.events.map((e) => e.kind), ['loaded', 'loaded', 'reverted']);
  const again = await r.load(trap);
  assert.equal(!again.ok && again.reason, 'refused');
  assert.ok((await r.step([35, 10, 15])).ok);
  await r.close();
});
