/**
 * The browser view on a clustered broker (issue 19 §4): every nats-server node serves MQTT over
 * WebSocket; a client on one node's ws:// URL (as `uavmec view --broker ws://…` connects) reads
 * what a bus publishes on another node.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import mqtt from 'mqtt';
import { WallClock } from '../../core/clock.ts';
import { Bus } from '../../apps/common/bus.ts';
import { silentLogger } from '../../apps/common/log.ts';
import { NATS_SERVER_BIN, startNatsCluster } from '../../apps/cluster/index.ts';
import { decode, topicName } from '../../proto/index.ts';

const noNats = !fs.existsSync(NATS_SERVER_BIN) && `nats-server not installed at ${NATS_SERVER_BIN}`;

test('MQTT over WebSocket on every node: a ws:// client reads the fleet state published on another node', { timeout: 120_000, skip: noNats }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uavmec-ws-'));
  const cluster = await startNatsCluster({ nodes: 3, dir });
  let view: mqtt.MqttClient | undefined;
  let bus: Bus | undefined;
  try {
    assert.equal(cluster.wsUrls.length, 3);
    assert.match(cluster.wsUrls[1]!, /^ws:\/\/127\.0\.0\.1:\d+\/mqtt$/);
    // mqtt.js never settles connectAsync when the server closes the socket without a CONNACK: bound it.
    view = await Promise.race([
      mqtt.connectAsync(cluster.wsUrls[1]!, { clientId: `view-${process.pid}`, protocolVersion: 4, reconnectPeriod: 0 }),
      new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`no MQTT CONNACK over WebSocket from ${cluster.wsUrls[1]}`)), 20_000)),
    ]);
    const got = new Promise<number>((resolve) => view!.on('message', (_t, p) => {
      const r = decode('FleetState', p);
      if (r.ok) resolve(r.value.slot);
    }));
    await view.subscribeAsync(topicName('fleet'), { qos: 0 });
    bus = await Bus.connect({ url: cluster.urls[0]!, clientId: `ws-ctl-${process.pid}`, sender: 'controller', clock: new WallClock(), log: silentLogger() });
    const timer = setInterval(() => void bus!.publish('fleet', {}, { slot: 7, slot_s: 2, members: [] }), 200);
    const slot = await Promise.race([got, new Promise<number>((_, rej) => setTimeout(() => rej(new Error('no FleetState over WebSocket within 20 s')), 20_000))]);
    clearInterval(timer);
    assert.equal(slot, 7);
  } finally {
    await view?.endAsync().catch(() => undefined);
    await bus?.close().catch(() => undefined);
    await cluster.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
