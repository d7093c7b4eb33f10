/**
 * Pool what-if and replay bookkeeping without a mission (fast, pure):
 * - `planPoolSlot`'s `scheduler: 'heft'` keeps the proposed plan's P1 and replaces P2 by HEFT; the
 *   GA (HEFT-seeded, elitist) is never above it on S1's objective; the default is unchanged;
 * - the replay's `PoolTracker` against the controller's own `PoolController` fed the same subtask
 *   completions (duplicates, a failure, an unknown key): the same twin fidelity, the same closing.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng } from '../../core/rng.ts';
import { decode, encode, type Plan, type TaskCompletion, type TaskRequest } from '../../proto/index.ts';
import { createUsers, defaultScenario, poolConfigFor, poolRoundTasks } from '../../sim/world/index.ts';
import { PoolController } from '../../apps/controller/pool.ts';
import { planPoolSlot, type PoolTask } from '../../apps/controller/slot/index.ts';
import { applyTwinState, emptyTwin, recordCompletion, type Twin } from '../../apps/controller/twin/index.ts';
import { PoolTracker, type RecordedPlan } from '../../apps/replay/index.ts';

const T0 = 1_700_000_000_000_000;

/** A plan body as the recorder holds it: with the bus's header, encoded and decoded. */
function decoded(body: object): Plan {
  const d = decode('Plan', encode('Plan', { ...body, header: { version: 1, sender: 'controller', t_us: T0, seq: 1 } } as never));
  assert.ok(d.ok);
  return d.value;
}

function fleet(n: number): Twin {
  let twin = emptyTwin();
  for (let i = 1; i <= n; i++) {
    twin = applyTwinState(twin, {
      uav_id: i, cpu_hz_available: 10e9, compute_energy_used_j: 0, bandwidth_hz: 20e6, cache_bits_available: 1e6, flight_state: 3, plan_seq: 1,
      autopilot_link_up: true, autopilot_mode: 'GUIDED', armed: true, tasks_in_progress: 0, flight_energy_used_j: 0, position: { x_east_m: 30 * (i - 1), y_north_m: 10 * i, alt_m: 25 },
    } as never, 0);
  }
  return twin;
}

function round(seed: number, users: number) {
  const scenario = defaultScenario({ uavs: 3, users, seed, taskModel: 'dag', dagGen: { repeatRatio: 0.5 } });
  const devs = createUsers(scenario, createRng(seed));
  const specs = poolRoundTasks(devs, scenario, 0, T0, createRng(seed + 100));
  const tasks: PoolTask[] = specs.map((t) => ({ taskId: t.taskId, userId: t.userId, pos: t.userPos, releaseUs: t.releaseUs, subtasks: t.task.subtasks, edges: t.task.edges }));
  const requests = specs.map((t) => ({
    header: { t_us: T0 }, task_id: t.taskId, user_id: t.userId, user_position: { x_east_m: t.userPos[0], y_north_m: t.userPos[1], alt_m: t.userPos[2] }, release_t_us: T0,
    subtasks: t.task.subtasks.map((s) => ({ id: s.id, content_id: s.contentId, input_bits: s.inputBits, cycles: s.cycles, output_bits: s.outputBits })),
    edges: t.task.edges.map((e) => ({ from: e.from, to: e.to })),
  })) as unknown as TaskRequest[];
  return { cfg: { ...poolConfigFor(scenario)!, ga: { maxEvaluations: 800 } }, tasks, requests };
}

void test('HEFT what-if: same P1 as the GA plan, HEFT at the top CPU level, GA objective ≤ HEFT; default unchanged', () => {
  for (const [seed, users] of [[1, 4], [2, 6], [3, 8], [4, 5]] as const) {
    const { cfg, tasks } = round(seed, users);
    const inp = { slot: 3, nowUs: T0, twin: fleet(3), tasks, params: cfg.params, cruiseAltM: cfg.cruiseAltM, speedMS: cfg.speedMS, kappa: cfg.kappa, seed, ga: cfg.ga };
    const ga = planPoolSlot(inp);
    const explicit = planPoolSlot({ ...inp, scheduler: 'ga', method: 'proposed' });
    const heft = planPoolSlot({ ...inp, scheduler: 'heft' });
    assert.ok(ga.ok && explicit.ok && heft.ok);
    for (const [id, p] of ga.value.plans) assert.deepEqual(encode('Plan', explicit.value.plans.get(id) as never), encode('Plan', p as never), 'defaults = proposed + GA');
    assert.deepEqual(heft.value.engine.association, ga.value.engine.association);
    for (const [id, p] of ga.value.plans) assert.deepEqual(heft.value.plans.get(id)!.flight, p.flight);
    const g = ga.value.predicted;
    const h = heft.value.predicted;
    assert.ok(g.maxObjectiveJ <= h.maxObjectiveJ + 1e-9, `seed ${seed}: GA ${g.maxObjectiveJ} > HEFT ${h.maxObjectiveJ}`);
    // HEFT's metrics are its own schedule's: max over UAVs of γE_move + E_c, SSC + makespan.
    const perUav = heft.value.engine.schedule.perUav;
    assert.equal(h.maxObjectiveJ, Math.max(...perUav.map((u) => u.objectiveJ)));
    assert.ok(Math.abs(h.totalTimeS - Math.max(...perUav.map((u) => u.finishS))) < 1e-9, 'SSC + makespan = the last UAV finish');
    // HEFT runs every node at the top level (no DVFS); dependencies are respected.
    for (const p of heft.value.plans.values()) {
      for (const s of p.schedule ?? []) {
        assert.equal(s.cpu_hz, 10e9);
        (s.predecessor_ready_s as number[]).forEach((r) => assert.ok((s.start_s as number) >= r - 1e-9));
      }
    }
  }
});

