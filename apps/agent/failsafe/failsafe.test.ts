import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Failsafe, FailsafeConfigError, type FailsafeConfig } from './failsafe.ts';

const T0 = 1_700_000_000_000_000;
const S = 1_000_000; // 1 s in µs
const cfg: FailsafeConfig = { slotS: 10, holdAfterSlots: 2, rtlAfterSlots: 5 };

void test('config: M must exceed N, slots positive', () => {
  assert.throws(() => new Failsafe({ slotS: 10, holdAfterSlots: 3, rtlAfterSlots: 3 }, T0), FailsafeConfigError);
  assert.throws(() => new Failsafe({ slotS: 0, holdAfterSlots: 1, rtlAfterSlots: 3 }, T0), FailsafeConfigError);
});

void test('controller silence: nominal until N slots, hold after N, RTL after M (latched)', () => {
  const f = new Failsafe(cfg, T0);
  assert.equal(f.handle({ kind: 'tick', tUs: T0 + 20 * S }).mode, 'nominal'); // exactly N slots: not yet
  const h = f.handle({ kind: 'tick', tUs: T0 + 20 * S + 1 });
  assert.equal(h.mode, 'hold');
  assert.equal(h.fly, 'hold');
  assert.deepEqual(h.transitions, [{ atUs: T0 + 20 * S + 1, from: 'nominal', to: 'hold', reason: 'controller_silent_over_2_slots' }]);
  // Heard again → back to the plan.
  const back = f.handle({ kind: 'controller_heard', tUs: T0 + 30 * S });
  assert.equal(back.mode, 'nominal');
  assert.equal(back.transitions[0]!.reason, 'recovered');
  assert.equal(f.handle({ kind: 'tick', tUs: T0 + 80 * S }).mode, 'hold');
  const r = f.handle({ kind: 'tick', tUs: T0 + 80 * S + 1 });
  assert.equal(r.mode, 'rtl');
  assert.equal(r.fly, 'rtl');
  assert.equal(r.transitions[0]!.reason, 'controller_silent_over_5_slots');
  // A late message does not turn it around; resume does.
  assert.equal(f.handle({ kind: 'plan', tUs: T0 + 81 * S, validUntilUs: T0 + 200 * S }).mode, 'rtl');
  const res = f.handle({ kind: 'resume', tUs: T0 + 82 * S });
  assert.equal(res.mode, 'nominal');
  assert.equal(res.transitions[0]!.reason, 'resume');
  assert.deepEqual(f.log.map((t) => t.to), ['hold', 'nominal', 'hold', 'rtl', 'nominal']);
});

void test('broker unreachable: keep flying the current plan while it lasts, then hold; RTL after M still applies', () => {
  const f = new Failsafe(cfg, T0);
  f.handle({ kind: 'plan', tUs: T0, validUntilUs: T0 + 40 * S });
  const d = f.handle({ kind: 'broker_down', tUs: T0 + 1 * S });
  assert.equal(d.mode, 'broker_down');
  assert.equal(d.fly, 'plan');
  assert.equal(d.streamSetpoints, true);
  // Silence beyond N slots does not hold while the plan still covers now.
  assert.equal(f.handle({ kind: 'tick', tUs: T0 + 35 * S }).mode, 'broker_down');
  const h = f.handle({ kind: 'tick', tUs: T0 + 40 * S });
  assert.equal(h.mode, 'hold');
  assert.equal(h.transitions[0]!.reason, 'broker_unreachable_plan_expired');
  // Broker back but the controller still silent (> N) → still hold.
  assert.equal(f.handle({ kind: 'broker_up', tUs: T0 + 41 * S }).mode, 'hold');
  assert.equal(f.handle({ kind: 'tick', tUs: T0 + 51 * S }).mode, 'rtl');
});

void test('broker back after an outage longer than N slots, plan still valid: no hold at the reconnection, N slots from it', () => {
  // A clustered broker's node death can keep an agent off the broker for more than N slots (the
  // failover e2e under load: 9 s against N = 3 slots of 3 s); the controller's queued messages
  // arrive just after the reconnection, so holding at the reconnection itself was a false alarm.
  const f = new Failsafe(cfg, T0);
  f.handle({ kind: 'plan', tUs: T0, validUntilUs: T0 + 45 * S });
  f.handle({ kind: 'broker_down', tUs: T0 + 1 * S });
  const up = f.handle({ kind: 'broker_up', tUs: T0 + 25 * S });
  assert.equal(up.mode, 'nominal', 'silence while the broker was down does not count towards the hold');
  assert.deepEqual(up.transitions.map((t) => t.reason), ['recovered']);
  assert.equal(f.handle({ kind: 'tick', tUs: T0 + 45 * S - 1 }).mode, 'nominal', 'N slots after the reconnection, still inside the plan');
  // Controller still silent: the plan runs out → hold (raw silence 45 s > N).
  assert.equal(f.handle({ kind: 'tick', tUs: T0 + 45 * S }).mode, 'hold');
  // The M-slot RTL counts the whole silence, outage included.
  assert.equal(f.handle({ kind: 'tick', tUs: T0 + 50 * S + 1 }).mode, 'rtl');
  // Heard after the reconnection: nominal as usual; silent N slots after that → hold.
  const g = new Failsafe(cfg, T0);
  g.handle({ kind: 'plan', tUs: T0, validUntilUs: T0 + 100 * S });
  g.handle({ kind: 'broker_down', tUs: T0 + 1 * S });
  g.handle({ kind: 'broker_up', tUs: T0 + 25 * S });
  assert.equal(g.handle({ kind: 'tick', tUs: T0 + 45 * S }).mode, 'nominal');
  assert.equal(g.handle({ kind: 'tick', tUs: T0 + 45 * S + 1 }).mode, 'hold', 'N slots of silence after the reconnection');
  assert.equal(g.handle({ kind: 'controller_heard', tUs: T0 + 46 * S }).mode, 'nominal');
});

