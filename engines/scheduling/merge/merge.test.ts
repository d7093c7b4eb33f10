import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createRng } from '../../../core/rng.ts';
import { DEFAULT_DAG_GEN, generateUsers, topologicalOrder } from '../dag/index.ts';
import type { UserTask } from '../dag/index.ts';
import { averageRepetitions, mergeTasks, projectUserTasks, repetitionFactor } from './index.ts';
import type { MergedDag } from './index.ts';

const sizeOf = (c: string) => {
  let h = 0;
  for (const ch of c) h = (h * 31 + ch.charCodeAt(0)) % 997;
  return { inputBits: 1e6 + h * 1000, cycles: 1e8 + h * 1e5, outputBits: 150e3 + h * 100 };
};
const sub = (id: string, contentId: string) => ({ id, contentId, ...sizeOf(contentId) });

function merged(tasks: readonly UserTask[], merge = true): MergedDag {
  const r = mergeTasks(tasks, { merge });
  if (!r.ok) throw new Error(`${r.reason}: ${r.detail}`);
  return r.value;
}

/** Merged DAG invariants: acyclic, entry/exit, every original edge present, users tracked. */
function checkInvariants(tasks: readonly UserTask[], dag: MergedDag): void {
  const edges = dag.nodes.flatMap((n) => n.succs.map((s) => ({ from: String(n.index), to: String(s) })));
  const { cyclic, order } = topologicalOrder(
    dag.nodes.map((n) => String(n.index)),
    edges,
  );
  assert.deepEqual(cyclic, []);
  assert.equal(order[0], '0');
  assert.equal(order[order.length - 1], String(dag.exit));
  const pos = new Map(dag.topoOrder.map((v, i) => [v, i]));
  for (const n of dag.nodes) for (const s of n.succs) assert.ok(pos.get(n.index)! < pos.get(s)!, 'topoOrder respects edges');
  for (const n of dag.nodes) for (const p of n.preds) assert.ok(dag.nodes[p]!.succs.includes(n.index), 'preds/succs agree');
  for (const t of tasks) {
    const m = dag.mapping.get(t.userId)!;
    for (const e of t.edges) {
      const a = m.get(e.from)!;
      const b = m.get(e.to)!;
      assert.ok(dag.nodes[b]!.preds.includes(a), `edge ${t.userId}:${e.from}→${e.to} maps to a merged edge`);
    }
    for (const s of t.subtasks) {
      const nd = dag.nodes[m.get(s.id)!]!;
      assert.equal(nd.contentId, s.contentId);
      assert.ok(nd.users.includes(t.userId));
      assert.ok(dag.userNodes.get(t.userId)!.includes(nd.index));
    }
  }
  const members = dag.nodes.reduce((a, n) => a + n.members.length, 0);
  assert.equal(members, tasks.reduce((a, t) => a + t.subtasks.length, 0));
}

void test('S1 Fig. 2: identical subtasks of two users become one node serving both', () => {
  const A: UserTask = {
    userId: 'A',
    subtasks: [sub('A1', 'x1'), sub('A2', 'x2'), sub('A4', 'map')],
    edges: [{ from: 'A1', to: 'A2' }],
  };
  const B: UserTask = { userId: 'B', subtasks: [sub('B1', 'y1'), sub('B2', 'map')], edges: [{ from: 'B2', to: 'B1' }] };
  const dag = merged([A, B]);
  checkInvariants([A, B], dag);
  assert.equal(dag.taskCount, 4);
  const mapNode = dag.nodes[dag.mapping.get('A')!.get('A4')!]!;
  assert.equal(dag.mapping.get('B')!.get('B2'), mapNode.index);
  assert.deepEqual(mapNode.users, ['A', 'B']);
  assert.equal(mapNode.uploader, 'A');
  assert.deepEqual(mapNode.preds, [0]);
  assert.equal(dag.nodes[0]!.kind, 'entry');
  assert.equal(dag.nodes[dag.exit]!.kind, 'exit');
  assert.equal(merged([A, B], false).taskCount, 5);
});

