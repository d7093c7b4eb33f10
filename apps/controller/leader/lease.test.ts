/** The leadership lease core (issue 19 §1): join, standby, takeover on a will or an expired lease, restart, step-down. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initialLease, stepLease, type LeaderView, type LeaseState } from './lease.ts';

const S = 1e6;
const cfg = (self: string, rank = 0) => ({ self, joinWindowUs: 0.5 * S, rank, staggerUs: 0.2 * S });
const rec = (o: Partial<LeaderView>): LeaderView => ({
  controllerId: 'a', state: 'leading', epoch: 1, leaseUntilUs: 10 * S, slot: 4, slotPlanned: true, missionStartUs: 1 * S, slotS: 1, planSeq: 5000, missionStarted: true, slots: 50, ...o,
});

void test('lease: alone → leads a fresh mission with epoch 1 after the join window', () => {
  let s = initialLease(cfg('a'), 0);
  let r = stepLease(s, { kind: 'tick' }, 0.4 * S);
  assert.deepEqual(r.actions, []);
  s = r.state;
  r = stepLease(s, { kind: 'tick' }, 0.5 * S);
  assert.deepEqual(r.actions, [{ kind: 'lead', epoch: 1, resume: undefined }]);
  assert.equal(r.state.role, 'leader');
});

void test('lease: a live leader makes a standby that follows it; its will makes the standby take over at once, resuming', () => {
  let s: LeaseState = initialLease(cfg('b'), 0);
  s = stepLease(s, { kind: 'record', rec: rec({}) }, 0.1 * S).state;
  let r = stepLease(s, { kind: 'tick' }, 0.5 * S);
  assert.equal(r.state.role, 'standby');
  s = r.state;
  r = stepLease(s, { kind: 'record', rec: rec({ slot: 5, slotPlanned: false }) }, 6 * S);
  // Slot 5 began at the mission's start + 5 slots of 1 s: task requests are filed against it.
  assert.deepEqual(r.actions, [{ kind: 'follow', slot: 5, slotPlanned: false, missionStarted: true, slotStartUs: 6 * S }]);
  s = r.state;
  // A will of someone else changes nothing; the leader's will hands over at once (rank 0).
  assert.deepEqual(stepLease(s, { kind: 'record', rec: rec({ controllerId: 'z', state: 'gone', epoch: 0 }) }, 6.1 * S).actions, []);
  r = stepLease(s, { kind: 'record', rec: rec({ state: 'gone', epoch: 0 }) }, 6.2 * S);
  assert.equal(r.state.role, 'leader');
  assert.deepEqual(r.actions, [{ kind: 'lead', epoch: 2, resume: { slot: 5, slotPlanned: false, missionStartUs: 1 * S, slotS: 1, planSeq: 5000, missionStarted: true, from: 'a', fromEpoch: 1 } }]);
});

void test('lease: a will waits its grace; a renewal within it (the link dropped, not the leader) cancels the takeover', () => {
  let s: LeaseState = initialLease({ ...cfg('b'), willGraceUs: 0.3 * S }, 0);
  s = stepLease(s, { kind: 'record', rec: rec({}) }, 0.1 * S).state;
  s = stepLease(s, { kind: 'tick' }, 0.5 * S).state;
  s = stepLease(s, { kind: 'record', rec: rec({ state: 'gone', epoch: 0 }) }, 6 * S).state;
  assert.deepEqual(stepLease(s, { kind: 'tick' }, 6.2 * S).actions, [], 'within the grace');
  const renewed = stepLease(s, { kind: 'record', rec: rec({ leaseUntilUs: 16 * S }) }, 6.25 * S).state;
  assert.deepEqual(stepLease(renewed, { kind: 'tick' }, 7 * S).actions, [], 'renewed: alive');
  assert.equal(stepLease(s, { kind: 'tick' }, 6.31 * S).actions[0]?.kind, 'lead', 'no renewal: takeover after the grace');
});

void test('lease: without a will, an expired lease hands over; a rank-1 standby waits its stagger', () => {
  let s: LeaseState = initialLease(cfg('c', 1), 0);
  s = stepLease(s, { kind: 'record', rec: rec({ leaseUntilUs: 2 * S }) }, 0.1 * S).state;
  s = stepLease(s, { kind: 'tick' }, 0.5 * S).state;
  assert.equal(s.role, 'standby');
  let r = stepLease(s, { kind: 'tick' }, 2.1 * S);
  assert.deepEqual(r.actions, [], 'rank 1 waits 0.2 s after the expiry');
  r = stepLease(r.state, { kind: 'tick' }, 2.21 * S);
  assert.equal(r.actions[0]?.kind, 'lead');
});

void test('lease: a restarted controller reading its own old record takes over with the next epoch and resumes', () => {
  const s = initialLease(cfg('a'), 20 * S);
  const r = stepLease(s, { kind: 'record', rec: rec({ epoch: 3, slot: 12, leaseUntilUs: 25 * S }) }, 20.05 * S);
  assert.equal(r.state.role, 'leader');
  const a = r.actions[0];
  assert.ok(a?.kind === 'lead' && a.epoch === 4 && a.resume?.slot === 12);
});

void test('lease: a standby whose leader\'s mission ran out finishes instead of taking over', () => {
  let s: LeaseState = initialLease(cfg('b'), 0);
  s = stepLease(s, { kind: 'record', rec: rec({ leaseUntilUs: 60 * S }) }, 0.1 * S).state;
  s = stepLease(s, { kind: 'tick' }, 0.5 * S).state;
  const r = stepLease(s, { kind: 'tick' }, 70 * S);
  assert.deepEqual(r.actions, [{ kind: 'finished' }]);
});

void test('lease: a finished or run-out mission is not resumed; a deposed leader steps down', () => {
  let r = stepLease(stepLease(initialLease(cfg('b'), 0), { kind: 'record', rec: rec({ state: 'finished', epoch: 2 }) }, 0.1 * S).state, { kind: 'tick' }, 0.6 * S);
  assert.deepEqual(r.actions, [{ kind: 'lead', epoch: 3, resume: undefined }]);
  r = stepLease(stepLease(initialLease(cfg('b'), 0), { kind: 'record', rec: rec({ leaseUntilUs: 1000 * S }) }, 0.1 * S).state, { kind: 'tick' }, 100 * S);
  assert.ok(r.actions[0]?.kind === 'lead' && r.actions[0].resume === undefined, 'mission of 50 slots from t=1 s is over at 100 s');
  const leader = stepLease(initialLease(cfg('b'), 0), { kind: 'tick' }, 1 * S).state;
  r = stepLease(leader, { kind: 'record', rec: rec({ controllerId: 'c', epoch: 2 }) }, 2 * S);
  assert.deepEqual(r.actions, [{ kind: 'step-down', by: 'c', epoch: 2 }]);
  assert.deepEqual(stepLease(leader, { kind: 'record', rec: rec({ controllerId: 'b', epoch: 1 }) }, 2 * S).actions, [], 'its own echo');
});

void test('lease: heartbeats after a will (the broker closed the leader\'s connection in a stall) cancel the takeover; a crash\'s last heartbeats do not', () => {
  const base = (): LeaseState => {
    let s: LeaseState = initialLease({ ...cfg('b'), willGraceUs: 0.3 * S }, 0);
    s = stepLease(s, { kind: 'record', rec: rec({}) }, 0.1 * S).state;
    return stepLease(s, { kind: 'tick' }, 0.5 * S).state;
  };
  // Alive: the will at 6 s, heartbeats keep coming at 5 Hz on the leader's second connection.
  let s = stepLease(base(), { kind: 'record', rec: rec({ state: 'gone', epoch: 0 }) }, 6 * S).state;
  for (const t of [6.2, 6.4]) s = stepLease(s, { kind: 'heartbeat' }, t * S).state;
  let r = stepLease(s, { kind: 'tick' }, 6.31 * S);
  assert.deepEqual(r.actions, [], 'a heartbeat after the will: no takeover at the end of the grace');
  r = stepLease(s, { kind: 'tick' }, 6.45 * S);
  assert.deepEqual(r.actions, [], 'heartbeats after the will: the leader lives');
  assert.equal(r.state.role, 'standby');
  assert.equal(r.state.deadSinceUs, 0);
  // Crashed: the last heartbeat was in flight with the will; none after it.
  s = stepLease(base(), { kind: 'heartbeat' }, 5.99 * S).state;
  s = stepLease(s, { kind: 'record', rec: rec({ state: 'gone', epoch: 0 }) }, 6 * S).state;
  s = stepLease(s, { kind: 'heartbeat' }, 6.01 * S).state;
  r = stepLease(s, { kind: 'tick' }, 6.31 * S);
  assert.equal(r.actions[0]?.kind, 'lead', 'takes over at the end of the grace');
});
