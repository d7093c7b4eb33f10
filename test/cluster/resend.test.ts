/**
 * A plan published while mqtt.js replays its unacknowledged QoS 1 messages after a reconnect, on a
 * connection the broker then closes too — what a clustered broker re-electing after a node's death
 * does to the leader (docs/failover.md, "A slot without plans"). A real broker (the embedded one)
 * behind a proxy that withholds its PUBACKs and closes the connection on cue, real mqtt.js; the
 * sequence is driven step by step, so the test is the same on an idle or a saturated machine.
 * - mqtt.js rejects the queued plan "Connection closed" (the loss the e2e saw as a slot without
 *   plans); `Bus.publishBytes` sends it again once the connection is back, and it arrives.
 * - Told to stop trying (an expired plan), the bus passes the rejection on: the plan is lost.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../core/clock.ts';
import { Bus, CONNECTION_CLOSED } from '../../apps/common/bus.ts';
import { silentLogger } from '../../apps/common/log.ts';
import { startEmbeddedBroker } from '../../apps/common/broker.ts';
import { FlightMode, topicName } from '../../proto/index.ts';
import { StallProxy } from './stall-proxy.ts';

async function until(cond: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const plan = (seq: number) => ({
  uav_id: 1, plan_seq: seq, slot: seq, valid_from_t_us: 1, expires_t_us: 2, planner: 'test', leader_epoch: 2,
  flight: { mode: FlightMode.FLIGHT_MODE_GOTO, target: { x_east_m: 1, y_north_m: 1, alt_m: 10 } },
});

/**
 * Plan 1 reaches the broker but its PUBACK is withheld; the connection closes; the client comes
 * back and replays plan 1, whose PUBACK is withheld again; `during` publishes plan 2 meanwhile;
 * the connection closes again; then the broker acknowledges normally.
 */
async function replayInterrupted(during: (pub: Bus) => Promise<unknown>): Promise<{ got: number[]; outcome: string }> {
  const broker = await startEmbeddedBroker();
  const proxy = new StallProxy({ host: '127.0.0.1', port: broker.port });
  await proxy.start();
  const clock = new ManualClock(1_700_000_000_000_000);
  const log = silentLogger();
  const sub = await Bus.connect({ url: broker.url, clientId: 'sub', sender: 'recorder', clock, log, persistentSession: true });
  const pub = await Bus.connect({ url: proxy.url, clientId: 'ctl', sender: 'controller', clock, log, persistentSession: true });
  try {
    const got: number[] = [];
    await sub.subscribe('plan', {}, (p) => got.push(p.plan_seq));
    proxy.stall = true;
    void pub.publish('plan', { uav: 1 }, plan(1)).catch(() => undefined);
    await until(() => got.includes(1) && proxy.dropped === 1, 'plan 1 delivered, its PUBACK withheld');
    proxy.closeAll();
    await until(() => pub.connected && proxy.dropped === 2, 'back, plan 1 replayed, its PUBACK withheld again');
    let outcome = 'pending';
    void during(pub).then((r) => (outcome = `sent (${String(r)})`), (e: Error) => (outcome = `rejected: ${e.message}`));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(outcome, 'pending', 'plan 2 waits behind the replay');
    proxy.closeAll();
    proxy.stall = false;
    await until(() => outcome !== 'pending' || got.includes(2), 'plan 2 settled');
    // Whatever was going to arrive has arrived once a later message on the same connection has.
    await until(() => pub.connected, 'back');
    await pub.publish('plan', { uav: 1 }, plan(3));
    await until(() => got.includes(3), 'plan 3');
    return { got: [...new Set(got)], outcome };
  } finally {
    await pub.close();
    await sub.close();
    await proxy.stop();
    await broker.close();
  }
}

test('Bus.publish: a QoS 1 plan queued behind the replay is sent again once the connection is back, and arrives', { timeout: 60_000 }, async () => {
  const retries: number[] = [];
  const r = await replayInterrupted((pub) => {
    const topic = topicName('plan', { uav: 1 });
    return pub.publishBytes(topic, pub.encodeWithHeader('plan', topic, plan(2)), 1, false, { onRetry: (n) => retries.push(n) }).then(() => pub.stats.resent);
  });
  assert.equal(r.outcome, 'sent (1)', 'sent again once');
  assert.deepEqual(retries, [1]);
  assert.deepEqual(r.got, [1, 2, 3], 'plan 2 arrived, before plan 3');
});

test('Bus.publishBytes gives up when told to (an expired plan) and does not retry on a closed bus', { timeout: 60_000 }, async () => {
  const r = await replayInterrupted((pub) => {
    const topic = topicName('plan', { uav: 1 });
    return pub.publishBytes(topic, pub.encodeWithHeader('plan', topic, plan(2)), 1, false, { keepTrying: () => false });
  });
  assert.equal(r.outcome, `rejected: ${CONNECTION_CLOSED}`);
  assert.deepEqual(r.got, [1, 3], 'plan 2 never reached the subscriber');
  const broker = await startEmbeddedBroker();
  try {
    const bus = await Bus.connect({ url: broker.url, clientId: 'closed', sender: 'controller', clock: new ManualClock(1), log: silentLogger() });
    await bus.close();
    await assert.rejects(bus.publishBytes('t', new Uint8Array(1), 1));
    assert.equal(bus.stats.resent, 0);
  } finally {
    await broker.close();
  }
});
