import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { encode } from '../../proto/index.ts';
import { checkPlans, configFromSummary, evaluateSlot, loadRun, replan, replayRun, slotInputs, totalsOf, type RunFolder } from '../../apps/replay/index.ts';

/** Recorded by `runMission` (2 UAVs, 10 users, 4 slots of 6 s, cd-kkt) on another machine/process. */
const FIXTURE = join(import.meta.dirname, '../fixtures/run-2uav-4slot');

function fixture(): RunFolder {
  const r = loadRun(FIXTURE);
  assert.ok(r.ok, r.ok ? '' : r.detail);
  return r.value;
}

void test('a run recorded elsewhere replays to byte-identical plans', () => {
  const run = fixture();
  const rep = replayRun(run);
  assert.equal(rep.slots, 4);
  assert.equal(rep.check.compared, 8);
  assert.equal(rep.check.identical, 8, JSON.stringify(rep.check.first));
  assert.equal(rep.check.first, undefined);
  // The fixture offloads in later slots, so the check covers assignments, not only flight targets.
  assert.ok(run.recording.plans.some((p) => p.msg.assignments.length > 0));
});

void test('replay is deterministic: two replays give the same plan bytes (hash)', () => {
  const run = fixture();
  const cfg = configFromSummary(run.summary);
  const hash = () => {
    const h = createHash('sha256');
    const inputs = slotInputs(run.recording, cfg.slotS);
    for (const s of replan(inputs, cfg)) for (const [id, p] of [...s.out.plans].sort((a, b) => a[0] - b[0])) h.update(`${id}:`).update(encode('Plan', p as never));
    return h.digest('hex');
  };
  assert.equal(hash(), hash());
});

void test('a tampered recording is caught at the first divergent plan, byte and field', () => {
  const run = fixture();
  const cfg = configFromSummary(run.summary);
  const inputs = slotInputs(run.recording, cfg.slotS);
  // Tamper with slot 3's plan for UAV 2: change the first assignment's CPU share.
  const target = inputs[3]!.recorded.get(2)!;
  assert.ok(target.msg.assignments.length > 0);
  const changed = { ...target.msg, assignments: target.msg.assignments.map((a, i) => (i === 0 ? { ...a, cpu_hz: a.cpu_hz * 1.001 } : a)) };
  inputs[3]!.recorded.set(2, { ...target, msg: changed, payload: encode('Plan', changed as never) });
  const res = checkPlans(inputs, replan(inputs, cfg));
  assert.equal(res.identical, 7);
  assert.deepEqual(res.divergent, [{ slot: 3, uavId: 2 }]);
  assert.equal(res.first!.field, 'assignments[0].cpu_hz');
  assert.equal(res.first!.recorded, changed.assignments[0]!.cpu_hz);
  assert.ok(res.first!.byteOffset > 0);
});

void test('changed inputs diverge too: dropping a task request changes the plans', () => {
  const run = fixture();
  const cfg = configFromSummary(run.summary);
  const inputs = slotInputs(run.recording, cfg.slotS);
  inputs[3]!.tasks.pop();
  const res = checkPlans(inputs, replan(inputs, cfg));
  assert.ok(res.first && res.first.slot === 3, JSON.stringify(res.first));
});

void test('what-if: the recorded planner re-evaluates to itself; AL offloads nothing; coalition planners save energy', () => {
  const run = fixture();
  const same = replayRun(run, 'cd-kkt').whatIf!;
  assert.deepEqual(same.recorded, same.alternative);
  const t = totalsOf(same.recorded);
  // The recorded plans' own objective (Plan.objective = planned DOR) summed over slots.
  const planned = run.summary.slots.reduce((a, m) => a + m.predictedDor, 0);
  assert.ok(Math.abs(t.dor - planned) < 1e-9, `${t.dor} vs ${planned}`);
  const al = totalsOf(replayRun(run, 'al').whatIf!.alternative);
  assert.equal(al.offloaded, 0);
  assert.equal(al.dor, 0);
  assert.equal(al.energyJ, 0);
  for (const p of ['coalition', 'grand', 'nash'] as const) {
    const w = totalsOf(replayRun(run, p).whatIf!.alternative);
    assert.equal(w.tasks, t.tasks);
    assert.ok(w.offloaded > 0, `${p} serves some tasks`);
    assert.ok(w.energyJ < t.energyJ, `${p}: S0's least-compute rule (Eq. 13) uses less energy than CD+KKT`);
    assert.equal(w.onTime + w.late, w.tasks);
  }
});

void test('evaluateSlot agrees with the planner on a slot (DOR = the plan objective)', () => {
  const run = fixture();
  const cfg = configFromSummary(run.summary);
  const inputs = slotInputs(run.recording, cfg.slotS);
  const out = replan(inputs, cfg);
  inputs.forEach((inp, i) => {
    const m = evaluateSlot(inp, out[i]!, cfg);
    const objective = [...inp.recorded.values()][0]!.msg.objective;
    assert.ok(Math.abs(m.dor - objective) < 1e-9, `slot ${inp.slot}: ${m.dor} vs ${objective}`);
  });
});
