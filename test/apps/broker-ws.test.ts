import assert from 'node:assert/strict';
import { test } from 'node:test';
import mqtt from 'mqtt';
import { ScaledClock } from '../../core/clock.ts';
import { Bus, silentLogger } from '../../apps/common/index.ts';
import { startEmbeddedBroker } from '../../apps/common/broker.ts';
import { ephemeralSecrets } from '../../apps/mission/secure.ts';

async function wsClient(url: string, opts: mqtt.IClientOptions = {}): Promise<mqtt.MqttClient> {
  const c = await mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 10_000, ...opts });
  return c;
}

test('the embedded broker serves MQTT over WebSocket: a ws client receives what a TCP client publishes', async () => {
  const b = await startEmbeddedBroker({ wsPort: 0 });
  try {
    assert.match(b.wsUrl ?? '', /^ws:\/\/127\.0\.0\.1:\d+$/);
    const ws = await wsClient(b.wsUrl!);
    const got: string[] = [];
    ws.on('message', (t) => got.push(t));
    await ws.subscribeAsync('uavmec/#');
    const bus = await Bus.connect({ url: b.url, clientId: 'ws-test-agent', sender: 'uav-3', clock: new ScaledClock(1), log: silentLogger() });
    await bus.publish('twin', { uav: 3 }, { uav_id: 3, position: { x_east_m: 1, y_north_m: 2, alt_m: 3 } });
    for (let i = 0; i < 200 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    assert.deepEqual(got, ['uavmec/v1/uav/3/twin']);
    await bus.close();
    await ws.endAsync();
  } finally {
    await b.close();
  }
});

test('over WebSocket the same ACL holds: the recorder identity reads everything and may not publish', async () => {
  const secrets = ephemeralSecrets([1]);
  const hooks = secrets.brokerHooks();
  const b = await startEmbeddedBroker({ wsPort: 0, hooks });
  try {
    await assert.rejects(wsClient(b.wsUrl!, { username: 'recorder', password: 'wrong' }));
    const rec = secrets.credentials('recorder');
    const ws = await wsClient(b.wsUrl!, { username: rec.username!, password: rec.password! });
    const granted = await ws.subscribeAsync('uavmec/#');
    assert.notEqual(granted[0]?.qos, 128);
    const before = hooks.denials.publish;
    ws.publish('uavmec/v1/uav/1/plan', Buffer.from([1]), { qos: 0 });
    for (let i = 0; i < 200 && hooks.denials.publish === before; i++) await new Promise((r) => setTimeout(r, 25));
    assert.equal(hooks.denials.publish, before + 1);
    ws.end(true);
  } finally {
    await b.close();
  }
});
