import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../../core/rng.ts';
import { DEFAULT_DAG_GEN, generateUsers } from '../dag/index.ts';
import { DEFAULT_POOL_PARAMS, defaultUav, startPoints } from '../model/index.ts';
import { METHODS, planPool } from './index.ts';

const uavs = startPoints(2, 1000).map(([x, y], n) => defaultUav(`uav${n}`, x, y));
const ga = { maxEvaluations: 800 };

void test('every method yields a complete, consistent plan', () => {
  const users = generateUsers(createRng(2), { users: 12, maxRequestS: 30 });
  for (const method of METHODS) {
    const r = planPool(createRng(1), { users, uavs, params: DEFAULT_POOL_PARAMS, method, merge: true, ga, alternations: 2 });
    assert.ok(r.ok, method);
    const p = r.value;
    assert.equal(p.association.length, users.length);
    const visited = p.collection.perUav.flatMap((c) => c.visits).sort((a, b) => a - b);
    assert.deepEqual(visited, users.map((_, m) => m), `${method}: every user collected once`);
    p.association.forEach((n, m) => assert.ok(p.collection.perUav[n]!.visits.includes(m)));
    assert.equal(p.schedule.perUav.reduce((a, u) => a + u.entries.length, 0), p.dag.taskCount);
    for (const u of p.schedule.perUav) for (const e of u.entries) assert.ok(e.startS >= p.collection.poolStartS);
    const m = p.metrics;
    assert.ok(m.feasible && m.totalEnergyJ > 0 && m.totalTimeS > m.collectionTimeS);
    assert.ok(Math.abs(m.totalEnergyJ - (m.moveEnergyJ + m.computeEnergyJ)) < 1e-6 * m.totalEnergyJ);
    for (const done of p.schedule.metrics.userCompletionS.values()) assert.ok(done <= p.collection.poolStartS + m.computeTimeS + 1e-9);
  }
});

void test('merging repeated subtasks lowers energy and compute time', () => {
  const users = generateUsers(createRng(4), { users: 20, dag: { ...DEFAULT_DAG_GEN, repeatRatio: 0.6 } });
  const run = (merge: boolean) => {
    const r = planPool(createRng(1), { users, uavs, params: DEFAULT_POOL_PARAMS, method: 'proposed', merge, ga, alternations: 2 });
    assert.ok(r.ok);
    return r.value.metrics;
  };
  const a = run(true);
  const b = run(false);
  assert.ok(a.mergedNodes < b.mergedNodes);
  assert.ok(a.totalEnergyJ < b.totalEnergyJ, `${a.totalEnergyJ} vs ${b.totalEnergyJ}`);
  assert.ok(a.computeTimeS < b.computeTimeS, `${a.computeTimeS} vs ${b.computeTimeS}`);
});

void test('P1/P2 alternation never worsens the objective; bad input is a Result failure', () => {
  const users = generateUsers(createRng(6), { users: 16 });
  const obj = (alternations: number) => {
    const r = planPool(createRng(1), { users, uavs, params: DEFAULT_POOL_PARAMS, method: 'proposed', merge: true, ga, alternations });
    assert.ok(r.ok);
    return r.value.metrics.maxObjectiveJ;
  };
  assert.ok(obj(4) <= obj(0) + 1e-9);
  const bad = planPool(createRng(1), { users: [], uavs, params: DEFAULT_POOL_PARAMS, method: 'proposed', merge: true });
  assert.equal(bad.ok, false);
});
