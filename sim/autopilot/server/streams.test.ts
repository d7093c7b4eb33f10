/** The telemetry streams' schedule (streams.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultStreams, dueStreams, setStreamInterval } from './streams.ts';
import { DEFAULT_RATES_HZ, MSG } from './telemetry/index.ts';

test('defaultStreams: every default rate, one phase per vehicle, different across vehicles', () => {
  const a = defaultStreams(1, 1_000_000);
  assert.deepEqual([...a.keys()].sort((x, y) => x - y), Object.keys(DEFAULT_RATES_HZ).map(Number).sort((x, y) => x - y));
  assert.equal(a.get(MSG.ATTITUDE)!.intervalUs, 1e6 / 15);
  assert.equal(new Set([...a.values()].map((s) => s.nextUs)).size, 1, 'one phase within a vehicle');
  const b = defaultStreams(2, 1_000_000);
  assert.notEqual(a.get(MSG.HEARTBEAT)!.nextUs, b.get(MSG.HEARTBEAT)!.nextUs);
  for (const s of a.values()) assert.ok(s.nextUs >= 1_000_000 && s.nextUs < 1_000_000 + 1e6 / 15);
});

test('dueStreams: each stream at its rate over 10 s of 50 Hz ticks; never twice in one tick', () => {
  const t = defaultStreams(1, 0);
  const sent = new Map<number, number>();
  for (let now = 0; now <= 10e6; now += 20_000) {
    const due = dueStreams(t, now);
    assert.equal(new Set(due).size, due.length);
    for (const id of due) sent.set(id, (sent.get(id) ?? 0) + 1);
  }
  for (const [id, hz] of Object.entries(DEFAULT_RATES_HZ)) {
    const n = sent.get(Number(id)) ?? 0;
    assert.ok(Math.abs(n - 10 * hz) <= 1, `msg ${id}: ${n} in 10 s at ${hz} Hz`);
  }
});

test('dueStreams: after a stall a stream is sent once and rescheduled from now, not replayed', () => {
  const t = defaultStreams(1, 0);
  dueStreams(t, 100_000);
  const due = dueStreams(t, 5_000_000).filter((id) => id === MSG.ATTITUDE);
  assert.equal(due.length, 1);
  const next = t.get(MSG.ATTITUDE)!.nextUs;
  assert.ok(next > 5_000_000 && next <= 5_000_000 + 1e6 / 15, `next at ${next}`);
});

test('setStreamInterval: set, stop (−1), default (0); request-only and unknown messages refused', () => {
  const t = defaultStreams(1, 0);
  assert.equal(setStreamInterval(t, MSG.ATTITUDE, 100_000, 7), true);
  assert.deepEqual(t.get(MSG.ATTITUDE), { id: MSG.ATTITUDE, intervalUs: 100_000, nextUs: 7 });
  assert.equal(setStreamInterval(t, MSG.ATTITUDE, -5, 8), true);
  assert.equal(t.get(MSG.ATTITUDE)!.intervalUs, -1);
  assert.deepEqual(dueStreams(t, 1e9).includes(MSG.ATTITUDE), false, 'stopped');
  assert.equal(setStreamInterval(t, MSG.ATTITUDE, 0, 9), true);
  assert.equal(t.get(MSG.ATTITUDE)!.intervalUs, 1e6 / 15);
  assert.equal(setStreamInterval(t, MSG.AUTOPILOT_VERSION, 1e6, 0), false);
  assert.equal(setStreamInterval(t, MSG.PROTOCOL_VERSION, 1e6, 0), false);
  assert.equal(setStreamInterval(t, 424242, 1e6, 0), false);
  assert.equal(t.has(424242), false);
});
