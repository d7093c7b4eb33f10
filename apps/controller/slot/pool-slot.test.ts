import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng } from '../../../core/rng.ts';
import { validateMessage, type Plan, type TaskRequest } from '../../../proto/index.ts';
import { createUsers, defaultScenario, poolParams, poolRoundTasks, UAV_KAPPA } from '../../../sim/world/index.ts';
import { PoolController } from '../pool.ts';
import { applyTwinState, emptyTwin, type Twin } from '../twin/index.ts';
import { layerAltitude } from './plan-slot.ts';
import { memberKey, planPoolSlot, type PoolTask } from './pool-slot.ts';
import { PoolRound } from './pool-round.ts';

const scenario = defaultScenario({ uavs: 3, users: 5, seed: 4, taskModel: 'dag', poolEverySlots: 10, dagGen: { repeatRatio: 0.6 } });
const T0 = 1_700_000_000_000_000;

function fleet(n: number, cpuHz = 10e9): Twin {
  let twin = emptyTwin();
  for (let i = 1; i <= n; i++) {
    twin = applyTwinState(twin, {
      uav_id: i, cpu_hz_available: cpuHz, compute_energy_used_j: 0, bandwidth_hz: 20e6, cache_bits_available: 1e6, flight_state: 3, plan_seq: 1,
      autopilot_link_up: true, autopilot_mode: 'GUIDED', armed: true, tasks_in_progress: 0, flight_energy_used_j: 1000 * i, position: { x_east_m: 6 * (i - 1), y_north_m: 0, alt_m: 25 },
    } as never, 0);
  }
  return twin;
}

function tasks(): PoolTask[] {
  const users = createUsers(scenario, createRng(scenario.seed));
  return poolRoundTasks(users, scenario, 0, T0, createRng(9)).map((t) => ({ taskId: t.taskId, userId: t.userId, pos: t.userPos, releaseUs: t.releaseUs, subtasks: t.task.subtasks, edges: t.task.edges }));
}

const input = (ts: PoolTask[], twin = fleet(3)) => ({ slot: 0, nowUs: T0, twin, tasks: ts, params: poolParams(scenario), cruiseAltM: scenario.cruiseAltM, speedMS: scenario.uavSpeedMS, kappa: UAV_KAPPA, seed: 1, ga: { maxEvaluations: 600 }, alternations: 2 });

void test('a pool round becomes valid per-UAV plans: tours, every merged node scheduled once, dependencies spelled out', () => {
  const ts = tasks();
  const r = planPoolSlot(input(ts));
  assert.ok(r.ok, r.ok ? '' : r.detail);
  const { plans, nodes, taskNodes, engine } = r.value;
  assert.equal(plans.size, 3);
  const all = [...plans.values()].flatMap((p) => p.schedule!.map((s) => ({ s, uav: p.uav_id as number })));
  // Every merged node once; together they serve every original subtask exactly once.
  assert.equal(all.length, engine.dag.taskCount);
  assert.equal(new Set(all.map((e) => e.s.node_key)).size, all.length);
  const served = all.flatMap((e) => e.s.serves as string[]).sort();
  assert.deepEqual(served, ts.flatMap((t) => t.subtasks.map((s) => memberKey(t.taskId, s.id))).sort());
  assert.ok(all.some((e) => new Set((e.s.serves as string[]).map((m) => m.split('/')[0])).size > 1), 'some node serves two users');
  const where = new Map(all.map((e) => [e.s.node_key as string, e]));
  for (const [i, p] of [...plans.values()].entries()) {
    const plan = { header: undefined, assignments: [], shares: [], signature: new Uint8Array(), ...p } as unknown as Plan;
    assert.equal(validateMessage('Plan', plan), undefined, `plan ${i} valid`);
    // Waypoints: the engine's visit order at this UAV's layer; the last one is the pool position.
    const c = engine.collection.perUav[i]!;
    const wps = p.flight!.waypoints!;
    if (c.visits.length) assert.deepEqual(wps.map((w) => [w.x_east_m, w.y_north_m]), c.visits.map((m) => [ts[m]!.pos[0], ts[m]!.pos[1]]));
    for (const w of wps) assert.equal(w.alt_m, layerAltitude(scenario.cruiseAltM, i, 3, 4));
    assert.deepEqual(r.value.targets.get(p.uav_id as number), [c.poolPosition.x, c.poolPosition.y]);
    // Execution order: starts increase; every local predecessor comes earlier on this UAV.
    const sched = p.schedule!;
    sched.forEach((s, k) => {
      assert.ok((s.start_s as number) >= engine.collection.poolStartS - 1e-9 && (s.end_s as number) > (s.start_s as number));
      if (k > 0) assert.ok((s.start_s as number) >= (sched[k - 1]!.end_s as number) - 1e-9, 'one subtask at a time');
      (s.predecessor_ids as string[]).forEach((pk, j) => {
        const src = where.get(pk)!;
        const local = (s.predecessor_uav_ids as number[])[j] === 0;
        assert.equal(local, src.uav === p.uav_id, `${pk} source UAV`);
        if (local) assert.ok(sched.findIndex((x) => x.node_key === pk) < k);
        assert.ok((s.predecessor_ready_s as number[])[j]! >= (src.s.end_s as number) - 1e-9, 'ready after the predecessor ends');
        assert.ok((s.start_s as number) >= (s.predecessor_ready_s as number[])[j]! - 1e-9, 'planned start after every result is here');
        assert.equal((s.predecessor_output_bits as number[])[j], src.s.output_bits, 'the predecessor\'s result size');
      });
    });
  }
  for (const t of ts) {
    const need = taskNodes.get(t.taskId)!;
    assert.ok(need.length > 0 && need.length <= t.subtasks.length);
    for (const k of need) assert.ok(nodes.get(k)!.taskIds.includes(t.taskId));
  }
});

