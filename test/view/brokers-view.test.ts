/// <reference lib="dom" />
/**
 * The live view on both brokers, logged in as the read-only recorder identity: the embedded aedes
 * with the generated ACL (its WebSocket listener shares the TCP listener's hooks) and a private
 * Mosquitto with a `protocol websockets` listener from the generated configuration. The page shows
 * the UAV that publishes; the broker refuses nothing of the view's (it never publishes, never
 * subscribes beyond its grant); a wrong password leaves the page disconnected.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { Page } from 'puppeteer-core';
import { ScaledClock } from '../../core/clock.ts';
import { Bus, silentLogger, startEmbeddedBroker } from '../../apps/common/index.ts';
import { ephemeralSecrets } from '../../apps/mission/secure.ts';
import { mosquittoAcl } from '../../apps/security/acl.ts';
import { mosquittoConf } from '../../apps/security/mosquitto.ts';
import { hashPassword, passwordFile } from '../../apps/security/passwords.ts';
import { openViewFor } from '../../apps/view/index.ts';
import { defaultScenario } from '../../sim/world/index.ts';
import { freePort, startMosquitto, tempDir } from '../security/harness.ts';
import { launch, NO_CHROMIUM, openView } from './browser.ts';

const scenario = defaultScenario({ uavs: 1 });
const HAS_MOSQUITTO = spawnSync('which', ['mosquitto']).status === 0;

/** Publishes UAV 1's twin state every 100 ms until stopped (a stand-in agent, on the real bus). */
async function twinPublisher(url: string, creds: { username?: string; password?: string }): Promise<() => Promise<void>> {
  const bus = await Bus.connect({ url, clientId: `view-test-uav-1-${process.pid}`, sender: 'uav-1', clock: new ScaledClock(1), log: silentLogger(), ...creds });
  let k = 0;
  const timer = setInterval(() => void bus.publish('twin', { uav: 1 }, { uav_id: 1, position: { x_east_m: 10 + k++ * 0.5, y_north_m: 20, alt_m: 25 }, armed: true, autopilot_link_up: true, autopilot_mode: 'GUIDED', flight_state: 3 }).catch(() => undefined), 100);
  return async () => {
    clearInterval(timer);
    await bus.close();
  };
}

const liveRow = (page: Page) => page.waitForFunction(() => document.querySelector<HTMLElement>('#fleet tr[data-uav-id="1"]')?.dataset.state === 'live' && document.getElementById('conn')!.dataset.state === 'connected', { timeout: 60_000 });

void test('the page code never publishes (it only subscribes)', () => {
  const dir = path.join(import.meta.dirname, '../../apps/view/public/js');
  for (const f of fs.readdirSync(dir)) assert.doesNotMatch(fs.readFileSync(path.join(dir, f), 'utf8'), /\.publish\s*\(/, f);
});

void test('secure embedded broker: the view logs in as the recorder over WebSocket, shows the fleet, and the ACL refuses it nothing', { skip: NO_CHROMIUM, timeout: 180_000 }, async () => {
  const secrets = ephemeralSecrets([1]);
  const hooks = secrets.brokerHooks();
  const broker = await startEmbeddedBroker({ hooks, wsPort: 0 });
  const rec = secrets.credentials('recorder');
  const good = await openViewFor({ wsUrl: broker.wsUrl!, username: rec.username!, password: rec.password!, scenario });
  const bad = await openViewFor({ wsUrl: broker.wsUrl!, username: 'recorder', password: 'not-the-password', scenario });
  const stop = await twinPublisher(broker.url, secrets.credentials('uav-1'));
  const browser = await launch();
  try {
    const { page, errors } = await openView(browser, good.url);
    await liveRow(page);
    assert.deepEqual({ ...hooks.denials }, { authenticate: 0, publish: 0, subscribe: 0 });
    assert.deepEqual(errors, []);
    const refused = await openView(browser, bad.url);
    await refused.page.waitForFunction(() => document.getElementById('conn')!.dataset.state === 'error', { timeout: 60_000 });
    assert.equal(await refused.page.$$eval('#fleet tr[data-uav-id]', (r) => r.length), 0);
    assert.ok(hooks.denials.authenticate >= 1);
    assert.equal(hooks.denials.publish, 0);
  } finally {
    await browser.close();
    await stop();
    await good.close();
    await bad.close();
    await broker.close();
  }
});

void test('Mosquitto with a websockets listener (generated config, ACL): the view as recorder shows the fleet', { skip: NO_CHROMIUM || (HAS_MOSQUITTO ? false : 'mosquitto not installed'), timeout: 180_000 }, async () => {
  const dir = tempDir('view-mosq');
  const PW = { 'uav-1': 'pw-uav-1', recorder: 'pw-recorder' };
  fs.writeFileSync(path.join(dir, 'acl'), mosquittoAcl({ uavIds: [1], recorder: true }));
  fs.writeFileSync(path.join(dir, 'passwd'), passwordFile(new Map(Object.entries(PW).map(([u, p]) => [u, hashPassword(p)]))));
  const [tcp, ws] = [await freePort(), await freePort()];
  const passwd = path.join(dir, 'passwd');
  fs.writeFileSync(path.join(dir, 'mosquitto.conf'), mosquittoConf({ listeners: [{ port: tcp, passwordFile: passwd }, { port: ws, passwordFile: passwd, websockets: true }], aclFile: path.join(dir, 'acl'), user: 'root' }));
  const mosq = await startMosquitto(path.join(dir, 'mosquitto.conf'), tcp);
  const view = await openViewFor({ wsUrl: `ws://127.0.0.1:${ws}`, username: 'recorder', password: PW.recorder, scenario });
  const stop = await twinPublisher(`mqtt://127.0.0.1:${tcp}`, { username: 'uav-1', password: PW['uav-1'] });
  const browser = await launch();
  try {
    const { page, errors } = await openView(browser, view.url);
    await liveRow(page);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await stop();
    await view.close();
    await mosq.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
