import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import train from '../cli/commands/train.ts';
import evaluate from '../cli/commands/evaluate.ts';
import { UsageError } from '../cli/command.ts';
import { decodePolicyMetadata, readOnnxMetadata } from '../../core/onnx/index.ts';
import type { Checkpoint } from './session.ts';

/** Captures console.log lines while `fn` runs. */
async function capture(fn: () => Promise<number>): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => void out.push(a.map(String).join(' '));
  try {
    return { code: await fn(), out };
  } finally {
    console.log = log;
  }
}

void test('help texts document every option with defaults and an example', () => {
  for (const opt of ['--env', '--episodes', '--seed', '--out', '--resume', '--checkpoint-every', '--copies', '--algo-config', 'default', 'Example']) assert.ok(train.help.includes(opt), opt);
  for (const opt of ['--model', '--policy', '--env', '--episodes', '--seed', '--planner', 'default', 'Example']) assert.ok(evaluate.help.includes(opt), opt);
});

void test('usage errors: unknown algo, bad --out, bad JSON', async () => {
  await assert.rejects(train.run(['sarsa']), UsageError);
  await assert.rejects(train.run(['td3', '--out', 'x.bin']), UsageError);
  await assert.rejects(train.run(['td3', '--algo-config', '{oops']), UsageError);
  await assert.rejects(evaluate.run([]), UsageError);
});

void test('train writes actors, report, SVG and checkpoint; evaluate reads them; resume continues', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'uavmec-train-'));
  try {
    const out = join(dir, 's3-maddpg.onnx');
    const args = ['maddpg', '--env', 's3', '--episodes', '2', '--horizon', '6', '--seed', '3', '--out', out, '--quiet', '--algo-config', '{"warmupSteps":6,"learnStart":6,"batch":6}'];
    const r = await capture(() => train.run(args));
    assert.equal(r.code, 0);
    for (let k = 0; k < 4; k++) assert.ok(existsSync(join(dir, `s3-maddpg.uav${k}.onnx`)));
    const report = JSON.parse(readFileSync(join(dir, 's3-maddpg.json'), 'utf8')) as { curve: unknown[]; backend: string; envSteps: number; files: string[]; selected?: { episode: number; validationSlots: number }; trainingCpuTimeS: number };
    assert.equal(report.curve.length, 2);
    assert.ok(report.selected && [1, 2].includes(report.selected.episode), 'S3 learners: model selection by default');
    assert.equal(report.selected.validationSlots, 500);
    assert.ok(report.trainingCpuTimeS > 0);
    assert.equal(report.envSteps, 12);
    assert.ok(readFileSync(join(dir, 's3-maddpg.svg'), 'utf8').startsWith('<svg'));
    const meta = decodePolicyMetadata(readOnnxMetadata(readFileSync(join(dir, 's3-maddpg.uav1.onnx'))).metadata);
    assert.ok(meta.ok && meta.value.agent === '1' && meta.value.algo === 'maddpg');

    const ev = await capture(() => evaluate.run(['--model', out, '--episodes', '2']));
    assert.equal(ev.code, 0);
    const res = JSON.parse(ev.out.at(-1)!) as { env: string; meanDor: number; meanReward: number; notes: string[] };
    assert.equal(res.env, 's3');
    assert.ok(res.meanDor >= 0 && res.meanDor <= 10);
    assert.deepEqual(res.notes, []);

    const resumed = await capture(() => train.run(['--resume', join(dir, 's3-maddpg.ckpt.json'), '--episodes', '3', '--out', out, '--quiet']));
    assert.equal(resumed.code, 0);
    const after = JSON.parse(readFileSync(join(dir, 's3-maddpg.json'), 'utf8')) as { curve: { episode: number }[] };
    assert.deepEqual(after.curve.map((c) => c.episode), [0, 1, 2]);
    const ckpt = JSON.parse(readFileSync(join(dir, 's3-maddpg.ckpt.json'), 'utf8')) as Checkpoint;
    assert.deepEqual(ckpt.validation!.map((v) => v.episode), [1, 2, 3], 'a resumed run keeps validating');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('evaluate baselines: random trajectory and AL planner (DOR exactly 0)', async () => {
  const al = await capture(() => evaluate.run(['--policy', 'hover', '--env', 's3', '--episodes', '1', '--planner', 'al']));
  assert.equal((JSON.parse(al.out.at(-1)!) as { meanDor: number }).meanDor, 0);
  const rt = await capture(() => evaluate.run(['--policy', 'rt', '--env', 's3', '--episodes', '1']));
  assert.ok((JSON.parse(rt.out.at(-1)!) as { meanDor: number }).meanDor > 0);
});
