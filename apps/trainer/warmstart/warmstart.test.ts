import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { createRng } from '../../../core/rng.ts';
import { readOnnxMetadata } from '../../../core/onnx/index.ts';
import { initBackend } from '../backend.ts';
import { evaluateWarmstart, exportWarmstart, predictMembership, proposeStructure, trainWarmstart, warmstartDataset, WARMSTART_FEATURES } from './index.ts';

const { tf } = await initBackend(() => {});

void test('proposeStructure: members above the threshold form one coalition, the rest singletons', () => {
  assert.deepEqual(proposeStructure([3, 5, 8, 9], [0.9, 0.2, 0.5, 0.1]), [[3, 8], [5], [9]]);
  assert.deepEqual(proposeStructure([1, 2], [0.1, 0.2]), [[1], [2]]);
});

void test('dataset is deterministic; labels mark the serving coalition of formation from singletons', () => {
  const a = warmstartDataset(createRng(4), 5);
  const b = warmstartDataset(createRng(4), 5);
  assert.deepEqual(a.map((s) => [s.labels, s.features, s.iterations]), b.map((s) => [s.labels, s.features, s.iterations]));
  for (const s of a) {
    assert.equal(s.features[0]!.length, WARMSTART_FEATURES.length);
    assert.ok(s.labels.some((y) => y === 1) === s.value > 0);
  }
});

void test('trained model halves formation iterations on held-out requests at the same stable value (S0 Fig. 8)', async () => {
  const train = warmstartDataset(createRng(1), 120);
  const held = warmstartDataset(createRng(2), 40);
  const { model } = trainWarmstart(tf, train, createRng(3), { hidden: [32, 32], epochs: 40, batch: 64, lr: 3e-3 });
  const e = evaluateWarmstart(model, held);
  assert.ok(e.meanIterationsWarm < 0.7 * e.meanIterationsCold, JSON.stringify(e));
  assert.ok(e.meanValueRatio > 0.99, JSON.stringify(e));
  assert.ok(e.accuracy > 0.8, JSON.stringify(e));
  // An uninformed model (all probabilities 0: the cold start) gives no reduction: the check can fail.
  const cold = evaluateWarmstart({ layers: model.layers.map((l, k) => (k === model.layers.length - 1 ? { ...l, weights: new Float32Array(l.weights.length), bias: new Float32Array(l.bias.length).fill(-50) } : l)) }, held);
  assert.equal(cold.meanIterationsWarm, cold.meanIterationsCold);
  // ONNX export: onnxruntime gives the same probabilities.
  const bytes = exportWarmstart(model, { 'uavmec.git_commit': 'test' });
  assert.equal(readOnnxMetadata(bytes).metadata['uavmec.algo'], 'warmstart-membership');
  const s = await ort.InferenceSession.create(bytes);
  const rows = held.flatMap((h) => h.features);
  const out = (await s.run({ features: new ort.Tensor('float32', Float32Array.from(rows.flat()), [rows.length, WARMSTART_FEATURES.length]) })).membership!.data as Float32Array;
  const ref = predictMembership(model, rows);
  ref.forEach((p, i) => assert.ok(Math.abs(p - out[i]!) < 1e-5));
});