void test('the replay\'s PoolTracker learns and closes exactly as the controller\'s PoolController', () => {
  const { cfg, requests } = round(7, 5);
  const pc = new PoolController(cfg);
  for (const r of requests) assert.ok(pc.add(r));
  let ctlTwin = fleet(3);
  const step = pc.step(2, T0, ctlTwin);
  assert.ok(step.plans, step.error);
  assert.deepEqual(step.taskIds, requests.map((r) => r.task_id));
  const recorded = new Map<number, RecordedPlan>([...step.plans].map(([id, body], index) => {
    const msg = decoded(body);
    return [id, { recvUs: T0, index, uavId: id, payload: encode('Plan', msg as never), msg }];
  }));
  const tracker = new PoolTracker();
  for (const r of requests) tracker.onTask(r);
  let repTwin = fleet(3);
  const inp = tracker.startRound(2, T0, repTwin, recorded, undefined, () => undefined);
  assert.deepEqual(inp.tasks.map((t) => t.taskId), step.taskIds);
  // Completions: every node, slower than planned by a varying factor; one repeat, one failure, one unknown key.
  const entries = [...recorded.values()].flatMap((p) => p.msg.schedule.map((s) => ({ s, uav: p.uavId }))).sort((a, b) => a.s.end_s - b.s.end_s);
  const comps: TaskCompletion[] = [];
  entries.forEach(({ s, uav }, i) => {
    const c = { subtask_id: s.node_key, uav_id: uav, done_t_us: T0 + Math.round(s.end_s * (1.1 + 0.05 * i) * 1e6), service_start_t_us: T0 + Math.round(s.start_s * 1e6), compute_s: (s.cycles / s.cpu_hz) * (1.2 + 0.1 * (i % 3)), failed: i === 2, compute_energy_j: 0 } as unknown as TaskCompletion;
    comps.push(c);
    if (i === 1) comps.push({ ...c, compute_s: 99 } as TaskCompletion);
    if (i === 3) comps.push({ ...c, subtask_id: 'nope/1' } as TaskCompletion);
  });
  let closedAt = -1;
  comps.forEach((c, i) => {
    const sample = pc.fidelitySample(c);
    if (sample) ctlTwin = recordCompletion(ctlTwin, c.uav_id, sample);
    const out = { completions: [] };
    pc.onSubtask(c, c.done_t_us, ctlTwin, out);
    repTwin = tracker.onCompletion(c, repTwin);
    assert.equal(tracker.active, pc.active, `after completion ${i}`);
    if (!pc.active && closedAt < 0) closedAt = i;
  });
  assert.equal(closedAt, comps.length - 1, 'the round closes with its last node');
  for (const id of [1, 2, 3]) assert.deepEqual(repTwin.get(id)!.fidelity, ctlTwin.get(id)!.fidelity);
  assert.ok([...repTwin.values()].some((u) => u.fidelity.samples > 0 && u.fidelity.computeRatio > 1));
  assert.deepEqual(tracker.takeClosedTargets(), pc.lastTargets);
  assert.equal(tracker.takeClosedTargets(), undefined, 'used once');

  // Expiry: a round with no completions closes at the first step after its plans expire.
  const pc2 = new PoolController(cfg);
  const tr2 = new PoolTracker();
  for (const r of requests) {
    pc2.add(r);
    tr2.onTask(r);
  }
  const s2 = pc2.step(5, T0, fleet(3));
  const rec2 = new Map([...s2.plans!].map(([id, body], index) => [id, { recvUs: T0, index, uavId: id, payload: new Uint8Array(), msg: decoded(body) }] as const));
  tr2.startRound(5, T0, fleet(3), rec2 as Map<number, RecordedPlan>, undefined, () => undefined);
  const exp = [...rec2.values()][0]!.msg.expires_t_us;
  for (const t of [exp - 1, exp, exp + 1]) {
    pc2.step(9, t, fleet(3));
    tr2.onStep(t);
    assert.equal(tr2.active, pc2.active, `at expiry ${t - exp}`);
  }
  assert.equal(tr2.active, false);
});
