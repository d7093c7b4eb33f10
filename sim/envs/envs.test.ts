import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../core/rng.ts';
import { propulsionPowerW } from '../../core/models/propulsion.ts';
import { S2VideoEnv, S3TrajectoryEnv, VecEnv, defaultS2Config, defaultS3Config, makeEnv, type Env } from './index.ts';

function rollout(env: Env, seed: number, steps: number): number[] {
  const rng = createRng(seed);
  const s = env.spec.space;
  let obs = env.reset();
  const out: number[] = [];
  for (let t = 0; t < steps; t++) {
    const r = env.step(obs.map(() => s.actLow.map((lo, d) => rng.uniform(lo, s.actHigh[d]!))));
    out.push(r.reward);
    obs = r.done ? env.reset() : r.obs;
  }
  return out;
}

void test('every env is deterministic for a seed and differs across seeds', () => {
  for (const id of ['s3', 's3-2d', 's2'] as const) {
    const a = rollout(makeEnv(id, 7), 1, 60);
    const b = rollout(makeEnv(id, 7), 1, 60);
    const c = rollout(makeEnv(id, 8), 1, 60);
    assert.deepEqual(a, b, id);
    assert.notDeepEqual(a, c, id);
  }
});

void test('S3: planner AL gives DOR 0, so the reward is exactly minus the penalties', () => {
  const env = new S3TrajectoryEnv(defaultS3Config({ planner: 'al' }), 3);
  env.reset();
  for (let t = 0; t < 10; t++) {
    const r = env.step([[-1, -1, -1], [1, 0, 0], [0, 1, 1], [0.5, 0.5, 0.5]]);
    assert.equal(r.info.objective, 0);
    assert.equal(r.reward, -r.info.penalty);
  }
});

void test('S3: DOR equals the planner on the same positions, lies in [0, users], and beats all-local', () => {
  const env = new S3TrajectoryEnv(defaultS3Config({ users: 12, startPositions: [[10, 10, 15], [40, 10, 15], [10, 40, 15], [40, 40, 15]] }), 5);
  env.reset();
  const r = env.step([[0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0]]);
  assert.ok(r.info.objective > 0 && r.info.objective <= 12, `DOR ${r.info.objective}`);
  assert.equal(r.info.penalty, 0);
  // Same task stream with the AL planner: DOR 0, so CD+KKT (which starts all-local and only improves) is ≥ it.
  const al = new S3TrajectoryEnv(defaultS3Config({ users: 12, planner: 'al', startPositions: [[10, 10, 15], [40, 10, 15], [10, 40, 15], [40, 40, 15]] }), 5);
  al.reset();
  assert.equal(al.step([[0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0]]).info.objective, 0);
});

void test('S3: moves are clipped to v·ΔT per axis and to the box; violations are counted and penalised', () => {
  const cfg = defaultS3Config({ startPositions: [[0.5, 0.5, 10], [25, 25, 20], [25, 26, 20], [49, 49, 15]] });
  const env = new S3TrajectoryEnv(cfg, 1);
  env.reset();
  const r = env.step([[-5, -5, -5], [0, 0, 3], [0, 0, 0], [7, 0, 0]]);
  const pos = env.uavPositions();
  assert.deepEqual(pos[0], [0, 0, 10]); // clipped back into the area, altitude floor
  assert.deepEqual(pos[1], [25, 25, 20]); // altitude ceiling
  assert.deepEqual(pos[3], [50, 49, 15]); // displacement limited to 1 m
  assert.deepEqual(r.info.violations, { area: 2, altitude: 2, separation: 1 });
  // Overshoots: UAV 0 by 0.5 m in x and y and 1 m below H_min, UAV 1 by 1 m above H_max (steps
  // of 1 m); UAVs 1 and 2 are 1 m apart (shortfall 2/3 of d_min).
  const expected = cfg.penaltyArea * (0.5 + 0.5) + cfg.penaltyAltitude * (1 + 1) + cfg.penaltySeparation * (2 / 3);
  assert.ok(Math.abs(r.info.penalty - expected) < 1e-12, `${r.info.penalty} vs ${expected}`);
  assert.equal(r.reward, r.info.objective - r.info.penalty);
});

