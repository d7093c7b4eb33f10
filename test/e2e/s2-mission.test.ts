/**
 * End-to-end: an S2 mission (issue 18, SPEC §5.4) — the committed TD3 actor on the controller
 * (onnxruntime), five SITL ArduCopters climbing to the env's starts, agents receiving and
 * transcoding their shares, the simulated busy and idle devices computing their local and D2D
 * parts — on the embedded broker and the virtual clock (the actor's inference holds it, so machine
 * load cannot make plans expire or segments miss their slot); the books as flown against the same
 * actor in its env; the replay re-makes every slot's decision from the recording.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { readRecording } from '../../apps/common/recorder.ts';
import { prepareS2Mission } from '../../apps/mission/s2.ts';
import { runMission } from '../../apps/mission/run.ts';
import { replayS2 } from '../../apps/replay/s2.ts';
import { decode, DeviceRole, ExecutionSite, FlightMode, matchTopic, type DevicePlan, type Plan, type PlanAck, type TaskCompletion, type VideoSlot } from '../../proto/index.ts';

const SLOTS = 5;

test('S2 mission: TD3 on the controller plans video, D2D and transcoding; every part completes once; revenue accounted', { timeout: 300_000 }, async (t) => {
  const setup = await prepareS2Mission('td3', { seed: 2, slots: SLOTS });
  assert.ok(setup.ok, setup.ok ? '' : setup.detail);
  const s2 = setup.value;
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'uavmec-s2-'));
  try {
    const summary = await runMission({ scenario: s2.scenario, video: s2, envEpisodes: 2, speed: 1, clock: 'virtual', flavour: 'ardupilot', algo: 'cd-kkt', runDir, landTimeoutS: 1 });
    const v = summary.video!;
    t.diagnostic(`Q flown ${v.flownMean.Q.toFixed(1)} vs env ${v.prediction.mean.Q.toFixed(1)} per slot; parts ${v.parts.done}/${v.parts.planned}, D2D by idle ${v.parts.d2dByIdle}, missed segments ${v.parts.missedSegments}; wall ${summary.wallS.toFixed(1)} s`);

    const rec = readRecording(path.join(runDir, 'mqtt.rec'));
    const of = <T>(key: string) => rec.messages.filter((m) => matchTopic(m.topic)?.spec.key === key).map((m) => {
      const d = decode(matchTopic(m.topic)!.spec.type, m.payload);
      assert.ok(d.ok, `${key} decodes and validates`);
      return d.value as T;
    });
    const plans = of<Plan>('plan').filter((p) => p.planner.startsWith('s2-'));
    const devicePlans = of<DevicePlan>('devicePlan');
    const completions = of<TaskCompletion>('userCompletion').concat(of<TaskCompletion>('uavCompletion'));
    const acks = of<PlanAck>('ack');

    // Plans: one per UAV per slot, GOTO inside the env's box (or RTL to keep the reserve), acked.
    assert.equal(plans.length, SLOTS * s2.scenario.uavs, 'one S2 plan per UAV per slot');
    for (const p of plans) {
      assert.ok(acks.some((a) => a.uav_id === p.uav_id && a.plan_seq === p.plan_seq && a.accepted), `UAV ${p.uav_id} acked its slot-${p.slot} plan`);
      if (p.flight!.mode === FlightMode.FLIGHT_MODE_RTL) continue;
      assert.equal(p.flight!.mode, FlightMode.FLIGHT_MODE_GOTO);
      const g = p.flight!.target!;
      assert.ok(g.x_east_m >= 0 && g.x_east_m <= s2.env.areaM && g.y_north_m >= 0 && g.y_north_m <= s2.env.areaM && g.alt_m >= s2.env.altitudeM[0] && g.alt_m <= s2.env.altitudeM[1], 'target in the box');
      assert.ok(p.flight!.speed_m_s <= s2.env.vMaxMS + 1e-9, 'at most v_max');
      assert.ok(s2.env.levelsMbps.includes(p.video!.transcode_level_mbps), 'an S2 transcoding level');
    }
    assert.equal(summary.totals.plansAcked, summary.totals.plansSent, 'every plan acked');

    // Every planned part of every segment completed exactly once, where the plan put it.
    const busy = devicePlans.filter((d) => d.role === DeviceRole.DEVICE_ROLE_BUSY);
    const idleIds = new Set(devicePlans.filter((d) => d.role === DeviceRole.DEVICE_ROLE_IDLE).map((d) => d.user_id));
    assert.ok(busy.length > 0 && idleIds.size === s2.env.idle, 'busy devices got their splits, every idle device its CPU and price');
    let d2d = 0;
    for (const d of busy) {
      const parts = completions.filter((c) => c.task_id === d.task_id && !c.failed);
      const count = (site: number) => parts.filter((c) => c.site === site).length;
      assert.equal(count(ExecutionSite.EXECUTION_SITE_UAV), d.ratio_uav > 0 ? 1 : 0, `segment ${d.task_id}: UAV part once`);
      assert.equal(count(ExecutionSite.EXECUTION_SITE_D2D), d.ratio_d2d > 0 ? 1 : 0, `segment ${d.task_id}: D2D part once`);
      assert.equal(count(ExecutionSite.EXECUTION_SITE_LOCAL), d.ratio_local > 0 ? 1 : 0, `segment ${d.task_id}: local part once`);
      const u = parts.find((c) => c.site === ExecutionSite.EXECUTION_SITE_UAV);
      if (u) {
        assert.equal(u.uav_id, d.access_uav_id, 'the planned UAV received it');
        assert.ok(u.transcode_level_mbps > 0 && u.transcode_energy_j > 0 && u.compute_energy_j >= u.transcode_energy_j && u.tx_energy_j > 0, 'transcoded, with its energies');
      }
      const j = parts.find((c) => c.site === ExecutionSite.EXECUTION_SITE_D2D);
      if (j) {
        d2d++;
        assert.equal(j.helper_user_id, d.partner_user_id, 'the planned idle partner computed it');
        assert.ok(idleIds.has(j.helper_user_id) && j.compute_energy_j > 0 && j.tx_energy_j > 0 && j.uplink_s > 0, 'an idle device, after a D2D transfer');
      }
    }
    assert.ok(d2d > 0, 'idle devices did D2D work');
    assert.equal(v.parts.done, v.parts.planned, 'the books saw every part');
    assert.equal(v.parts.duplicates + v.parts.failed + v.parts.unknown + v.parts.missedSegments, 0, 'no repeat, failure, stray part or late segment');

    // Revenue accounted per slot, in the recording and the summary alike, by S2's formula.
    const closed = of<VideoSlot>('videoSlot').filter((r) => r.closed);
    assert.equal(closed.length, SLOTS, 'one closed record per slot');
    assert.equal(v.flown.length, SLOTS);
    for (const r of closed) {
      const f = v.flown[r.slot]!;
      assert.equal(r.revenue_q, f.Q);
      const w = s2.env.omega;
      assert.ok(Math.abs(f.Q - (w[0] * f.UK + w[1] * f.UJ + w[2] * f.UI)) < 1e-6, 'Q = ω1 U_K + ω2 U_J + ω3 U_I');
      assert.ok(r.uav_flight_energy_j.every((e) => e > 0), `slot ${r.slot}: every UAV's flight energy metered`);
      assert.equal(r.parts_done, r.parts_planned);
    }
    assert.equal(v.prediction.perSlot.length, SLOTS, 'the env prediction covers the slots');
    assert.ok(Number.isFinite(v.gapQ));

    // Replay: the actor re-run on the recorded observations gives the recorded actions, decisions and plans.
    const rep = await replayS2(runDir, s2.env, s2.actor);
    assert.equal(rep.slots.length, SLOTS);
    assert.deepEqual(rep.slots.flatMap((r) => r.mismatches), [], 'every slot reproduced');
  } finally {
    await s2.actor.release();
    fs.rmSync(runDir, { recursive: true, force: true });
  }
});
