import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../../core/rng.ts';
import { DEFAULT_POOL_PARAMS, defaultUav } from '../model/index.ts';
import { associateUsers, dataBalancedAssociation, matchToStarts, planCollection, planTour, regionAssociation, tourLength } from './index.ts';
import type { Point } from './index.ts';

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

void test('NN + 2-opt tour is within 10 % of the exhaustive optimum (≤ 7 users) and visits everyone once', () => {
  const rng = createRng(3);
  let worst = 0;
  for (let k = 0; k < 30; k++) {
    const n = rng.int(2, 7);
    const pts: Point[] = Array.from({ length: n }, () => ({ x: rng.uniform(0, 1000), y: rng.uniform(0, 1000) }));
    const start = { x: 0, y: 0 };
    const order = planTour(start, pts);
    assert.deepEqual([...order].sort((a, b) => a - b), pts.map((_, i) => i));
    const best = Math.min(...permutations(n).map((p) => tourLength(start, pts, p)));
    worst = Math.max(worst, tourLength(start, pts, order) / best - 1);
  }
  assert.ok(worst <= 0.1, `worst tour excess ${(worst * 100).toFixed(2)} %`);
});

void test('weighted K-means++: seeded, every user associated, clusters lie toward their own start', () => {
  const rng = createRng(5);
  const users: Point[] = Array.from({ length: 60 }, () => ({ x: rng.uniform(0, 1000), y: rng.uniform(0, 1000) }));
  const starts = [
    { x: 0, y: 0 },
    { x: 1000, y: 1000 },
  ];
  const a = associateUsers(createRng(1), users, starts);
  assert.deepEqual(a, associateUsers(createRng(1), users, starts));
  assert.equal(a.length, 60);
  for (const n of [0, 1]) {
    const mine = users.filter((_, m) => a[m] === n);
    assert.ok(mine.length > 10, `cluster ${n} has ${mine.length}`);
    const cx = mine.reduce((s, u) => s + u.x, 0) / mine.length;
    const cy = mine.reduce((s, u) => s + u.y, 0) / mine.length;
    const own = Math.hypot(cx - starts[n]!.x, cy - starts[n]!.y);
    const other = Math.hypot(cx - starts[1 - n]!.x, cy - starts[1 - n]!.y);
    assert.ok(own < other, 'cluster centre nearer its own UAV start');
  }
  assert.deepEqual(matchToStarts([{ x: 900, y: 900 }, { x: 100, y: 50 }], starts), [1, 0]);
  assert.deepEqual(regionAssociation([{ x: 10, y: 10 }, { x: 990, y: 900 }], starts), [0, 1]);
  const d = dataBalancedAssociation([5, 4, 3, 3, 1], 2);
  const load = [0, 1].map((n) => [5, 4, 3, 3, 1].reduce((s, b, m) => s + (d[m] === n ? b : 0), 0));
  assert.deepEqual(load.sort(), [8, 8]);
});

void test('collection: timings and energies follow the model; separation holds', () => {
  const uavs = [defaultUav('a', 0, 0), defaultUav('b', 1000, 1000)];
  const users = [
    { x: 300, y: 400, bits: 20e6, requestS: 0 },
    { x: 600, y: 800, bits: 10e6, requestS: 100 },
  ];
  const plan = planCollection(uavs, users, [[0], [1]], DEFAULT_POOL_PARAMS);
  const p = DEFAULT_POOL_PARAMS;
  const a = plan.perUav[0]!;
  assert.ok(Math.abs(a.flightM - 500) < 1e-9);
  assert.ok(Math.abs(a.flightS - 500 / p.cruiseMS) < 1e-9);
  assert.ok(Math.abs(a.flightJ - (uavs[0]!.motion.flightPowerW(p.cruiseMS) * 500) / p.cruiseMS) < 1e-6);
  assert.ok(a.uploadS > 0 && Math.abs(a.collectDoneS - (a.flightS + a.uploadS)) < 1e-9);
  const b = plan.perUav[1]!;
  assert.ok(b.requestWaitS > 0, 'UAV b waits for t_m = 100 s');
  assert.ok(Math.abs(b.uploads[0]!.startS - 100) < 1e-9);
  assert.equal(plan.poolStartS, Math.max(a.collectDoneS, b.collectDoneS));
  assert.ok(plan.minSeparationM >= p.dMinM);
  // crossing paths force a hold
  const cross = planCollection(uavs, [{ x: 1000, y: 1000, bits: 1e6, requestS: 0 }, { x: 0, y: 0, bits: 1e6, requestS: 0 }], [[0], [1]], p);
  assert.ok(cross.minSeparationM >= p.dMinM, `separation ${cross.minSeparationM}`);
  assert.ok(cross.perUav[1]!.holdS > 0);
});
