import test from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../../core/rng.ts';
import { FlightMode, DeviceRole } from '../../../proto/index.ts';
import { decode, encode } from '../../../proto/index.ts';

const header = { version: 1, sender: 'controller', t_us: 1, seq: 1 };
import { defaultS2Config, S2VideoEnv } from '../../../sim/envs/s2-video.ts';
import { s2Layout, s2Starts, type P3 } from '../../../engines/video/index.ts';
import { observeS2, plansFromAction, planS2Slot, returnEnergyJ, type S2SlotInput } from './plan.ts';

const cfg = defaultS2Config();
const planner = { model: cfg, planner: 's2-test' };

/** The twin a controller would hold at the env's state after `reset` (positions, segments, budgets). */
function inputFromEnv(obs: number[], usedJ: number[] = cfg.uavs ? new Array<number>(cfg.uavs).fill(0) : []): S2SlotInput {
  const { busyPos, idlePos } = s2Layout(cfg, cfg.layoutSeed);
  const C = obs[3 * cfg.busy]!;
  const uavAt = (k: number): P3 => [obs[3 * cfg.busy + 1 + 3 * k]!, obs[3 * cfg.busy + 2 + 3 * k]!, obs[3 * cfg.busy + 3 + 3 * k]!];
  return {
    slot: 0, nowUs: 1_000_000,
    busy: busyPos.map((p, i) => ({ userId: i + 1, pos: p, segment: { taskId: 100_000 + i + 1, dataBits: obs[2 * cfg.busy + i]!, cyclesPerBit: C, releaseUs: 900_000 } })),
    idle: idlePos.map((p, j) => ({ userId: cfg.busy + j + 1, pos: p, cpuHzMax: cfg.fjMaxHz })),
    uavs: Array.from({ length: cfg.uavs }, (_, k) => ({ uavId: k + 1, pos: uavAt(k), usedJ: usedJ[k]!, home: [uavAt(k)[0], uavAt(k)[1], 0] as P3 })),
    starts: s2Starts(cfg),
  };
}

function randomAction(seed: number): number[] {
  const r = createRng(seed);
  const env = new S2VideoEnv(cfg, 0);
  return env.spec.space.actLow.map((lo, d) => r.uniform(lo * 1.2, env.spec.space.actHigh[d]! * 1.2));
}

void test('S2 planner: the observation built from the twin is the env\'s, column for column', () => {
  const env = new S2VideoEnv(cfg, 5);
  const obs = env.reset()[0]!;
  assert.deepEqual(observeS2(cfg, inputFromEnv(obs)), obs);
});

void test('S2 planner: action → plans matches the env\'s step (targets, ratios, who serves) over random actions', () => {
  for (let trial = 0; trial < 20; trial++) {
    const env = new S2VideoEnv(cfg, trial);
    const obs = env.reset()[0]!;
    const action = randomAction(100 + trial);
    const inp = inputFromEnv(obs);
    const out = plansFromAction(planner, inp, obs, action);
    env.step([action]);
    const last = env.last!;
    assert.deepEqual(out.targets, last.uavPos, 'planned targets = the env\'s positions after the move');
    assert.deepEqual(out.decision, last.decision);
    assert.deepEqual(out.ratios, last.decision.ratios, 'no fold needed: the env\'s ratios');
    assert.equal(out.reserveRtl.length, 0);
    out.uavPlans.forEach((p, id) => {
      const k = id - 1;
      assert.equal(p.flight!.mode, FlightMode.FLIGHT_MODE_GOTO);
      assert.deepEqual([p.flight!.target!.x_east_m, p.flight!.target!.y_north_m, p.flight!.target!.alt_m], last.uavPos[k]);
      assert.equal(p.flight!.speed_m_s, last.decision.speeds[k]);
      assert.equal((p.video!.shares ?? []).length > 0, last.uavComputeJ[k]! > 0, `UAV ${id} serves in the plan iff it computes in the env`);
      assert.equal(p.video!.transcode_level_mbps, last.decision.levelMbps);
      assert.ok(decode('Plan', encode('Plan', { header, ...p })).ok, 'the plan passes the contract\'s validation');
    });
    const helpers = new Set(out.segments.map((s) => s.helperUserId).filter((j) => j > 0));
    last.idleComputeJ.forEach((e, j) => assert.equal(helpers.has(cfg.busy + j + 1), e > 0, `idle ${j} works in the plan iff in the env`));
    for (const s of out.segments) assert.ok(Math.abs(s.bits[0] + s.bits[1] + s.bits[2] - inp.busy[s.userId - 1]!.segment!.dataBits) < 1e-6);
    for (const d of out.devicePlans.values()) {
      const r = decode('DevicePlan', encode('DevicePlan', { header, ...d }));
      assert.ok(r.ok, r.ok ? '' : `${r.reason} ${r.detail ?? ''}`);
      if (d.role === DeviceRole.DEVICE_ROLE_BUSY) assert.deepEqual([d.ratio_uav, d.ratio_d2d, d.ratio_local], last.decision.ratios);
    }
  }
});

void test('S2 planner: the actor is called with the observation and its action is what is planned', async () => {
  const env = new S2VideoEnv(cfg, 3);
  const obs = env.reset()[0]!;
  const action = randomAction(7);
  let seen: number[] | undefined;
  const out = await planS2Slot(planner, inputFromEnv(obs), async (o) => {
    seen = o;
    return action;
  });
  assert.deepEqual(seen, obs);
  assert.deepEqual(out.action, action);
});

void test('S2 planner: a UAV whose budget E_r would not cover the return is sent home and given no shares', () => {
  const env = new S2VideoEnv(cfg, 1);
  const obs = env.reset()[0]!;
  const action = randomAction(11);
  action[0] = 1; // some video to the UAVs
  action[5] = 1;
  const used = [0, cfg.batteryJ - 10, 0, 0, 0];
  const out = plansFromAction(planner, inputFromEnv(obs, used), obs, action);
  assert.deepEqual(out.reserveRtl, [2]);
  assert.equal(out.uavPlans.get(2)!.flight!.mode, FlightMode.FLIGHT_MODE_RTL);
  assert.equal(out.uavPlans.get(2)!.video, undefined);
  assert.ok(out.segments.every((s) => s.uavId !== 2));
  assert.ok(out.segments.some((s) => s.uavId > 0), 'the others still serve');
  // The reserve grows with the distance home and the altitude.
  assert.ok(returnEnergyJ([100, 100, 150], [0, 0, 0], 25, 1.5) > returnEnergyJ([10, 10, 100], [0, 0, 0], 25, 1.5));
});

void test('S2 planner: with f_k = 0 the UAV part is computed locally, with f_j = 0 the D2D part; f_i never below 1 %', () => {
  const env = new S2VideoEnv(cfg, 2);
  const obs = env.reset()[0]!;
  const action = randomAction(13);
  action.splice(0, 9, 1, 1, 1, 0, 0, 0, 0.5, 0.5, 0);
  const out = plansFromAction(planner, inputFromEnv(obs), obs, action);
  assert.deepEqual(out.ratios, [0, 0, 1]);
  assert.ok(out.segments.every((s) => s.uavId === 0 && s.helperUserId === 0));
  assert.equal(out.fiHz, 0.01 * cfg.fiMaxHz);
});
