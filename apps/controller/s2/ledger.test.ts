import test from 'node:test';
import assert from 'node:assert/strict';
import { propulsionPowerW } from '../../../core/models/propulsion.ts';
import { ExecutionSite, type TaskCompletion } from '../../../proto/index.ts';
import { defaultS2Config, S2VideoEnv } from '../../../sim/envs/s2-video.ts';
import { s2Layout, s2Revenue, s2Starts, type P3 } from '../../../engines/video/index.ts';
import { FlightMeter, S2Ledger } from './ledger.ts';
import { plansFromAction, type S2SlotInput } from './plan.ts';

const cfg = defaultS2Config();

function slotPlan() {
  const env = new S2VideoEnv(cfg, 4);
  const obs = env.reset()[0]!;
  const { busyPos, idlePos } = s2Layout(cfg, cfg.layoutSeed);
  const inp: S2SlotInput = {
    slot: 0, nowUs: 1e6,
    busy: busyPos.map((p, i) => ({ userId: i + 1, pos: p, segment: { taskId: 100_001 + i, dataBits: obs[20 + i]!, cyclesPerBit: obs[30]!, releaseUs: 1 } })),
    idle: idlePos.map((p, j) => ({ userId: 11 + j, pos: p, cpuHzMax: cfg.fjMaxHz })),
    uavs: s2Starts(cfg).map((p, k) => ({ uavId: k + 1, pos: p, usedJ: 0, home: [p[0], p[1], 0] as P3 })),
    starts: s2Starts(cfg),
  };
  const action = [0.3, 0.3, 0.4, 1, 0.5, 1, 0.5, 0.5, 0.1, ...new Array<number>(15).fill(0)];
  return plansFromAction({ model: cfg, planner: 's2-test' }, inp, obs, action);
}

const done = (taskId: number, userId: number, site: TaskCompletion['site'], extra: Partial<TaskCompletion> = {}): TaskCompletion => ({
  task_id: taskId, user_id: userId, site, uav_id: 0, subtask_id: '', release_t_us: 1, done_t_us: 2, uplink_s: 0, relay_s: 0, compute_s: 0, predicted_s: 0, local_s: 1, late: false,
  compute_energy_j: 0, failed: false, failure_reason: '', service_start_t_us: 1, helper_user_id: 0, part_bits: 1, tx_energy_j: 0, transcode_level_mbps: 0, transcode_energy_j: 0, ...extra,
});

void test('flight meter: P(|v|) integrated between velocity reports, held to the reading time (SPEC §4)', () => {
  const m = new FlightMeter();
  m.sample(1, 0, [0, 0, 0]);
  m.sample(1, 2e6, [10, 0, 0]);
  assert.ok(Math.abs(m.energyJ(1, 2e6) - 2 * propulsionPowerW(0)) < 1e-9);
  assert.ok(Math.abs(m.energyJ(1, 3e6) - (2 * propulsionPowerW(0) + propulsionPowerW(10))) < 1e-9);
  assert.equal(m.energyJ(2, 5e6), 0, 'an unheard UAV has used nothing');
});

void test('S2 books: each planned part once, repeats and strays refused, revenue by S2\'s formula from what came back', () => {
  const plan = slotPlan();
  const ledger = new S2Ledger(cfg, cfg);
  ledger.open(0, plan, [0, 0, 0, 0, 0]);
  let expected = 0;
  for (const s of plan.segments) expected += s.bits.filter((b) => b > 0).length;
  assert.equal(ledger.partsOutstanding(), expected);
  const seg = plan.segments[0]!;
  assert.ok(seg.uavId > 0 && seg.helperUserId > 0, 'the test action splits three ways');
  assert.equal(ledger.completion(done(seg.taskId, seg.userId, ExecutionSite.EXECUTION_SITE_UAV, { uav_id: seg.uavId, compute_energy_j: 5, tx_energy_j: 0.5 })), true);
  assert.equal(ledger.completion(done(seg.taskId, seg.userId, ExecutionSite.EXECUTION_SITE_UAV, { uav_id: seg.uavId, compute_energy_j: 5 })), false, 'a repeat');
  assert.equal(ledger.completion(done(999, 1, ExecutionSite.EXECUTION_SITE_LOCAL)), false, 'not planned');
  assert.equal(ledger.completion(done(seg.taskId, seg.userId, ExecutionSite.EXECUTION_SITE_D2D, { helper_user_id: seg.helperUserId, compute_energy_j: 2, tx_energy_j: 0.25 })), true);
  assert.equal(ledger.completion(done(seg.taskId, seg.userId, ExecutionSite.EXECUTION_SITE_LOCAL, { compute_energy_j: 1 })), true);
  assert.deepEqual(ledger.counts, { completions: 3, duplicates: 1, failed: 0, unknown: 1, d2dByIdle: 1 });
  assert.equal(ledger.partsOutstanding(), expected - 3);
  assert.equal(ledger.uavComputeJ()[seg.uavId - 1], 5);

  const [a] = ledger.close([100, 100, 100, 100, 100]);
  assert.equal(a!.partsDone, 3);
  assert.deepEqual(a!.uavFlightJ, [100, 100, 100, 100, 100]);
  const uavServes = [0, 1, 2, 3, 4].map((k) => k === seg.uavId - 1);
  const idleServes = new Array<boolean>(cfg.idle).fill(false).map((_, j) => j === seg.helperUserId - cfg.busy - 1);
  const want = s2Revenue(cfg, {
    e1: plan.ratios[0], e2: plan.ratios[1], fiHz: plan.fiHz, fjHz: plan.fjHz, fkHz: plan.fkHz, pk: plan.decision.pk, pj: plan.decision.pj,
    uavServes, uavComputeJ: uavServes.map((s) => (s ? 5 : 0)), uavFlightJ: [100, 100, 100, 100, 100], idleServes, idleComputeJ: idleServes.map((s) => (s ? 2 : 0)),
    busyEnergyJ: 0.5 + 0.25 + 1,
  });
  assert.deepEqual(a!.revenue, want);
});
