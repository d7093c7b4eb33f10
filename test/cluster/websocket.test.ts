/// <reference lib="dom" />
/**
 * The browser view on a clustered broker (issue 19 §4): every nats-server node serves MQTT over
 * WebSocket; a client on one node's ws:// URL (as `uavmec view --broker ws://…` connects) reads
 * what a bus publishes on another node; and the view given the nodes' list (`uavmec view --broker
 * ws://n1/mqtt,ws://n2/mqtt,…`, what `mission --cluster --view` gives it) moves to the next node
 * when its node is killed, and keeps showing the fleet.
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
import { openViewFor } from '../../apps/view/index.ts';
import { defaultScenario } from '../../sim/world/index.ts';
import { launch, NO_CHROMIUM, openView } from '../view/browser.ts';

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

test('the live view on the nodes\' list fails over: its node SIGKILLed, it reconnects to the next and keeps showing the fleet', { timeout: 240_000, skip: noNats || NO_CHROMIUM }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uavmec-ws-view-'));
  const cluster = await startNatsCluster({ nodes: 3, dir });
  const server = await openViewFor({ wsUrl: cluster.wsUrls.join(','), scenario: defaultScenario({ uavs: 1 }) });
  // A stand-in agent on node 3 (a real bus, QoS 1 twin states, as an agent publishes them).
  const bus = await Bus.connect({ url: [cluster.urls[2]!, cluster.urls[1]!].join(','), clientId: `ws-view-uav-1-${process.pid}`, sender: 'uav-1', clock: new WallClock(), log: silentLogger(), persistentSession: true });
  let k = 0;
  const timer = setInterval(() => void bus.publish('twin', { uav: 1 }, { uav_id: 1, position: { x_east_m: 10 + (k++ % 40), y_north_m: 20, alt_m: 25 }, armed: true, autopilot_link_up: true, autopilot_mode: 'GUIDED', flight_state: 3 }).catch(() => undefined), 100);
  const browser = await launch();
  try {
    const { page, errors } = await openView(browser, server.url);
    const conn = () => page.evaluate(() => ({ state: document.getElementById('conn')!.dataset.state, node: document.getElementById('conn')!.dataset.node, messages: (window as unknown as { __view: { messages: number } }).__view.messages }));
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#fleet tr[data-uav-id="1"]')?.dataset.state === 'live' && document.getElementById('conn')!.dataset.state === 'connected', { timeout: 60_000 });
    assert.equal((await conn()).node, cluster.wsUrls[0], 'the page starts on the first node of its list');
    await cluster.kill(0);
    await page.waitForFunction((dead: string) => {
      const c = document.getElementById('conn')!;
      return c.dataset.state === 'connected' && c.dataset.node !== dead;
    }, { timeout: 60_000 }, cluster.wsUrls[0]!);
    const moved = await conn();
    assert.ok(moved.node === cluster.wsUrls[1] || moved.node === cluster.wsUrls[2], `on another node: ${moved.node}`);
    // The fleet keeps coming in through the new node.
    await page.waitForFunction((n: number) => (window as unknown as { __view: { messages: number } }).__view.messages >= n + 20, { timeout: 60_000 }, moved.messages);
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#fleet tr[data-uav-id="1"]')?.dataset.state === 'live', { timeout: 60_000 });
    assert.deepEqual(errors.filter((e) => !/WebSocket|ERR_CONNECTION_REFUSED/.test(e)), []);
  } finally {
    clearInterval(timer);
    await browser.close();
    await bus.close().catch(() => undefined);
    await server.close();
    await cluster.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
