/**
 * The same rules on the embedded broker (aedes + aedesHooks): rogue clients with another UAV's
 * credentials, the world's or none are refused; wildcard reads of other UAVs' plans are refused
 * at SUBSCRIBE; legitimate Bus traffic flows.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { MqttClient } from 'mqtt';
import { ManualClock } from '../../core/clock.ts';
import { Bus } from '../../apps/common/bus.ts';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../apps/common/broker.ts';
import { silentLogger } from '../../apps/common/log.ts';
import { aedesHooks, type AedesHooks } from '../../apps/security/aedes-hooks.ts';
import { hashPassword } from '../../apps/security/passwords.ts';
import { rawConnect, waitUntil } from './harness.ts';

const PW: Record<string, string> = { controller: 'c-pw', world: 'w-pw', 'uav-1': 'u1-pw', 'uav-2': 'u2-pw' };
let broker: EmbeddedBroker;
let hooks: AedesHooks;
const open: { close(): Promise<void> }[] = [];

before(async () => {
  hooks = aedesHooks({ uavIds: [1, 2], passwords: new Map(Object.entries(PW).map(([u, p]) => [u, hashPassword(p)])) });
  broker = await startEmbeddedBroker({ hooks });
});
after(async () => {
  for (const c of open.reverse()) await c.close().catch(() => undefined);
  await broker.close();
});

async function bus(user: string): Promise<Bus> {
  const b = await Bus.connect({ url: broker.url, clientId: `a-${user}-${open.length}`, sender: user, clock: new ManualClock(1e15), log: silentLogger(), username: user, password: PW[user]!, connectTimeoutMs: 3000 });
  open.push(b);
  return b;
}
async function raw(user?: string, password?: string): Promise<{ client?: MqttClient; error?: Error }> {
  const r = await rawConnect(broker.url, { clientId: `r-${user ?? 'anon'}-${open.length}`, protocolVersion: 4, ...(user ? { username: user } : {}), ...(password ? { password } : {}) });
  if (r.client) open.push({ close: () => r.client!.endAsync(true) });
  return r;
}

void test('embedded broker: no credentials, wrong password, unknown identity → CONNACK refused', async () => {
  const before = hooks.denials.authenticate;
  assert.ok((await raw()).error);
  assert.ok((await raw('uav-1', PW['uav-2'])).error);
  assert.ok((await raw('uav-7', 'x')).error);
  assert.equal(hooks.denials.authenticate - before, 3);
});

void test('embedded broker: uav-2 and world credentials cannot forge UAV 1 plans or telemetry', async () => {
  const controller = await bus('controller');
  const uav1 = await bus('uav-1');
  const ctlGot: string[] = [];
  const uavGot: string[] = [];
  await controller.subscribeRaw('uavmec/v1/uav/+/twin', (_t, p) => ctlGot.push(p.toString()));
  await uav1.subscribeRaw('uavmec/v1/uav/1/plan', (_t, p) => uavGot.push(p.toString()));
  const pubBefore = hooks.denials.publish;
  for (const [user, topic] of [['uav-2', 'uavmec/v1/uav/1/twin'], ['uav-2', 'uavmec/v1/uav/1/plan'], ['world', 'uavmec/v1/uav/1/plan']] as const) {
    const c = (await raw(user, PW[user])).client!;
    const closed = new Promise<void>((r) => c.once('close', () => r()));
    c.publish(topic, `forged by ${user}`, { qos: 1 });
    await closed; // aedes drops the connection of a client whose publish is refused
  }
  assert.equal(hooks.denials.publish - pubBefore, 3);
  await uav1.publishBytes('uavmec/v1/uav/1/twin', Buffer.from('real-twin'), 1);
  await controller.publishBytes('uavmec/v1/uav/1/plan', Buffer.from('real-plan'), 1);
  await waitUntil(() => ctlGot.length > 0 && uavGot.length > 0, 'legitimate traffic');
  assert.deepEqual(ctlGot, ['real-twin']);
  assert.deepEqual(uavGot, ['real-plan']);
});

void test('embedded broker: SUBSCRIBE to another UAV\'s plans or a wildcard gets SUBACK 0x80', async () => {
  const c = (await raw('uav-2', PW['uav-2'])).client!;
  const granted = async (filter: string): Promise<number> => {
    try {
      return (await c.subscribeAsync(filter, { qos: 1 }))[0]!.qos;
    } catch (e) {
      // mqtt.js rejects on a failure SUBACK; the packet carries the return codes.
      return (e as { packet?: { granted?: number[] } }).packet?.granted?.[0] ?? -1;
    }
  };
  const subBefore = hooks.denials.subscribe;
  assert.equal(await granted('uavmec/v1/uav/2/plan'), 1);
  assert.deepEqual([await granted('uavmec/v1/uav/1/plan'), await granted('uavmec/v1/uav/+/plan'), await granted('#')], [128, 128, 128]);
  assert.equal(hooks.denials.subscribe - subBefore, 3);
});
