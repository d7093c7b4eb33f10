/**
 * The uplink against a real broker: order kept across a broker outage and across an agent restart
 * with messages still on disk; QoS 0 health is dropped (counted) while the broker is down.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ManualClock } from '../../core/clock.ts';
import { Bus } from '../../apps/common/bus.ts';
import { silentLogger } from '../../apps/common/log.ts';
import { openOutbox } from '../../apps/agent/outbox/index.ts';
import { Uplink } from '../../apps/agent/uplink/index.ts';
import { decodeRaw } from '../../proto/index.ts';
import { RestartableBroker, until } from './harness.ts';

async function open(url: string, dir: string) {
  const bus = await Bus.connect({ url, clientId: `uplink-test-${process.pid}`, sender: 'uav-1', clock: new ManualClock(1_700_000_000_000_000), log: silentLogger(), persistentSession: true });
  const ob = await openOutbox(dir, { maxMessages: 1000, maxBytes: 1 << 20 });
  assert.ok(ob.ok);
  const uplink = new Uplink({ bus, outbox: ob.value, log: silentLogger() });
  bus.onConnectionChange((up) => (up ? uplink.onConnected() : uplink.onDisconnected()));
  return { bus, outbox: ob.value, uplink };
}

const twin = (i: number) => ({ uav_id: 1, plan_seq: i, cpu_hz_available: 1e9, bandwidth_hz: 1e6, cache_bits_available: 1, compute_energy_used_j: 0 });

test('uplink: in order across a broker outage and an agent restart with messages on disk', { timeout: 60_000 }, async () => {
  const broker = new RestartableBroker();
  await broker.start();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uavmec-uplink-'));
  let a = await open(broker.url, dir);
  try {
    for (let i = 1; i <= 30; i++) a.uplink.send('twin', { uav: 1 }, twin(i));
    assert.ok(await a.uplink.flushed(10_000));
    await broker.stop();
    await until(() => !a.bus.connected, 'disconnect');
    for (let i = 31; i <= 60; i++) a.uplink.send('twin', { uav: 1 }, twin(i));
    a.uplink.send('health', { uav: 1 }, { uav_id: 1, rss_bytes: 1 });
    assert.equal(a.uplink.stats.dropped, 1, 'QoS 0 health dropped while down');
    // The agent stops (orderly) with 30 messages queued; they must survive on disk.
    await a.uplink.close();
    await a.outbox.close();
    await a.bus.close().catch(() => undefined);
    const reopened = await openOutbox(dir, { maxMessages: 1000, maxBytes: 1 << 20 });
    assert.ok(reopened.ok);
    assert.equal(reopened.value.stats().messages, 30, 'queued messages on disk');
    await reopened.value.close();

    await broker.start();
    a = await open(broker.url, dir);
    for (let i = 61; i <= 70; i++) a.uplink.send('twin', { uav: 1 }, twin(i));
    assert.ok(await a.uplink.flushed(10_000));
    const got = broker.received.filter((r) => r.key === 'twin').map((r) => {
      const d = decodeRaw('TwinState', r.payload);
      assert.ok(d.ok);
      return d.value.plan_seq;
    });
    assert.deepEqual(got, Array.from({ length: 70 }, (_, i) => i + 1), 'all 70, in the order made');
    assert.equal(a.outbox.stats().messages, 0);
  } finally {
    await a.uplink.close();
    await a.outbox.close();
    await a.bus.close().catch(() => undefined);
    await broker.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
