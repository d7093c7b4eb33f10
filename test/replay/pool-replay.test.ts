/**
 * Issue 8 for dependent tasks: a deterministic dag mission (`clock: 'virtual'`, SPEC §5.3 pool
 * rounds between slot plans) recorded here, then
 * - replayed: slot plans and pool-round plans byte-identical, from the controller's planning-inputs
 *   events (the pool rounds' included);
 * - what-if: HEFT (the same P1, HEFT as P2) vs the GA, and S1's baselines, metrics side by side
 *   with the rounds as flown; the GA's max-energy objective ≤ HEFT's on every round;
 * - tampering with a pool plan, the inputs of a round, or the bookkeeping between rounds (the
 *   twin's fidelity from pool completions, the pool positions the next slot plan starts from) is
 *   caught at the first divergent plan and field.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runMission } from '../../apps/mission/run.ts';
import { encode } from '../../proto/index.ts';
import {
  replayThroughCore,
  checkPlans, checkRounds, configFromSummary, formatReplay, loadRun, poolConfigFromSummary, poolTotals, replan, replanPools, replayInputs, replayRun,
  POOL_REPLAY_PLANNERS, type RunFolder,
} from '../../apps/replay/index.ts';
import { defaultScenario } from '../../sim/world/index.ts';

let dir = '';
let run: RunFolder;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uavmec-pool-replay-'));
  // Two rounds (slots 0 and 32 release; the first takes ≈ 27 slots as flown), slot plans between.
  const scenario = defaultScenario({ uavs: 2, users: 3, slots: 64, seed: 5, taskModel: 'dag', poolEverySlots: 32, dagGen: { repeatRatio: 0.6, layers: [2, 3] } });
  await runMission({ scenario, speed: 1, flavour: 'ardupilot', algo: 'cd-kkt', runDir: dir, clock: 'virtual', landTimeoutS: 10 });
  const r = loadRun(dir);
  assert.ok(r.ok, r.ok ? '' : r.detail);
  run = r.value;
}, { timeout: 900_000 });

after(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** The slot and round inputs as inputs.ts rebuilds them, from what the controller's core planned with (its PlanningInputs). */
const inputsOf = () => {
  const core = replayThroughCore(run.recording, { ...configFromSummary(run.summary), pool: poolConfigFromSummary(run.summary)! });
  assert.ok(core.ok);
  return replayInputs(run.recording, configFromSummary(run.summary).slotS, { stated: core.value.stated });
};

/** Re-plans the rounds with the recorded planner and checks them against their recorded plans. */
function checkPools(pools: ReturnType<typeof inputsOf>['pools']) {
  const out = replanPools(pools, poolConfigFromSummary(run.summary)!);
  return checkRounds(pools.map((inp, i) => ({ slot: inp.slot, recorded: inp.recorded, replayed: out[i]!.out.ok ? out[i]!.out.value.plans : new Map() })), 'pool');
}

void test('a deterministic dag mission replays byte-identically: slot plans and pool rounds', (t) => {
  const pools = run.summary.pools ?? [];
  assert.equal(pools.length, 2, 'two pool rounds flew');
  assert.ok(pools.every((p) => p.finished && p.tasksDone === p.tasks), JSON.stringify(pools.map((p) => [p.slot, p.tasksDone, p.tasks])));
  const all = inputsOf();
  assert.equal(all.pools.length, 2);
  assert.ok(all.pools.every((p) => p.fromEvent && p.tasks.length === 3), 'each round from its planning-inputs event');
  assert.ok(all.slots.length > 0 && all.slots.every((s) => s.fromEvent));
  assert.ok(all.slots.some((s) => s.prevTargets), 'a slot plan follows a closed round');
  // The plans checked carry schedules (merged subtasks), not only flight.
  assert.ok([...all.pools[0]!.recorded.values()].some((p) => p.msg.schedule.length > 0));
  const rep = replayRun(run);
  for (const l of formatReplay(rep).split('\n')) t.diagnostic(l);
  assert.equal(rep.check.identical, rep.check.compared, JSON.stringify(rep.check.first));
  assert.equal(rep.pools!.rounds, 2);
  assert.equal(rep.pools!.check.compared, 4);
  assert.equal(rep.pools!.check.identical, 4, JSON.stringify(rep.pools!.check.first));
});

