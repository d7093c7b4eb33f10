/**
 * Trains the default warm-start model and writes models/coalition-warmstart.onnx + .json.
 * Run: node --import tsx apps/trainer/warmstart/run.ts [trainRequests=250] [testRequests=100] [seed=1]
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRng } from '../../../core/rng.ts';
import { initBackend } from '../backend.ts';
import { evaluateWarmstart, exportWarmstart, trainWarmstart, warmstartDataset } from './index.ts';

const [nTrain, nTest, seed] = [Number(process.argv[2] ?? 250), Number(process.argv[3] ?? 100), Number(process.argv[4] ?? 1)];
const { tf, name: backend } = await initBackend();
const t0 = performance.now();
const train = warmstartDataset(createRng(seed), nTrain);
const test = warmstartDataset(createRng(seed + 1), nTest);
const options = { hidden: [32, 32], epochs: 60, batch: 64, lr: 3e-3 };
const { model, loss } = trainWarmstart(tf, train, createRng(seed + 2), options);
const wallTimeS = (performance.now() - t0) / 1000;
const evalTrain = evaluateWarmstart(model, train);
const evalTest = evaluateWarmstart(model, test);
let commit = 'unknown';
try {
  commit = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
} catch {
  // outside a checkout
}
const training = { seed, trainRequests: nTrain, testRequests: nTest, uavs: [5, 30], ...options, finalLoss: loss, backend };
writeFileSync('models/coalition-warmstart.onnx', exportWarmstart(model, { 'uavmec.training': JSON.stringify(training), 'uavmec.git_commit': commit }));
const report = { model: 'models/coalition-warmstart.onnx', backend, wallTimeS, training, evalTrain, evalTest };
writeFileSync('models/coalition-warmstart.json', JSON.stringify(report, null, 2) + '\n');
console.log(JSON.stringify(report, null, 2));