void test('a round with no airborne UAV or no task is a Result failure', () => {
  assert.equal(planPoolSlot(input([])).ok, false);
  const grounded = applyTwinState(emptyTwin(), { uav_id: 1, cpu_hz_available: 1e9, compute_energy_used_j: 0, flight_state: 1, autopilot_link_up: true, position: { x_east_m: 0, y_north_m: 0, alt_m: 0 } } as never, 0);
  assert.equal(planPoolSlot(input(tasks(), grounded)).ok, false);
});

void test('the round tracker: a task completes with its last node, results are announced, repeats are counted, metrics close', () => {
  const r = planPoolSlot(input(tasks()));
  assert.ok(r.ok);
  const round = new PoolRound(r.value, 0, new Map([[1, 1000], [2, 2000], [3, 3000]]));
  const order = [...r.value.nodes.values()].sort((a, b) => a.predictedEndS - b.predictedEndS);
  const finishedTasks: number[] = [];
  order.forEach((n, k) => {
    const at = T0 + n.predictedEndS * 1e6;
    const out = round.complete({ key: n.key, uavId: n.uavId, serviceStartUs: T0 + n.predictedStartS * 1e6, doneUs: at, computeEnergyJ: 0.5, failed: false })!;
    for (const d of out) {
      // Completed exactly when the last of its nodes is done.
      const need: string[] = r.value.taskNodes.get(d.taskId)!;
      assert.ok(need.every((key) => round.done.has(key)));
      assert.equal(d.doneUs, Math.max(...need.map((key) => round.done.get(key)!.doneUs)));
      finishedTasks.push(d.taskId);
    }
    assert.equal(round.ready().keys.length, k + 1);
  });
  assert.equal(round.complete({ key: order[0]!.key, uavId: 1, serviceStartUs: T0, doneUs: T0, computeEnergyJ: 0, failed: false }), undefined, 'a repeat is ignored');
  assert.equal(round.complete({ key: 'nope', uavId: 1, serviceStartUs: T0, doneUs: T0, computeEnergyJ: 0, failed: false }), undefined);
  assert.deepEqual(finishedTasks.sort(), [...r.value.taskNodes.keys()].sort());
  assert.ok(round.finished);
  const m = round.close(new Map([[1, 1600], [2, 2300], [3, 3100]]));
  assert.deepEqual(m.energyJ, { 1: 600, 2: 300, 3: 100 });
  assert.equal(m.maxEnergyJ, 600);
  assert.equal(m.totalEnergyJ, 1000);
  assert.equal(m.duplicateCompletions, 1);
  assert.equal(m.completion, 1);
  assert.ok(Math.abs(m.totalTimeS - r.value.predicted.totalTimeS) < 1e-6, 'as planned when everything runs as planned');
  assert.ok(Math.abs(m.computeEnergyJ - 0.5 * r.value.nodes.size) < 1e-9);
});

void test('the pool controller: pending DAG tasks start a round, completions relay, an expired round fails its open tasks', () => {
  const pc = new PoolController({ params: poolParams(scenario), kappa: UAV_KAPPA, cruiseAltM: 25, speedMS: 8, seed: 1, ga: { maxEvaluations: 400 } });
  const ts = tasks();
  for (const t of ts) {
    const req = {
      task_id: t.taskId, user_id: t.userId, user_position: { x_east_m: t.pos[0], y_north_m: t.pos[1], alt_m: 0 }, release_t_us: t.releaseUs,
      subtasks: t.subtasks.map((s) => ({ id: s.id, content_id: s.contentId, input_bits: s.inputBits, cycles: s.cycles, output_bits: s.outputBits })), edges: t.edges,
    } as unknown as TaskRequest;
    assert.equal(pc.add(req), true);
  }
  assert.equal(pc.add({ task_id: 1, subtasks: [] } as unknown as TaskRequest), false, 'an indivisible task is not the pool\'s');
  const twin = fleet(3);
  const s1 = pc.step(0, T0, twin);
  assert.ok(s1.plans && s1.plans.size === 3 && pc.active);
  assert.equal(pc.step(1, T0 + 2e6, twin).plans, undefined, 'no second round while one runs');
  const first = [...s1.plans.values()].flatMap((p) => p.schedule!)[0]!;
  const step = { completions: [] };
  const node = { subtask_id: first.node_key, uav_id: 1, done_t_us: T0 + 5e6, compute_s: 0.5, failed: false } as never;
  const sample = pc.fidelitySample(node)!;
  assert.equal(sample.actualS, 5);
  assert.equal(sample.predictedS, first.end_s);
  assert.equal(sample.predictedComputeS, (first.cycles as number) / (first.cpu_hz as number));
  assert.ok(pc.onSubtask({ subtask_id: first.node_key, uav_id: 1, done_t_us: T0 + 5e6, service_start_t_us: T0 + 4e6, compute_energy_j: 1, failed: false } as never, T0 + 5e6, twin, step));
  assert.deepEqual(pc.ready().results_ready, [first.node_key]);
  assert.equal(pc.fidelitySample(node), undefined, 'a repeat is not sampled twice');
  assert.deepEqual(pc.ready().results_ready_t_us, [T0 + 5e6]);
  const expired = pc.step(5, T0 + 1e12, twin);
  assert.equal(pc.active, false);
  assert.ok(expired.closed && !expired.closed.finished);
  assert.equal(expired.completions.length, ts.length);
  assert.ok(expired.completions.every((c) => c.failed));
  assert.deepEqual(pc.ready().results_ready, []);
});