void test('what-if HEFT vs GA: metrics side by side, the GA objective never above HEFT on a round, same P1', (t) => {
  const rep = replayRun(run, 'heft');
  const w = rep.pools!.whatIf!;
  for (const l of formatReplay(rep).split('\n').slice(3)) t.diagnostic(l);
  assert.equal(w.planner, 'heft');
  assert.equal(w.recorded.length, 2);
  w.recorded.forEach((ga, i) => {
    const h = w.alternative[i]!;
    for (const r of [ga, h]) {
      assert.equal(r.error, undefined);
      for (const k of ['maxEnergyJ', 'totalEnergyJ', 'makespanS', 'completionS', 'meanTaskCompletionS', 'waitingS'] as const) assert.ok(Number.isFinite(r[k]) && r[k] >= 0, `${k} ${r[k]}`);
      assert.equal(r.tasksCompleted, r.tasks);
      assert.ok(r.maxEnergyJ <= r.totalEnergyJ + 1e-9 && r.completionS >= r.makespanS);
    }
    assert.ok(ga.maxEnergyJ <= h.maxEnergyJ + 1e-9, `round ${ga.slot}: GA ${ga.maxEnergyJ} > HEFT ${h.maxEnergyJ}`);
    // The recorded planner re-evaluates to what the controller predicted for the round.
    const flown = run.summary.pools!.find((p) => p.slot === ga.slot)!;
    assert.ok(Math.abs(ga.maxEnergyJ - flown.predicted.maxEnergyJ) < 1e-6 && Math.abs(ga.completionS - flown.predicted.totalTimeS) < 1e-9);
    // Measured next to it: the round as flown.
    const m = w.measured[i]!;
    assert.equal(m.tasksCompleted, m.tasks);
    assert.equal(m.completionS, flown.totalTimeS);
    assert.ok(m.meanTaskCompletionS > 0 && m.meanTaskCompletionS <= m.completionS + 1e-9);
  });
  // HEFT replaces P2 only: the same association, tours and pool positions as the GA plan.
  const cfg = poolConfigFromSummary(run.summary)!;
  const pools = inputsOf().pools;
  const [ga, heft] = [replanPools(pools, cfg, 'ga'), replanPools(pools, cfg, 'heft')];
  let schedulesDiffer = false;
  pools.forEach((_, i) => {
    const a = ga[i]!.out;
    const b = heft[i]!.out;
    assert.ok(a.ok && b.ok);
    assert.deepEqual(b.value.engine.association, a.value.engine.association);
    for (const [id, p] of a.value.plans) {
      assert.deepEqual(b.value.plans.get(id)!.flight, p.flight);
      if (JSON.stringify(b.value.plans.get(id)!.schedule) !== JSON.stringify(p.schedule)) schedulesDiffer = true;
    }
  });
  assert.ok(schedulesDiffer, 'HEFT schedules differ from the GA somewhere');
  const tot = poolTotals(w.alternative);
  assert.equal(tot.tasksCompleted, 6);
});

void test('what-if with every pool planner: ga = the recorded planner; S1 baselines plan every round', () => {
  const same = replayRun(run, 'ga').pools!.whatIf!;
  assert.deepEqual(same.alternative, same.recorded);
  for (const p of POOL_REPLAY_PLANNERS) {
    const w = replayRun(run, p).pools!.whatIf!;
    assert.equal(w.alternative.length, 2);
    for (const r of w.alternative) {
      assert.equal(r.error, undefined, p);
      assert.equal(r.tasksCompleted, r.tasks, p);
      assert.ok(Number.isFinite(r.maxEnergyJ) && r.maxEnergyJ > 0, p);
    }
  }
  // A slot planner in a dag run re-plans the slot plans only.
  const s = replayRun(run, 'al');
  assert.ok(s.whatIf && s.pools && !s.pools.whatIf);
});

void test('a tampered pool plan is caught at the round, UAV, byte and field', () => {
  const pools = inputsOf().pools;
  const round = pools[1]!;
  const [uavId, target] = [...round.recorded].find(([, p]) => p.msg.schedule.length > 1)!;
  const changed = { ...target.msg, schedule: target.msg.schedule.map((s, i) => (i === 1 ? { ...s, cpu_hz: s.cpu_hz * 1.001 } : s)) };
  round.recorded.set(uavId, { ...target, msg: changed, payload: encode('Plan', changed as never) });
  const res = checkPools(pools);
  assert.equal(res.identical, 3);
  assert.deepEqual(res.divergent, [{ slot: round.slot, uavId }]);
  assert.equal(res.first!.kind, 'pool');
  assert.equal(res.first!.field, 'schedule[1].cpu_hz');
  assert.equal(res.first!.recorded, changed.schedule[1]!.cpu_hz);
  assert.ok(res.first!.byteOffset > 0);
});

void test('changed pool inputs diverge: a dropped task, or a twin that did not learn from the first round', () => {
  const a = inputsOf().pools;
  a[0]!.tasks.pop();
  const ra = checkPools(a);
  assert.equal(ra.first?.slot, a[0]!.slot, JSON.stringify(ra.first));
  // Round 2's twin learned its compute ratio from round 1's subtask completions (SPEC §2).
  const b = inputsOf().pools;
  const learned = [...b[1]!.twin.values()].filter((u) => u.fidelity.samples > 0);
  assert.ok(learned.length > 0, 'pool completions were fidelity samples');
  b[1]!.twin = new Map([...b[1]!.twin].map(([id, u]) => [id, { ...u, fidelity: { samples: 0, completionFidelity: 1, computeRatio: 1 } }]));
  const rb = checkPools(b);
  assert.equal(rb.first?.slot, b[1]!.slot, JSON.stringify(rb.first));
});

void test('the slot plan after a round starts from the round\'s pool positions', () => {
  const cfg = configFromSummary(run.summary);
  const slots = inputsOf().slots;
  const after = slots.find((s) => s.prevTargets)!;
  for (const s of slots) delete s.prevTargets;
  const res = checkPlans(slots, replan(slots, cfg));
  assert.equal(res.first?.slot, after.slot, JSON.stringify(res.first));
  assert.match(res.first!.field, /^flight\./);
});