void test('S3 2D mode (CEJOMU) keeps the start altitude H_min; episodes end after the horizon', () => {
  const env = makeEnv('s3-2d', 2, { horizon: 5 });
  let obs = env.reset();
  let done = false;
  let steps = 0;
  while (!done) {
    const r = env.step(obs.map(() => [1, 1, 1]));
    for (const o of r.obs) assert.equal(o[2], 10);
    obs = r.obs;
    done = r.done;
    steps++;
  }
  assert.equal(steps, 5);
});

void test('VecEnv: copies are independent, auto-reset and report the terminal observation', () => {
  const v = new VecEnv((seed) => makeEnv('s3', seed, { horizon: 3, userLayout: 'per-episode' }), 3, 11);
  v.reset();
  let last = v.step([0, 1, 2].map(() => [[1, 1, 1], [1, 1, 1], [1, 1, 1], [1, 1, 1]]));
  assert.equal(new Set(last.map((r) => r.reward)).size, 3);
  last = v.step([0, 1, 2].map(() => [[1, 1, 1], [1, 1, 1], [1, 1, 1], [1, 1, 1]]));
  last = v.step([0, 1, 2].map(() => [[1, 1, 1], [1, 1, 1], [1, 1, 1], [1, 1, 1]]));
  for (const r of last) {
    assert.ok(r.done);
    assert.deepEqual(r.terminalObs![0], [3, 3, 13]);
    assert.deepEqual(r.obs[0], [0, 0, 10]);
  }
});

void test('S2: all-local hovering slot matches an independent evaluation of SPEC §5.4 utilities', () => {
  const c = defaultS2Config({ busy: 3, idle: 2, uavs: 2 });
  const env = new S2VideoEnv(c, 4);
  const obs0 = env.reset()[0]!;
  // e1 = e2 = 0, e3 = 1; fi = 0.8 f_max; no UAV/idle work; zero velocity (hover).
  const a = [0, 0, 1, 0.8, 0.5, 0.5, 0.3, 0.3, 0, 0, 0, 0, 0, 0, 0];
  const r = env.step([a]);
  const D = obs0.slice(2 * c.busy, 3 * c.busy);
  const C = obs0[3 * c.busy]!;
  const fi = 0.8 * c.fiMaxHz;
  const ui = c.fiMaxHz / ((c.fiMaxHz + c.fkMaxHz + c.fjMaxHz) / 3);
  const UI = D.reduce((s, d) => s + ui * (fi / 1e9) - c.kappa * fi * fi * d * C, 0);
  const UK = -c.uavs * propulsionPowerW(0) * c.slotS; // β_k = 1 at ε1 = 0
  const Q = c.omega[0] * UK + c.omega[2] * UI;
  assert.ok(Math.abs(r.info.objective - Q) < 1e-9 * Math.abs(Q), `Q ${r.info.objective} vs ${Q}`);
  assert.equal(r.info.penalty, 0);
  // Remaining energy in the observation drops by the hover energy.
  const eIdx = 3 * c.busy + 1 + 3 * c.uavs;
  assert.ok(Math.abs(r.obs[0]![eIdx]! - (c.batteryJ - propulsionPowerW(0))) < 1e-9);
});

void test('S2: speed above v_max is clipped and penalised; offloading to UAVs earns the UAV-side terms', () => {
  const c = defaultS2Config({ busy: 2, idle: 2, uavs: 1 });
  const env = new S2VideoEnv(c, 9);
  env.reset();
  const fast = env.step([[0, 0, 1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 25, 25, 0]]);
  assert.equal(fast.info.violations.speed, 1);
  env.reset();
  const local = env.step([[0, 0, 1, 0.5, 0.5, 1, 0.5, 0.5, 0.5, 0, 0, 0]]);
  env.reset();
  const off = env.step([[0.5, 0, 0.5, 0.5, 0.5, 1, 0.5, 0.5, 0.5, 0, 0, 0]]);
  // u_ki·f_k = 20 × 30 GHz outweighs β_k = 2 times the energies: offloading half raises Q
  // (S2 Fig. 4: more UAV offloading, more revenue).
  assert.ok(off.info.objective > local.info.objective, `${off.info.objective} ≤ ${local.info.objective}`);
});
