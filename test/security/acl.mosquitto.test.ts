/**
 * Issue 9 evidence (broker side): a real Mosquitto on a free port, configured with the ACL and
 * password file generated from the topic table. Rogue clients — with another UAV's credentials,
 * the world's, or none — try to publish plans and telemetry for other UAVs and to read other
 * UAVs' plans; the broker refuses, legitimate traffic flows.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { MqttClient } from 'mqtt';
import { ManualClock } from '../../core/clock.ts';
import { Bus } from '../../apps/common/bus.ts';
import { silentLogger } from '../../apps/common/log.ts';
import { mosquittoAcl } from '../../apps/security/acl.ts';
import { mosquittoConf } from '../../apps/security/mosquitto.ts';
import { hashPassword, passwordFile } from '../../apps/security/passwords.ts';
import { collect, freePort, rawConnect, startMosquitto, teardown, tempDir, waitUntil, type MosquittoProcess } from './harness.ts';

const PW: Record<string, string> = { controller: 'pw-controller', world: 'pw-world', 'uav-1': 'pw-uav-1', 'uav-2': 'pw-uav-2', recorder: 'pw-rec' };
let broker: MosquittoProcess;
let url: string;
const open: { close(): Promise<void> }[] = [];

before(async () => {
  const dir = tempDir('acl');
  fs.writeFileSync(path.join(dir, 'acl'), mosquittoAcl({ uavIds: [1, 2], recorder: true }));
  fs.writeFileSync(path.join(dir, 'passwd'), passwordFile(new Map(Object.entries(PW).map(([u, p]) => [u, hashPassword(p)]))));
  const port = await freePort();
  fs.writeFileSync(
    path.join(dir, 'mosquitto.conf'),
    mosquittoConf({ listeners: [{ port, passwordFile: path.join(dir, 'passwd') }], aclFile: path.join(dir, 'acl'), user: 'root' }),
  );
  broker = await startMosquitto(path.join(dir, 'mosquitto.conf'), port);
  url = `mqtt://127.0.0.1:${port}`;
});

after(() => teardown(open, broker));

async function bus(user: string): Promise<Bus> {
  const b = await Bus.connect({ url, clientId: `t-${user}-${Math.random().toString(36).slice(2)}`, sender: user, clock: new ManualClock(1e15), log: silentLogger(), username: user, password: PW[user]!, connectTimeoutMs: 5000 });
  open.push(b);
  return b;
}

/** PUBACK reason code of a QoS 1 publish (0 = accepted; 0x87 = not authorized). */
async function pubReason(c: MqttClient, topic: string, payload: string): Promise<number> {
  try {
    const r = await c.publishAsync(topic, payload, { qos: 1 });
    return (r as { reasonCode?: number } | undefined)?.reasonCode ?? 0;
  } catch (e) {
    return (e as { code?: number }).code ?? -1;
  }
}

async function raw(user: string | undefined, password?: string, protocolVersion: 4 | 5 = 5): Promise<{ client?: MqttClient; error?: Error }> {
  const r = await rawConnect(url, { clientId: `raw-${user ?? 'anon'}-${Math.random().toString(36).slice(2)}`, protocolVersion, ...(user ? { username: user } : {}), ...(password ? { password } : {}) });
  if (r.client) open.push({ close: () => r.client!.endAsync() });
  return r;
}

void test('no credentials and wrong passwords are refused at CONNECT', async () => {
  const anon = await raw(undefined);
  assert.ok(anon.error, 'anonymous client must not connect');
  const wrong = await raw('uav-1', 'pw-uav-2');
  assert.ok(wrong.error, 'uav-1 with a wrong password must not connect');
  const unknown = await raw('uav-9', 'pw-uav-1');
  assert.ok(unknown.error, 'an identity without a password entry must not connect');
  assert.ok(/not authori[sz]ed|bad user name|Connection refused/i.test(`${anon.error.message} ${wrong.error.message}`), anon.error.message);
});

