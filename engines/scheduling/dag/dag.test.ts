import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../../core/rng.ts';
import { DEFAULT_DAG_GEN, generateUsers, validateTask, validateTasks } from './index.ts';
import type { UserTask } from './index.ts';

const sub = (id: string, contentId = id) => ({ id, contentId, inputBits: 1e6, cycles: 1e8, outputBits: 2e5 });

void test('validateTask accepts a diamond and reports each kind of defect', () => {
  const good: UserTask = {
    userId: 'a',
    subtasks: [sub('1'), sub('2'), sub('3'), sub('4')],
    edges: [
      { from: '1', to: '2' },
      { from: '1', to: '3' },
      { from: '2', to: '4' },
      { from: '3', to: '4' },
    ],
  };
  assert.equal(validateTask(good).ok, true);
  const reason = (t: UserTask) => {
    const r = validateTask(t);
    return r.ok ? 'ok' : r.reason;
  };
  assert.equal(reason({ ...good, subtasks: [] }), 'empty-task');
  assert.equal(reason({ ...good, subtasks: [...good.subtasks, sub('1')] }), 'duplicate-subtask-id');
  assert.equal(reason({ ...good, subtasks: [{ ...sub('1'), cycles: 0 }, sub('2'), sub('3'), sub('4')] }), 'bad-size');
  assert.equal(reason({ ...good, subtasks: [{ ...sub('1'), inputBits: NaN }, sub('2'), sub('3'), sub('4')] }), 'bad-size');
  assert.equal(reason({ ...good, edges: [...good.edges, { from: '4', to: '9' }] }), 'unknown-edge-endpoint');
  assert.equal(reason({ ...good, edges: [...good.edges, { from: '2', to: '2' }] }), 'self-loop');
  assert.equal(reason({ ...good, edges: [...good.edges, { from: '1', to: '2' }] }), 'duplicate-edge');
  const cyc = validateTask({ ...good, edges: [...good.edges, { from: '4', to: '1' }] });
  assert.equal(cyc.ok, false);
  if (!cyc.ok) {
    assert.equal(cyc.reason, 'cycle');
    assert.match(cyc.detail ?? '', /1, 2, 3, 4/);
  }
});

void test('validateTasks rejects a contentId with two different sizes', () => {
  const a: UserTask = { userId: 'a', subtasks: [sub('x', 'map')], edges: [] };
  const b: UserTask = { userId: 'b', subtasks: [{ ...sub('y', 'map'), cycles: 5e8 }], edges: [] };
  const r = validateTasks([a, b]);
  assert.equal(r.ok, false);
  if (!r.ok) assert.equal(r.reason, 'inconsistent-content');
});

void test('generated users are valid, seeded and within S1 ranges', () => {
  const users = generateUsers(createRng(7), { users: 30 });
  const again = generateUsers(createRng(7), { users: 30 });
  assert.deepEqual(users, again);
  assert.equal(validateTasks(users.map((u) => u.task)).ok, true);
  for (const u of users) {
    assert.ok(u.x >= 0 && u.x <= 1000 && u.y >= 0 && u.y <= 1000);
    for (const s of u.task.subtasks) {
      assert.ok(s.inputBits >= 1e6 && s.inputBits <= 8e6, `input ${s.inputBits}`);
      assert.ok(s.outputBits >= 150e3 && s.outputBits <= 300e3, `output ${s.outputBits}`);
    }
  }
  assert.notDeepEqual(generateUsers(createRng(8), { users: 30 }), users);
});

void test('repeat ratio controls the share of library subtasks', () => {
  const share = (ratio: number) => {
    const users = generateUsers(createRng(3), { users: 40, dag: { ...DEFAULT_DAG_GEN, repeatRatio: ratio } });
    let shared = 0;
    let total = 0;
    for (const u of users) {
      for (const s of u.task.subtasks) {
        total++;
        if (!s.contentId.includes('/')) shared++;
      }
    }
    return shared / total;
  };
  assert.equal(share(0), 0);
  const lo = share(0.2);
  const hi = share(0.6);
  assert.ok(lo > 0.1 && lo < 0.45, `low share ${lo}`);
  assert.ok(hi > lo + 0.15, `high share ${hi} vs ${lo}`);
});
