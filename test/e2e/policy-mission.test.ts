/**
 * End-to-end: the trained S3 policy flies a short mission (issue 7 §4) — the committed actors
 * (models/s3-maddpg.uav<k>.onnx, read at run time), SITL ArduCopters standing at the training env's
 * start corners, agents running the actors with onnxruntime inside the safety envelope, the
 * controller sending FLIGHT_MODE_POLICY plans and deciding offloading with CD+KKT — on the
 * embedded broker in lockstep (inference holds the clock), checked against the same actors in the env.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { readRecording } from '../../apps/common/recorder.ts';
import { preparePolicyMission } from '../../apps/mission/policy.ts';
import { runMission } from '../../apps/mission/run.ts';
import { decode, FlightMode, matchTopic, type Event, type Plan, type PlanAck } from '../../proto/index.ts';

const MODEL = 'models/s3-maddpg';
const SLOTS = 8;

test('npm start\'s policy mission: every UAV flies its own trained actor, towards the users, as the env predicts', { timeout: 900_000 }, async (t) => {
  const setup = preparePolicyMission(MODEL, { seed: 3, slots: SLOTS });
  assert.ok(setup.ok, setup.ok ? '' : setup.detail);
  const { scenario, model } = setup.value;
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'uavmec-policy-'));
  const summary = await runMission({ scenario, policy: setup.value, envEpisodes: 2, flavour: 'ardupilot', algo: model.env.planner, runDir, landTimeoutS: 60 });
  const pol = summary.policy!;
  t.diagnostic(`DOR flown ${pol.meanFlownDor.toFixed(2)} vs env ${pol.meanEnvDor.toFixed(2)} per slot; position error mean ${pol.meanPositionErrorM.toFixed(2)} m, max ${pol.maxPositionErrorM.toFixed(2)} m; wall ${summary.wallS.toFixed(1)} s`);

  // Each UAV k+1 flies <base>.uav<k>.onnx: hashes computed here from the files, independently.
  const want = new Map(Array.from({ length: scenario.uavs }, (_, k) => [k + 1, createHash('sha256').update(fs.readFileSync(`${MODEL}.uav${k}.onnx`)).digest('hex')]));
  const rec = readRecording(path.join(runDir, 'mqtt.rec'));
  const of = <T>(key: string) => rec.messages.filter((m) => matchTopic(m.topic)?.spec.key === key).map((m) => {
    const d = decode(matchTopic(m.topic)!.spec.type, m.payload);
    assert.ok(d.ok);
    return d.value as T;
  });
  const slotPlans = of<Plan>('plan').filter((p) => p.planner !== 'launch' && p.planner !== 'mission-end');
  assert.equal(slotPlans.length, SLOTS * scenario.uavs, 'one plan per UAV per slot');
  for (const p of slotPlans) {
    assert.equal(p.flight?.mode, FlightMode.FLIGHT_MODE_POLICY, `UAV ${p.uav_id} slot ${p.slot}: a POLICY plan`);
    assert.equal(p.flight?.model_sha256, want.get(p.uav_id), `UAV ${p.uav_id} slot ${p.slot}: its own actor`);
  }
  const acks = of<PlanAck>('ack');
  for (const p of slotPlans) assert.ok(acks.some((a) => a.uav_id === p.uav_id && a.plan_seq === p.plan_seq && a.accepted), `UAV ${p.uav_id} acked its slot-${p.slot} plan`);
  assert.equal(summary.totals.plansAcked, summary.totals.plansSent, 'every plan acked');
  // The agents loaded and verified the actors (onnxruntime), not a fallback.
  const events = of<Event>('uavEvent');
  for (const [uav, h] of want) assert.ok(events.some((e) => e.header?.sender === `uav-${uav}` && e.code === 'policy.model.loaded' && e.text.startsWith(h.slice(0, 12))), `UAV ${uav} loaded its actor`);
  assert.ok(events.every((e) => !e.code.startsWith('policy.fault') && e.code !== 'policy.fallback'), 'no policy fault or fallback');

  // The fleet moves towards the users: mean horizontal distance to the nearest user drops.
  const users = scenario.userSites!.map((u) => u.pos);
  const nearest = (ps: ([number, number, number] | null)[]) => {
    const d = ps.filter((p) => p !== null).map((p) => Math.min(...users.map((u) => Math.hypot(u[0] - p[0], u[1] - p[1]))));
    assert.equal(d.length, scenario.uavs);
    return d.reduce((a, b) => a + b, 0) / d.length;
  };
  const [first, last] = [nearest(pol.rows[0]!.flownPositions), nearest(pol.rows[SLOTS - 1]!.flownPositions)];
  t.diagnostic(`mean distance to the nearest user: ${first.toFixed(1)} m at slot 0, ${last.toFixed(1)} m at slot ${SLOTS - 1}`);
  assert.ok(last < first - 1, `the UAVs approach the users (${first.toFixed(1)} → ${last.toFixed(1)} m)`);
  // What flies is what was trained: the flown positions follow the env's, slot by slot. In lockstep
  // a UAV lags its env position by the autopilot's dynamics only (≈ 1–3 m; the same on any machine),
  // so the bound per slot is 6 m and on average 3 m; another UAV's actor or a policy that does not
  // fly puts them tens of metres apart.
  const errs = pol.rows.map((r) => r.positionErrorM);
  for (const [k, e] of errs.entries()) assert.ok(e !== null && e < 6, `slot ${pol.rows[k]!.slot}: flown within 6 m of the env (${e?.toFixed(2)} m)`);
  const meanErr = errs.reduce<number>((a, e) => a + (e ?? Infinity), 0) / errs.length;
  t.diagnostic(`mean distance to the env's positions: ${meanErr.toFixed(2)} m`);
  assert.ok(meanErr < 3, `flown within 3 m of the env on average (${meanErr.toFixed(2)} m)`);

  // Users get served once the UAVs are up.
  assert.ok(summary.slots.slice(2).every((m) => m.released === scenario.users), 'every user sent a task each slot');
  assert.ok(summary.slots.slice(2).reduce((a, m) => a + m.dor, 0) > 0, 'DOR > 0 after the first slots');
  assert.equal(summary.totals.completed, summary.totals.released, 'every task completed');

  // The envelope never had to hold the altitude band; the policy stayed in the env's box.
  for (const u of summary.uavs) {
    assert.equal(u.envelope.altitude_band ?? 0, 0, `UAV ${u.uavId}: no altitude-band intervention`);
    assert.equal(u.envelope.geofence ?? 0, 0, `UAV ${u.uavId}: no geofence intervention`);
    assert.ok(u.maxAltM <= scenario.altMaxM + 0.5, `UAV ${u.uavId} stayed under the env's ceiling (${u.maxAltM.toFixed(1)} m)`);
  }
  fs.rmSync(runDir, { recursive: true, force: true });
});
