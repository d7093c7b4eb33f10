import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ActivityTracker, VirtualClock } from './clock.ts';

const wallTick = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

void test('VirtualClock runs timers in due order, then creation order, jumping time', async () => {
  const c = new VirtualClock({ startUs: 1_000_000 });
  const seen: string[] = [];
  c.setTimeout(() => seen.push(`b@${c.nowUs()}`), 20);
  c.setTimeout(() => seen.push(`a@${c.nowUs()}`), 10);
  c.setTimeout(() => seen.push(`c@${c.nowUs()}`), 20);
  const iv = c.setInterval(() => seen.push(`i@${c.nowUs()}`), 15);
  const done = c.sleep(31).then(() => seen.push('slept'));
  c.start();
  await done;
  iv.cancel();
  await c.stop();
  assert.deepEqual(seen, ['a@1010000', 'i@1015000', 'b@1020000', 'c@1020000', 'i@1030000', 'slept']);
  assert.equal(c.stats.fired, 6);
});

void test('VirtualClock does not advance while work is in flight, and a cascade completes within its instant', async () => {
  const a = new ActivityTracker();
  const c = new VirtualClock({ startUs: 0, activity: a });
  const log: string[] = [];
  // Timer at 10 ms "sends a message" that arrives after real I/O time (25 ms of wall time) and schedules a reply timer.
  c.setTimeout(() => {
    a.begin('rx');
    setTimeout(() => {
      log.push(`delivered@${c.nowUs()}`);
      c.setTimeout(() => log.push(`reply@${c.nowUs()}`), 0);
      a.end('rx');
    }, 25);
  }, 10);
  c.setTimeout(() => log.push(`next@${c.nowUs()}`), 11);
  c.start();
  await c.sleep(20);
  await c.stop();
  assert.deepEqual(log, ['delivered@10000', 'reply@10000', 'next@11000']);
  assert.equal(c.stats.stalls, 0);
  assert.equal(a.pending, 0);
});

void test('ActivityTracker: per-key counts never go negative; unmatched ends are counted', () => {
  const a = new ActivityTracker();
  a.end('udp:1');
  assert.equal(a.unmatched, 1);
  a.begin('udp:1');
  a.begin('udp:2');
  assert.equal(a.pending, 2);
  a.end('udp:1');
  a.end('udp:1');
  assert.deepEqual(a.pendingByKey(), { 'udp:2': 1 });
  assert.equal(a.unmatched, 2);
});

void test('a lost message stalls the VirtualClock only for stallMs, and the stall is reported', async () => {
  const a = new ActivityTracker();
  const c = new VirtualClock({ startUs: 0, activity: a, stallMs: 30 });
  let fired = false;
  c.setTimeout(() => a.begin('lost'), 1);
  c.setTimeout(() => (fired = true), 2);
  c.start();
  while (!fired) await wallTick(5);
  await c.stop();
  assert.equal(c.stats.stalls, 1);
  assert.deepEqual(c.stats.stalledOn, [{ lost: 1 }]);
});

void test('ActivityTracker routes: a publish is in flight to every routed subscriber until each handled it', () => {
  const a = new ActivityTracker();
  a.register('mqtt:ctl');
  a.register('mqtt:rec');
  a.route('mqtt:ctl', (t) => t.endsWith('/twin'));
  a.route('mqtt:rec', () => true);
  a.route('mqtt:unknown', () => true); // not registered: ignored
  assert.deepEqual(a.beginDeliveries('uavmec/v1/uav/1/twin'), ['mqtt:ctl', 'mqtt:rec']);
  assert.deepEqual(a.beginDeliveries('uavmec/v1/fleet'), ['mqtt:rec']);
  assert.deepEqual(a.pendingByKey(), { 'mqtt:ctl': 1, 'mqtt:rec': 2 });
  a.end('mqtt:ctl');
  a.end('mqtt:rec');
  assert.equal(a.pending, 1);
  // A receiver that closes is no longer waited for, nor routed to.
  a.unregister('mqtt:rec');
  assert.equal(a.pending, 0);
  assert.deepEqual(a.beginDeliveries('uavmec/v1/fleet'), []);
});

void test('ActivityTracker: a topic\'s delivery list is remembered and follows every route change', () => {
  const a = new ActivityTracker();
  let asked = 0;
  a.register('mqtt:ctl');
  a.route('mqtt:ctl', (t) => (asked++, t.endsWith('/twin')));
  for (let i = 0; i < 5; i++) assert.deepEqual(a.beginDeliveries('uavmec/v1/uav/1/twin'), ['mqtt:ctl']);
  assert.equal(asked, 1, 'matched once, then remembered');
  a.register('mqtt:rec');
  a.route('mqtt:rec', () => true);
  assert.deepEqual(a.beginDeliveries('uavmec/v1/uav/1/twin'), ['mqtt:ctl', 'mqtt:rec'], 'a new subscription counts at once');
  a.unregister('mqtt:ctl');
  assert.deepEqual(a.beginDeliveries('uavmec/v1/uav/1/twin'), ['mqtt:rec'], 'a closed endpoint is no longer counted');
  assert.deepEqual(a.pendingByKey(), { 'mqtt:rec': 2 });
});

void test('the VirtualClock waits for a routed delivery before the next timer, however late it arrives', async () => {
  const a = new ActivityTracker();
  const c = new VirtualClock({ startUs: 0, activity: a });
  a.register('mqtt:sub');
  a.route('mqtt:sub', () => true);
  const log: string[] = [];
  c.setTimeout(() => {
    a.beginDeliveries('t');
    // Delivered 30 wall ms later (a busy broker): the clock must not move meanwhile.
    setTimeout(() => {
      log.push(`delivered@${c.nowUs()}`);
      a.end('mqtt:sub');
    }, 30);
  }, 5);
  c.setTimeout(() => log.push(`next@${c.nowUs()}`), 6);
  c.start();
  await c.sleep(10);
  await c.stop();
  assert.deepEqual(log, ['delivered@5000', 'next@6000']);
  assert.equal(c.stats.stalls, 0);
});
