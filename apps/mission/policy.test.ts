import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { profileEnvelope } from '../agent/profile/index.ts';
import { uavProfile } from '../../sim/world/index.ts';
import { envelopeMissesBox, preparePolicyMission, comparePolicyRun, POLICY_MISSION_DEFAULT_SLOTS } from './policy.ts';
import { loadPolicyModel, policyModelBase } from './policy-model.ts';
import { predictInEnv } from './policy-eval.ts';
import type { SlotMetrics } from '../controller/metrics.ts';

const sha = (f: string) => createHash('sha256').update(fs.readFileSync(f)).digest('hex');

test('the committed S3 model: one actor per UAV, by sha256, with its training env', () => {
  const r = loadPolicyModel('models/s3-maddpg.onnx');
  assert.ok(r.ok, r.ok ? '' : r.detail);
  const m = r.value;
  assert.equal(m.base, 'models/s3-maddpg');
  assert.equal(m.dir, path.resolve('models'));
  assert.deepEqual(m.actors.map((a) => [a.uavId, a.agent, a.file, a.sha256]), [0, 1, 2, 3].map((k) => [k + 1, String(k), `models/s3-maddpg.uav${k}.onnx`, sha(`models/s3-maddpg.uav${k}.onnx`)]));
  assert.equal(m.env.uavs, 4);
  assert.equal(m.env.areaM, 50);
  for (const [k, v] of Object.entries(m.envOverrides)) assert.deepEqual((m.env as unknown as Record<string, unknown>)[k], v, `override ${k} applied`);
  assert.equal(policyModelBase('models/s3-maddpg.uav2.onnx'), 'models/s3-maddpg');
});

test('what is not an S3 trajectory model is a clear error that says what to do', () => {
  const missing = loadPolicyModel('models/nope');
  assert.ok(!missing.ok && missing.reason === 'model_missing' && /uavmec train maddpg --env s3/.test(missing.detail ?? ''), JSON.stringify(missing));
  const s2 = loadPolicyModel('models/s2-td3');
  assert.ok(!s2.ok && s2.reason === 'unsupported_env' && /'s2'/.test(s2.detail ?? ''), JSON.stringify(s2));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uavmec-model-'));
  fs.writeFileSync(path.join(dir, 'x.uav0.onnx'), Buffer.from('not an onnx file at all'));
  const bad = loadPolicyModel(path.join(dir, 'x'));
  assert.ok(!bad.ok && bad.reason === 'model_invalid', JSON.stringify(bad));
  // Three of four actors is not the model.
  for (const k of [0, 1, 2]) fs.copyFileSync(`models/s3-maddpg.uav${k}.onnx`, path.join(dir, `y.uav${k}.onnx`));
  const partial = loadPolicyModel(path.join(dir, 'y'));
  assert.ok(!partial.ok && partial.reason === 'model_invalid' && /3 actor files for a 4-agent model/.test(partial.detail ?? ''), JSON.stringify(partial));
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the policy mission\'s envelope contains the env\'s box; the planner\'s would not', () => {
  const r = preparePolicyMission('models/s3-maddpg', { seed: 2, slots: 5 });
  assert.ok(r.ok, r.ok ? '' : r.detail);
  const { scenario, envelope, homeOffsetsM, trajectory, model } = r.value;
  assert.equal(envelopeMissesBox({ ...profileEnvelope(uavProfile(scenario, 1, 0), 1), ...envelope }, scenario), undefined);
  assert.match(envelopeMissesBox(profileEnvelope(uavProfile(scenario, 1, 0), 1), scenario) ?? '', /altitude band/, 'a ceiling at H_max leaves no margin inside the box');
  assert.deepEqual(homeOffsetsM, scenario.uavStarts!.map((p) => ({ northM: p[1], eastM: p[0] })));
  assert.deepEqual(trajectory.models, Object.fromEntries(model.actors.map((a) => [a.uavId, a.sha256])));
  assert.equal(scenario.slots, 5);
  const d = preparePolicyMission('models/s3-maddpg', { seed: 2 });
  assert.ok(d.ok && d.value.scenario.slots === Math.min(POLICY_MISSION_DEFAULT_SLOTS, d.value.model.env.horizon), 'default slots: 100, at most the env\'s horizon');
});

test('env prediction and the flight-vs-env comparison align on moves flown', async () => {
  const r = preparePolicyMission('models/s3-maddpg', { seed: 2, slots: 4 });
  assert.ok(r.ok);
  const p = await predictInEnv(r.value.model, { seed: 2, slots: 4, episodes: 2 });
  assert.ok(p.ok, p.ok ? '' : p.detail);
  assert.equal(p.value.perSlotDor.length, 4);
  assert.deepEqual(p.value.positions[0], r.value.scenario.uavStarts, 'positions after 0 moves = the start');
  const slots = [0, 1, 2, 3].map((k) => ({ slot: k, dor: k, predictedDor: k + 0.5 }) as unknown as SlotMetrics);
  // Flown = the env's positions shifted 1 m east.
  const flown = p.value.positions.map((ps) => new Map(ps.map((q, i) => [i + 1, [q[0] + 1, q[1], q[2]] as [number, number, number]])));
  const c = comparePolicyRun(r.value, p.value, slots, flown);
  assert.equal(c.rows[0]!.envDor, null);
  assert.deepEqual(c.rows.slice(1).map((x) => x.envDor), p.value.perSlotDor.slice(0, 3));
  assert.ok(c.rows.every((x) => Math.abs(x.positionErrorM! - 1) < 1e-9));
  assert.equal(c.meanFlownDor, 2);
  assert.equal(c.meanPlannedDor, 2.5);
  assert.deepEqual(c.rows.slice(1).map((x) => x.oracleDor), p.value.oracle.perSlotDor.slice(0, 3), 'oracle rows align on moves like the env rows');
  assert.ok(p.value.oracle.placementDorPerSlot > 0 && p.value.oracle.arrivalSlots > 0);
  assert.ok(Math.abs(c.flownVsOracle - 2 / c.meanOracleDor) < 1e-12);
  assert.equal(c.model.actors.length, 4);
});
