import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { createRng, type Rng } from '../rng.ts';
import {
  exportMlp, readOnnxMetadata, tryReadOnnxMetadata, mlpForward, encodePolicyMetadata, decodePolicyMetadata, envHash,
  MlpShapeError, type MlpLayer, type PolicyMetadata,
} from './index.ts';

await tf.setBackend('cpu');

function randomLayers(rng: Rng, sizes: number[], acts: MlpLayer['activation'][]): MlpLayer[] {
  return acts.map((activation, k) => {
    const [nin, nout] = [sizes[k]!, sizes[k + 1]!];
    const lim = Math.sqrt(6 / (nin + nout));
    return {
      shape: [nin, nout],
      weights: Float32Array.from({ length: nin * nout }, () => rng.uniform(-lim, lim)),
      bias: Float32Array.from({ length: nout }, () => rng.uniform(-0.1, 0.1)),
      activation,
    };
  });
}

/** The same MLP as a tfjs model (the trainer's side of the parity check). */
function tfModel(layers: MlpLayer[]): tf.Sequential {
  const m = tf.sequential();
  layers.forEach((l, k) => {
    m.add(tf.layers.dense({ units: l.shape[1], activation: l.activation === 'none' ? 'linear' : l.activation, ...(k === 0 ? { inputShape: [l.shape[0]] } : {}) }));
  });
  m.setWeights(layers.flatMap((l) => [tf.tensor2d(l.weights, l.shape), tf.tensor1d(l.bias)]));
  return m;
}

async function runOrt(bytes: Uint8Array, input: string, output: string, x: Float32Array, n: number, width: number): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  const res = await session.run({ [input]: new ort.Tensor('float32', x, [n, width]) });
  const out = res[output]!.data as Float32Array;
  await session.release();
  return out;
}

const N = 1000;
const observations = (rng: Rng, lo: number[], hi: number[]) => Float32Array.from({ length: N * lo.length }, (_, i) => rng.uniform(lo[i % lo.length]!, hi[i % lo.length]!));

void test('actor 3→64→64→3 with tanh output scaling: onnxruntime equals tfjs within 1e-5 on 1000 seeded observations', async () => {
  const rng = createRng(7);
  const layers = randomLayers(rng, [3, 64, 64, 3], ['relu', 'relu', 'tanh']);
  // S3 observation: position in a 50 m × 50 m × [10, 20] m box, normalised to [-1, 1]; action = displacement ≤ v_max·ΔT per axis.
  const lo = [0, 0, 10], hi = [50, 50, 20];
  const inputScale = lo.map((l, i) => 2 / (hi[i]! - l));
  const inputOffset = lo.map((l, i) => -1 - l * inputScale[i]!);
  const outputScale = [1.73, 1.73, 1.73];
  const bytes = exportMlp({ layers, inputName: 'obs', outputName: 'action', opset: 13, irVersion: 8, metadata: { 'uavmec.algo': 'maddpg' }, inputScale, inputOffset, outputScale });
  const x = observations(rng, lo, hi);
  const onnxOut = await runOrt(bytes, 'obs', 'action', x, N, 3);

  const model = tfModel(layers);
  const tfOut = tf.tidy(() => {
    const xn = tf.add(tf.mul(tf.tensor2d(x, [N, 3]), tf.tensor1d(inputScale)), tf.tensor1d(inputOffset));
    return tf.mul(model.predict(xn) as tf.Tensor, tf.tensor1d(outputScale)).dataSync() as Float32Array;
  });
  model.dispose();
  assert.equal(onnxOut.length, N * 3);
  let maxErr = 0;
  for (let i = 0; i < onnxOut.length; i++) maxErr = Math.max(maxErr, Math.abs(onnxOut[i]! - tfOut[i]!));
  assert.ok(maxErr <= 1e-5, `max |onnx − tfjs| = ${maxErr}`);
  // And against the float64 reference forward pass (independent of both runtimes).
  for (let r = 0; r < N; r += 37) {
    const ref = mlpForward(layers, x.subarray(r * 3, r * 3 + 3), { inputScale, inputOffset, outputScale });
    for (let j = 0; j < 3; j++) assert.ok(Math.abs(ref[j]! - onnxOut[r * 3 + j]!) <= 1e-5);
  }
  // The outputs are not trivially equal (saturated or zero): the check can fail.
  const spread = Math.max(...onnxOut) - Math.min(...onnxOut);
  assert.ok(spread > 0.5, `outputs too flat (${spread})`);
});

void test('MatMul+Add variant, every opset 13–17, linear output and input offset only: all load and match the reference', async () => {
  const rng = createRng(11);
  const layers = randomLayers(rng, [5, 16, 4], ['tanh', 'none']);
  const x = observations(rng, [-1, -1, -1, -1, -1], [1, 1, 1, 1, 1]);
  for (const opset of [13, 14, 15, 16, 17]) {
    for (const linear of ['gemm', 'matmul'] as const) {
      const inputOffset = [0.5, -0.5, 0, 1, 2];
      const bytes = exportMlp({ layers, inputName: 'x', outputName: 'y', opset, irVersion: 7, linear, inputOffset });
      const out = await runOrt(bytes, 'x', 'y', x, N, 5);
      for (let r = 0; r < N; r += 97) {
        const ref = mlpForward(layers, x.subarray(r * 5, r * 5 + 5), { inputOffset });
        for (let j = 0; j < 4; j++) assert.ok(Math.abs(ref[j]! - out[r * 4 + j]!) <= 1e-5, `opset ${opset} ${linear}`);
      }
      const info = readOnnxMetadata(bytes);
      assert.equal(info.opset, opset);
      assert.equal(info.irVersion, 7);
      assert.deepEqual(info.ops, linear === 'gemm' ? ['Add', 'Gemm', 'Tanh'] : ['Add', 'MatMul', 'Tanh']);
    }
  }
});