void test('rogue with uav-2 (and world) credentials cannot forge UAV 1 telemetry or plans; legitimate traffic flows', async () => {
  const controller = await bus('controller');
  const uav1 = await bus('uav-1');
  const ctlGot: string[] = [];
  const uavGot: string[] = [];
  await controller.subscribeRaw('uavmec/v1/uav/+/twin', (_t, p) => ctlGot.push(p.toString()));
  await uav1.subscribeRaw('uavmec/v1/uav/1/plan', (_t, p) => uavGot.push(p.toString()));

  const rogue = (await raw('uav-2', PW['uav-2'])).client!;
  const worldRogue = (await raw('world', PW.world)).client!;
  // MQTT 5 lets the broker say why: PUBACK reason 0x87 "not authorized".
  const codes = [
    await pubReason(rogue, 'uavmec/v1/uav/1/twin', 'forged-twin'),
    await pubReason(rogue, 'uavmec/v1/uav/1/plan', 'forged-plan-by-uav2'),
    await pubReason(worldRogue, 'uavmec/v1/uav/1/plan', 'forged-plan-by-world'),
    await pubReason(rogue, 'uavmec/v1/fleet', 'forged-fleet'),
  ];
  assert.deepEqual(codes, [0x87, 0x87, 0x87, 0x87], 'PUBACK must carry 0x87 not authorized');
  assert.equal(await pubReason(rogue, 'uavmec/v1/uav/2/twin', 'own-twin'), 0, 'own telemetry is accepted');

  // Barrier: legitimate messages sent after the forged ones arrive; the forged ones never do.
  await uav1.publishBytes('uavmec/v1/uav/1/twin', Buffer.from('real-twin'), 1);
  await controller.publishBytes('uavmec/v1/uav/1/plan', Buffer.from('real-plan'), 1);
  await waitUntil(() => ctlGot.includes('real-twin') && uavGot.includes('real-plan'), 'legitimate twin and plan');
  assert.deepEqual(ctlGot.sort(), ['own-twin', 'real-twin'], 'forged twin never reached the controller; UAV 2\'s own twin did');
  assert.deepEqual(uavGot, ['real-plan']);
});

void test('a UAV never receives another UAV\'s plans, even through wildcard subscriptions', async () => {
  const rogue = (await raw('uav-2', PW['uav-2'])).client!;
  const got = collect(rogue);
  const own = await rogue.subscribeAsync('uavmec/v1/uav/2/plan', { qos: 1 });
  await rogue.subscribeAsync('uavmec/v1/uav/1/plan', { qos: 1 });
  await rogue.subscribeAsync('uavmec/v1/uav/+/plan', { qos: 1 });
  await rogue.subscribeAsync('#', { qos: 1 });
  assert.ok(own[0]!.qos <= 1, 'own plan topic granted');
  const controller = await bus('controller');
  await controller.publishBytes('uavmec/v1/uav/1/plan', Buffer.from('plan-for-1'), 1);
  await controller.publishBytes('uavmec/v1/uav/2/plan', Buffer.from('plan-for-2'), 1);
  await waitUntil(() => got.some((m) => m.payload === 'plan-for-2'), 'own plan');
  // Barrier: a second own plan after the one for UAV 1.
  await controller.publishBytes('uavmec/v1/uav/1/plan', Buffer.from('plan-for-1b'), 1);
  await controller.publishBytes('uavmec/v1/uav/2/plan', Buffer.from('plan-for-2b'), 1);
  await waitUntil(() => got.some((m) => m.payload === 'plan-for-2b'), 'second own plan');
  // Mosquitto 2 grants such SUBACKs and filters each delivery by the read ACL instead; the
  // embedded broker refuses the SUBSCRIBE itself (aedes.test.ts).
  assert.ok(!got.some((m) => m.payload.startsWith('plan-for-1')), 'UAV 2 must never see UAV 1\'s plan');
});

void test('the controller cannot publish telemetry in a UAV\'s name; the recorder only reads', async () => {
  const ctl = (await raw('controller', PW.controller)).client!;
  const rec = (await raw('recorder', PW.recorder)).client!;
  assert.equal(await pubReason(ctl, 'uavmec/v1/uav/1/twin', 'ctl-forged-twin'), 0x87);
  assert.equal(await pubReason(rec, 'uavmec/v1/uav/1/plan', 'rec-forged-plan'), 0x87);
  const got = collect(rec);
  await rec.subscribeAsync('uavmec/#', { qos: 1 });
  const c2 = await bus('controller');
  await c2.publishBytes('uavmec/v1/fleet', Buffer.from('fleet-ok'), 1);
  await waitUntil(() => got.some((m) => m.payload === 'fleet-ok'), 'recorder sees fleet');
});
