/**
 * QoS 1 fan-out on the nats-server cluster (issue 19 §2, the "0 telemetry lost" of the evidence):
 * 6 agents' buses publish TwinState at 5 Hz, QoS 1, persistent sessions, round-robin over 3
 * nodes; 3 subscribers with persistent sessions (a controller's: several subscriptions each) on
 * different nodes; node 1 — where one subscriber and two publishers are — is SIGKILLed half-way.
 * Every message a publisher had acknowledged must reach every subscriber.
 *
 * Before uavmec created `$MQTT_msgs` itself with limits retention (apps/cluster/jetstream.ts),
 * nats-server 2.9's interest retention lost 4–16 of ~1,170 messages per subscriber in this
 * setting even without a node killed (the same messages missing at two subscribers).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { WallClock } from '../../core/clock.ts';
import { Bus } from '../../apps/common/bus.ts';
import { silentLogger } from '../../apps/common/log.ts';
import { NATS_SERVER_BIN, startNatsCluster } from '../../apps/cluster/index.ts';
import { natsRequest } from '../../apps/cluster/jetstream.ts';

const noNats = !fs.existsSync(NATS_SERVER_BIN) && `nats-server not installed at ${NATS_SERVER_BIN}`;

test('QoS 1 to three persistent subscribers through a node kill: nothing acknowledged is lost', { timeout: 240_000, skip: noNats }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uavmec-fanout-'));
  const cluster = await startNatsCluster({ nodes: 3, dir });
  const clock = new WallClock();
  const log = silentLogger();
  const buses: Bus[] = [];
  try {
    const info = JSON.parse(await natsRequest('127.0.0.1', cluster.nodes[1]!.config.clientPort, '$JS.API.STREAM.INFO.$MQTT_msgs', '', 10_000)) as { config: { retention: string; num_replicas: number } };
    assert.deepEqual([info.config.retention, info.config.num_replicas], ['limits', 3], 'the QoS 1 message stream keeps messages by age, on 3 replicas');
    const order = (i: number) => [...cluster.urls.slice(i), ...cluster.urls.slice(0, i)].join(',');
    const tag = `${process.pid}-${Date.now().toString(36)}`;
    const seen: Map<number, Set<number>>[] = [];
    for (let k = 0; k < 3; k++) {
      const b = await Bus.connect({ url: order(k), clientId: `fanout-sub-${k}-${tag}`, sender: 'controller', clock, log, persistentSession: true });
      buses.push(b);
      for (const key of ['ack', 'uavEvent', 'uavCompletion'] as const) await b.subscribe(key, {}, () => undefined);
      const m = new Map<number, Set<number>>();
      seen.push(m);
      await b.subscribe('twin', {}, (msg) => {
        const s = m.get(msg.uav_id) ?? new Set<number>();
        s.add(msg.header!.seq);
        m.set(msg.uav_id, s);
      });
    }
    const pubs: Bus[] = [];
    for (let i = 0; i < 6; i++) pubs.push(await Bus.connect({ url: order(i % 3), clientId: `fanout-uav-${i + 1}-${tag}`, sender: `uav-${i + 1}`, clock, log, persistentSession: true }));
    buses.push(...pubs);
    const acked = pubs.map(() => 0);
    const end = Date.now() + 24_000;
    const kill = setTimeout(() => void cluster.kill(0), 12_000);
    await Promise.all(pubs.map(async (b, i) => {
      while (Date.now() < end) {
        await b.publish('twin', { uav: i + 1 }, { uav_id: i + 1, cpu_hz_available: 1e9, bandwidth_hz: 1e6, cache_bits_available: 1, compute_energy_used_j: 0, position: { x_east_m: i, y_north_m: 0, alt_m: 20 } });
        acked[i]!++;
        await new Promise((r) => setTimeout(r, 200));
      }
    }));
    clearTimeout(kill);
    // Redeliveries (ack_wait 5 s) and the failed-over subscriber's backlog.
    const total = acked.reduce((a, b) => a + b, 0);
    const got = () => seen.map((m) => [...m.values()].reduce((a, s) => a + s.size, 0));
    const until = Date.now() + 60_000;
    while (got().some((n) => n < total) && Date.now() < until) await new Promise((r) => setTimeout(r, 250));
    t.diagnostic(`acknowledged ${total}; received ${got().join(' / ')}`);
    assert.ok(total > 300, `the publishers kept publishing through the kill (${total})`);
    for (const [k, m] of seen.entries()) {
      const missing: string[] = [];
      for (let i = 0; i < 6; i++) for (let q = 1; q <= acked[i]!; q++) if (!m.get(i + 1)?.has(q)) missing.push(`${i + 1}:${q}`);
      assert.deepEqual(missing, [], `subscriber ${k + 1} (first node ${k + 1}) missed acknowledged messages`);
    }
  } finally {
    await Promise.all(buses.map((b) => b.close().catch(() => undefined)));
    await cluster.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