void test('broker down with a long plan: RTL after M slots of silence regardless', () => {
  const f = new Failsafe(cfg, T0);
  f.handle({ kind: 'plan', tUs: T0, validUntilUs: T0 + 1000 * S });
  f.handle({ kind: 'broker_down', tUs: T0 });
  assert.equal(f.handle({ kind: 'tick', tUs: T0 + 50 * S }).mode, 'broker_down');
  assert.equal(f.handle({ kind: 'tick', tUs: T0 + 50 * S + 1 }).mode, 'rtl');
});

void test('broker down with no plan → hold at once', () => {
  const f = new Failsafe(cfg, T0);
  const d = f.handle({ kind: 'broker_down', tUs: T0 + S });
  assert.equal(d.mode, 'hold');
  assert.equal(d.transitions[0]!.reason, 'broker_unreachable_no_plan');
});

void test('autopilot link lost: stop setpoints and report; on regain hold until resume', () => {
  const f = new Failsafe(cfg, T0);
  const l = f.handle({ kind: 'autopilot_link_lost', tUs: T0 + S });
  assert.equal(l.mode, 'autopilot_lost');
  assert.equal(l.streamSetpoints, false);
  assert.equal(l.fly, 'nothing');
  assert.equal(l.transitions[0]!.reason, 'autopilot_link_lost');
  // Nothing overrides a lost link, not even the battery.
  assert.equal(f.handle({ kind: 'battery_reserve', tUs: T0 + 2 * S }).mode, 'autopilot_lost');
  const g = f.handle({ kind: 'autopilot_link_regained', tUs: T0 + 3 * S });
  assert.equal(g.mode, 'rtl', 'the battery latch raised meanwhile wins over the regain hold');
  f.handle({ kind: 'resume', tUs: T0 + 4 * S });
  const f2 = new Failsafe(cfg, T0);
  f2.handle({ kind: 'autopilot_link_lost', tUs: T0 + S });
  const g2 = f2.handle({ kind: 'autopilot_link_regained', tUs: T0 + 2 * S });
  assert.equal(g2.mode, 'hold');
  assert.equal(g2.transitions[0]!.reason, 'autopilot_link_regained_awaiting_resume');
  assert.equal(f2.handle({ kind: 'controller_heard', tUs: T0 + 3 * S }).mode, 'hold');
  assert.equal(f2.handle({ kind: 'resume', tUs: T0 + 4 * S }).mode, 'nominal');
});

void test('battery reserve → RTL, latched', () => {
  const f = new Failsafe(cfg, T0);
  const r = f.handle({ kind: 'battery_reserve', tUs: T0 + S });
  assert.equal(r.mode, 'rtl');
  assert.equal(r.transitions[0]!.reason, 'battery_reserve');
  assert.equal(f.handle({ kind: 'controller_heard', tUs: T0 + 2 * S }).mode, 'rtl');
});

void test('returning (the mission-end RTL): controller silence and the broker are not judged; the battery and the autopilot link still are', () => {
  // After the last slot the controller sends RTL and goes quiet; the return can take longer than
  // N (and M) slots. Every failover mission reported a hold (then an RTL) during it.
  const f = new Failsafe(cfg, T0);
  f.handle({ kind: 'plan', tUs: T0, validUntilUs: T0 + 30 * S });
  assert.equal(f.handle({ kind: 'tick', tUs: T0 + 60 * S, returning: true }).mode, 'nominal', 'silent 6 slots, plan expired: still no hold or RTL');
  assert.equal(f.handle({ kind: 'broker_down', tUs: T0 + 61 * S }).mode, 'nominal', 'broker gone: nothing to hold on');
  assert.deepEqual(f.log, []);
  const b = f.handle({ kind: 'battery_reserve', tUs: T0 + 62 * S });
  assert.equal(b.mode, 'rtl');
  assert.equal(f.handle({ kind: 'autopilot_link_lost', tUs: T0 + 63 * S }).mode, 'autopilot_lost');
  // Not returning (flying the mission): the same silence holds at once.
  const g = new Failsafe(cfg, T0);
  g.handle({ kind: 'tick', tUs: T0 + 60 * S, returning: true });
  assert.equal(g.handle({ kind: 'tick', tUs: T0 + 60 * S + 1 }).mode, 'rtl');
});
