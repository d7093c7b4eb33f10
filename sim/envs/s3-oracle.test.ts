import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assignTargets, bestStaticPlacement, makeEnv, oracleActions, s3Oracle, type Vec3 } from './index.ts';

const hoverDor = (over: Record<string, unknown>, p: Vec3[], slots: number, seed: number) => {
  const e = makeEnv('s3', seed, { ...over, horizon: slots, startPositions: p });
  e.reset();
  let s = 0;
  for (let t = 0; t < slots; t++) s += e.step(p.map(() => [0, 0, 0])).info.objective;
  return s / slots;
};

test('bestStaticPlacement reports its placement’s DOR and beats the corner start', () => {
  const over = { users: 6 };
  const best = bestStaticPlacement('s3', over, { samples: 40, seed: 3, slots: 4 });
  assert.ok(Math.abs(hoverDor(over, best.positions, 4, 3) - best.dorPerSlot) < 1e-9, 'reported DOR is the placement’s DOR');
  assert.ok(best.dorPerSlot > hoverDor(over, [[0, 0, 10], [50, 0, 10], [0, 50, 10], [50, 50, 10]], 4, 3));
  for (const p of best.positions) assert.ok(p[0] >= 0 && p[0] <= 50 && p[2] >= 10 && p[2] <= 20);
});

test('assignTargets picks the assignment whose slowest UAV arrives first', () => {
  const starts: Vec3[] = [[0, 0, 10], [50, 0, 10]];
  const points: Vec3[] = [[45, 5, 10], [5, 5, 10]];
  assert.deepEqual(assignTargets(starts, points, [1, 1, 1]), [1, 0]);
});

test('oracleActions fly a straight line at the per-axis bound and stop on the target', () => {
  const [a] = oracleActions([[0, 0, 10]], [[10, 5, 12]], [1, 1, 1]);
  assert.deepEqual(a, [1, 0.5, 0.2]);
  const [b] = oracleActions([[9.5, 4.75, 11.9]], [[10, 5, 12]], [1, 1, 1]);
  assert.ok(b!.every((v, d) => Math.abs(v - [0.5, 0.25, 0.1][d]!) < 1e-12), 'the last move lands exactly');
  const [c] = oracleActions([[3, 3, 10]], [[10, 5, 15]], [1, 1, 0]);
  assert.equal(c![2], 0, 'no vertical move on a zero-width axis (2D)');
});

test('s3Oracle reaches its placement by arrivalSlots and then scores the placement (same tasks)', () => {
  const over = { users: 8, horizon: 60 };
  const o = s3Oracle('s3', over, { samples: 30, seed: 2, slots: 4 });
  const env = makeEnv('s3', 7, over);
  let obs = env.reset();
  for (let t = 0; t < o.arrivalSlots; t++) {
    const r = env.step(o.act(obs));
    obs = r.obs;
  }
  obs.forEach((p, k) => assert.ok(Math.hypot(p[0]! - o.targets[k]![0], p[1]! - o.targets[k]![1], p[2]! - o.targets[k]![2]) < 1e-9, `UAV ${k} arrived`));
  assert.ok(o.act(obs).every((a) => a.every((v) => v === 0)), 'hovers once there');
  assert.deepEqual([...o.targets].sort(), [...o.placement.positions].sort(), 'targets are the placement, permuted');
});