void test('a transposed weight matrix is detected by the parity check (the test can fail)', async () => {
  const rng = createRng(3);
  const layers = randomLayers(rng, [4, 4, 2], ['relu', 'none']);
  const l0 = layers[0]!;
  const t = new Float32Array(16);
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) t[j * 4 + i] = l0.weights[i * 4 + j]!;
  const wrong = [{ ...l0, weights: t }, layers[1]!];
  const x = observations(rng, [-1, -1, -1, -1], [1, 1, 1, 1]);
  const out = await runOrt(exportMlp({ layers: wrong }), 'obs', 'action', x, N, 4);
  let maxErr = 0;
  for (let r = 0; r < N; r++) {
    const ref = mlpForward(layers, x.subarray(r * 4, r * 4 + 4));
    for (let j = 0; j < 2; j++) maxErr = Math.max(maxErr, Math.abs(ref[j]! - out[r * 2 + j]!));
  }
  assert.ok(maxErr > 1e-2);
});

void test('readOnnxMetadata returns names, shapes, metadata; onnxruntime sees the same metadata', async () => {
  const rng = createRng(5);
  const layers = randomLayers(rng, [3, 8, 3], ['relu', 'tanh']);
  const meta = { 'uavmec.algo': 'td3', 'uavmec.git_commit': 'abc', 'unicode ✓': 'ΔT·v_max' };
  const bytes = exportMlp({ layers, inputName: 'pos', outputName: 'disp', metadata: meta });
  const info = readOnnxMetadata(bytes);
  assert.equal(info.irVersion, 8);
  assert.equal(info.opset, 13);
  assert.equal(info.producerName, 'uavmec');
  assert.deepEqual(info.metadata, meta);
  assert.deepEqual(info.inputs, [{ name: 'pos', elemType: 1, shape: ['batch', 3] }]);
  assert.deepEqual(info.outputs, [{ name: 'disp', elemType: 1, shape: ['batch', 3] }]);
  const session = await ort.InferenceSession.create(bytes);
  assert.deepEqual([...session.inputNames], ['pos']);
  assert.deepEqual([...session.outputNames], ['disp']);
  await session.release();
});

void test('malformed bytes and bad shapes are rejected', () => {
  const r = tryReadOnnxMetadata(new Uint8Array([0xff, 0xff, 0xff, 0x0f, 0x01]));
  assert.equal(r.ok, false);
  assert.equal(tryReadOnnxMetadata(new Uint8Array(0)).ok, false);
  const rng = createRng(1);
  const layers = randomLayers(rng, [3, 4, 2], ['relu', 'none']);
  assert.throws(() => exportMlp({ layers: [layers[1]!, layers[0]!] }), MlpShapeError);
  assert.throws(() => exportMlp({ layers, inputScale: [1, 2] }), MlpShapeError);
  assert.throws(() => exportMlp({ layers, opset: 12 }), RangeError);
  assert.throws(() => exportMlp({ layers, irVersion: 9 }), RangeError);
});

const sampleMeta = (): PolicyMetadata => ({
  algo: 'maddpg', env: 's3',
  obsSpec: { names: ['x', 'y', 'z'], low: [0, 0, 10], high: [50, 50, 20] },
  actionSpec: { kind: 'displacement', units: 'm', names: ['dx', 'dy', 'dz'], low: [-1, -1, -1], high: [1, 1, 1], motion: [0, 1, 2] },
  obsNorm: { scale: [0.04, 0.04, 0.2], offset: [-1, -1, -3], inGraph: true },
  training: { gamma: 0.95, episodes: 10 }, gitCommit: 'deadbeef', envHash: envHash({ a: 1 }), agent: '2', numAgents: 4,
});

void test('policy metadata round-trips through the ONNX file and validation rejects broken entries', () => {
  const m = sampleMeta();
  const layers = randomLayers(createRng(2), [3, 4, 3], ['relu', 'tanh']);
  const info = readOnnxMetadata(exportMlp({ layers, metadata: encodePolicyMetadata(m) }));
  const back = decodePolicyMetadata(info.metadata);
  assert.ok(back.ok);
  assert.deepEqual(back.value, m);
  const props = encodePolicyMetadata(m);
  const missing = { ...props };
  delete missing['uavmec.obs_spec'];
  assert.deepEqual(decodePolicyMetadata(missing), { ok: false, reason: 'metadata_missing', detail: 'uavmec.obs_spec' });
  const badLen = { ...props, 'uavmec.obs_spec': JSON.stringify({ names: ['x'], low: [0, 1], high: [1] }) };
  assert.equal(decodePolicyMetadata(badLen).ok, false);
  const badKind = { ...props, 'uavmec.action_spec': props['uavmec.action_spec']!.replace('displacement', 'teleport') };
  assert.equal(decodePolicyMetadata(badKind).ok, false);
  assert.equal(decodePolicyMetadata({ ...props, 'uavmec.training': '[1]' }).ok, false);
});

void test('envHash is stable under key order and sensitive to values', () => {
  assert.equal(envHash({ a: 1, b: { c: [1, 2], d: 'x' } }), envHash({ b: { d: 'x', c: [1, 2] }, a: 1 }));
  assert.notEqual(envHash({ a: 1 }), envHash({ a: 2 }));
  assert.match(envHash({}), /^[0-9a-f]{16}$/);
});