void test('same contentId with different predecessors is NOT merged', () => {
  const A: UserTask = { userId: 'A', subtasks: [sub('a', 'p'), sub('b', 'route')], edges: [{ from: 'a', to: 'b' }] };
  const B: UserTask = { userId: 'B', subtasks: [sub('a', 'q'), sub('b', 'route')], edges: [{ from: 'a', to: 'b' }] };
  const C: UserTask = { userId: 'C', subtasks: [sub('b', 'route')], edges: [] };
  const dag = merged([A, B, C]);
  checkInvariants([A, B, C], dag);
  assert.equal(dag.taskCount, 5);
  // and the whole chain merges when the upstream is identical too
  const D: UserTask = { userId: 'D', subtasks: [sub('z', 'p'), sub('w', 'route')], edges: [{ from: 'z', to: 'w' }] };
  const dag2 = merged([A, D]);
  assert.equal(dag2.taskCount, 2);
  assert.equal(repetitionFactor(dag2), 2);
  assert.equal(averageRepetitions(dag2), 2);
});

void test('generated scenarios: invariants, fewer nodes with merging, idempotent', () => {
  const users = generateUsers(createRng(11), { users: 30, dag: { ...DEFAULT_DAG_GEN, repeatRatio: 0.5 } });
  const tasks = users.map((u) => u.task);
  const dag = merged(tasks);
  const plain = merged(tasks, false);
  checkInvariants(tasks, dag);
  checkInvariants(tasks, plain);
  assert.equal(plain.taskCount, tasks.reduce((a, t) => a + t.subtasks.length, 0));
  assert.ok(dag.taskCount < 0.8 * plain.taskCount, `${dag.taskCount} vs ${plain.taskCount}`);
  const again = merged(projectUserTasks(dag));
  assert.equal(again.taskCount, dag.taskCount);
  assert.equal(again.nodes.reduce((a, n) => a + n.preds.length, 0), dag.nodes.reduce((a, n) => a + n.preds.length, 0));
});

/** Arbitrary small user tasks over a tiny content alphabet so collisions are frequent. */
const arbTasks = fc
  .array(
    fc.record({
      n: fc.integer({ min: 1, max: 7 }),
      contents: fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { minLength: 7, maxLength: 7 }),
      edgeBits: fc.array(fc.boolean(), { minLength: 21, maxLength: 21 }),
    }),
    { minLength: 1, maxLength: 6 },
  )
  .map((specs) =>
    specs.map((sp, u): UserTask => {
      const subtasks = Array.from({ length: sp.n }, (_, i) => sub(`s${i}`, sp.contents[i]!));
      const edges: { from: string; to: string }[] = [];
      let k = 0;
      for (let i = 0; i < 7; i++)
        for (let j = i + 1; j < 7; j++, k++) if (sp.edgeBits[k] && j < sp.n) edges.push({ from: `s${i}`, to: `s${j}` });
      return { userId: `u${u}`, subtasks, edges };
    }),
  );

void test('property: merged DAG is acyclic, preserves every precedence, is idempotent', () => {
  fc.assert(
    fc.property(arbTasks, (tasks) => {
      const dag = merged(tasks);
      checkInvariants(tasks, dag);
      const again = merged(projectUserTasks(dag));
      checkInvariants(projectUserTasks(dag), again);
      assert.equal(again.taskCount, dag.taskCount);
      assert.ok(dag.taskCount <= merged(tasks, false).taskCount);
      // merging a user set with itself (renamed users) adds no nodes
      const twice = merged([...tasks, ...tasks.map((t) => ({ ...t, userId: `${t.userId}'` }))]);
      assert.equal(twice.taskCount, dag.taskCount);
    }),
    { seed: 42, numRuns: 300 },
  );
});

void test('malformed input is a Result failure, not an exception', () => {
  const r = mergeTasks([{ userId: 'a', subtasks: [sub('x', 'a')], edges: [{ from: 'x', to: 'x' }] }]);
  assert.equal(r.ok, false);
  if (!r.ok) assert.equal(r.reason, 'self-loop');
});
