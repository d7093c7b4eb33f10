/**
 * End-to-end computing power pool (SPEC §5.3, issues 5 + 6): a mission with `taskModel: 'dag'`
 * through the real system — embedded MQTT broker, SITL autopilots over UDP MAVLink 2, agents,
 * the simulated users, the controller. The users' DAG tasks share library subtasks; the
 * controller merges them, plans a pool round (collection tours + subtask schedules) and the
 * agents run their schedules with dependency waits. Checked from the MQTT recording:
 * - every merged node is computed exactly once, including the ones serving several users;
 * - no subtask starts before its planned start, its UAV's previous subtask, or its predecessors'
 *   results (local: their completion; remote: completion + the UAV-to-UAV transfer, at least the
 *   output bits over the link's best rate);
 * - every user's task completes and the controller's round metrics and twin energies update.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { readRecording } from '../../apps/common/recorder.ts';
import { uavRateBps } from '../../engines/scheduling/index.ts';
import { runMission } from '../../apps/mission/run.ts';
import { decode, matchTopic, type Plan, type TaskCompletion } from '../../proto/index.ts';
import { defaultScenario, poolParams } from '../../sim/world/index.ts';

test('a pool mission: merged subtasks computed once, dependencies respected, every DAG task completes', { timeout: 900_000 }, async (t) => {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'uavmec-pool-'));
  const scenario = defaultScenario({
    uavs: 3, users: 4, slots: 40, seed: 3, taskModel: 'dag', poolEverySlots: 40,
    dagGen: { repeatRatio: 0.6, layers: [3, 4] },
  });
  const summary = await runMission({ scenario, flavour: 'ardupilot', algo: 'cd-kkt', runDir });
  const rec = readRecording(path.join(runDir, 'mqtt.rec'));
  const plans: Plan[] = [];
  const comps: TaskCompletion[] = [];
  for (const m of rec.messages) {
    const key = matchTopic(m.topic)?.spec.key;
    if (key === 'plan') {
      const p = decode('Plan', m.payload);
      if (p.ok && p.value.schedule.length) plans.push(p.value);
    }
    if (key === 'uavCompletion') {
      const c = decode('TaskCompletion', m.payload);
      if (c.ok && c.value.subtask_id) comps.push(c.value);
    }
  }
  const pool = summary.pools?.[0];
  t.diagnostic(`pool: ${JSON.stringify(pool)}`);
  t.diagnostic(`tasks ${summary.totals.completed}/${summary.totals.released}, subtask completions ${comps.length}, plans with schedules ${plans.length}`);

  // One round, on every UAV that had work, fully done.
  assert.ok(pool, 'a pool round closed');
  assert.equal(summary.pools!.length, 1);
  assert.equal(pool.tasks, scenario.users);
  assert.equal(pool.finished, true, 'every node done before expiry');
  assert.equal(pool.tasksDone, scenario.users);
  assert.equal(pool.completion, 1);
  assert.equal(pool.failedNodes, 0);
  assert.ok(pool.subtasks > pool.nodes && pool.sharedNodes > 0, 'identical subtasks were merged');

  // Each node computed exactly once (none duplicated, none missing), shared ones included.
  const entries = new Map(plans.flatMap((p) => p.schedule.map((s) => [s.node_key, { s, p }] as const)));
  assert.equal(entries.size, pool.nodes);
  const byKey = new Map<string, TaskCompletion[]>();
  for (const c of comps) byKey.set(c.subtask_id, [...(byKey.get(c.subtask_id) ?? []), c]);
  for (const key of entries.keys()) assert.equal(byKey.get(key)?.length, 1, `node ${key} completed once`);
  assert.equal(comps.length, pool.nodes);
  const shared = [...entries.values()].filter(({ s }) => new Set(s.serves.map((m) => m.split('/')[0])).size > 1);
  assert.ok(shared.length > 0, 'a node serves two users');
  for (const { s } of shared) assert.equal(byKey.get(s.node_key)!.length, 1);

  // Dependency waits.
  const params = poolParams(scenario);
  const bestRate = uavRateBps(params, 1);
  let remoteEdges = 0;
  for (const [key, { s, p }] of entries) {
    const c = byKey.get(key)![0]!;
    assert.equal(c.uav_id, p.uav_id, `${key} ran where planned`);
    assert.ok(c.service_start_t_us >= p.valid_from_t_us + s.start_s * 1e6 - 1, `${key} not before its planned start`);
    s.predecessor_ids.forEach((pk, i) => {
      const pc = byKey.get(pk)![0]!;
      const remote = s.predecessor_uav_ids[i] !== 0;
      const minTransferUs = remote ? (s.predecessor_output_bits[i]! / bestRate) * 1e6 : 0;
      if (remote) remoteEdges++;
      assert.ok(c.service_start_t_us >= pc.done_t_us + minTransferUs - 1, `${key} started ${c.service_start_t_us} before ${pk}'s result (${pc.done_t_us} + ${minTransferUs.toFixed(0)} µs)`);
    });
  }
  // One subtask at a time per UAV.
  for (const id of new Set(comps.map((c) => c.uav_id))) {
    const mine = comps.filter((c) => c.uav_id === id).sort((a, b) => a.service_start_t_us - b.service_start_t_us);
    for (let k = 1; k < mine.length; k++) assert.ok(mine[k]!.service_start_t_us >= mine[k - 1]!.done_t_us - 1, `UAV ${id} ran two subtasks at once`);
  }
  t.diagnostic(`remote dependency edges: ${remoteEdges}`);

  // Every user's task completed; the controller and the twin saw the work.
  assert.equal(summary.totals.released, scenario.users);
  assert.equal(summary.totals.completed, scenario.users, 'every DAG task completed');
  assert.equal(summary.totals.failed, 0);
  assert.equal(summary.totals.plansNacked, 0);
  assert.ok(pool.totalTimeS > 0 && pool.makespanS > 0 && pool.maxEnergyJ > 0 && pool.totalEnergyJ >= pool.maxEnergyJ);
  assert.ok(pool.computeEnergyJ > 0);
  const twinCompute = summary.uavs.reduce((a, u) => a + u.computeEnergyJ, 0);
  assert.ok(Math.abs(twinCompute - pool.computeEnergyJ) <= 1e-6 * pool.computeEnergyJ + 1e-9, `twin compute energy ${twinCompute} = completions' ${pool.computeEnergyJ}`);
  assert.equal(summary.uavs.reduce((a, u) => a + u.tasksComputed, 0), pool.nodes);
  if (!process.env.UAVMEC_KEEP_RUN) fs.rmSync(runDir, { recursive: true, force: true });
});
