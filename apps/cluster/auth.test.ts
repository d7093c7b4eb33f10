/** NATS users and permissions from the topic table (issue 19 §4): the same grants as the Mosquitto ACL. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { natsAuthorization, natsAuthorizationFromPasswords, natsPermissions, natsSubject } from './auth.ts';
import { natsNodeConfig } from './config.ts';

void test('MQTT topic filters become NATS subjects', () => {
  assert.equal(natsSubject('uavmec/v1/uav/3/twin'), 'uavmec.v1.uav.3.twin');
  assert.equal(natsSubject('uavmec/v1/uav/+/twin'), 'uavmec.v1.uav.*.twin');
  assert.equal(natsSubject('uavmec/#'), 'uavmec.>');
});

void test('an agent publishes only its own UAV\'s topics and reads its own plan and the fleet; the controller reads every twin', () => {
  const a = natsPermissions({ role: 'agent', uavId: 3 });
  assert.ok(a.publish.includes('uavmec.v1.uav.3.twin'));
  assert.ok(a.publish.every((s) => s.startsWith('uavmec.v1.uav.3.')), a.publish.join(' '));
  assert.ok(a.subscribe.includes('uavmec.v1.uav.3.plan') && a.subscribe.includes('uavmec.v1.fleet') && a.subscribe.includes('$MQTT.sub.>'));
  assert.ok(!a.subscribe.some((s) => s.includes('.uav.*.')));
  const c = natsPermissions({ role: 'controller' });
  assert.ok(c.subscribe.includes('uavmec.v1.uav.*.twin') && c.publish.includes('uavmec.v1.uav.*.plan') && c.publish.includes('uavmec.v1.controller.handover'));
  assert.ok(!c.publish.includes('uavmec.v1.uav.*.twin'));
  const r = natsPermissions({ role: 'recorder' });
  // MQTT's uavmec/# is subscribed by nats-server as uavmec.> and uavmec: both granted (else SUBACK 0x80).
  assert.deepEqual(r, { publish: [], subscribe: ['uavmec.>', 'uavmec', '$MQTT.sub.>'] });
});

void test('the authorization block names every identity; one without grants is denied everything; it goes into each node\'s config', () => {
  const block = natsAuthorization({ uavIds: [1, 2], recorder: true }, (n) => `pw-${n}`, { user: 'admin', password: 'pw-admin' });
  for (const u of ['controller', 'world', 'uav-1', 'uav-2', 'recorder', 'admin']) assert.match(block, new RegExp(`user: "${u}", password: "pw-${u}"`));
  assert.match(block, /user: "recorder", password: "pw-recorder", permissions: \{ publish: \{ deny: \[">"\] \}/);
  const conf = natsNodeConfig({ name: 'n1', host: '127.0.0.1', clientPort: 1, clusterPort: 2, mqttPort: 3, wsPort: 4, routes: [], storeDir: '/tmp/x', replicas: 3, authorization: block });
  assert.match(conf, /authorization \{/);
  assert.match(conf, /websocket \{\n {2}listen: "127\.0\.0\.1:4"\n {2}no_tls: true\n\}/);
});

void test('from a `uavmec keys` passwords table: the fleet it names, with its passwords; bad tables refused with a clear line', () => {
  const admin = { user: 'admin', password: 'pw-admin' };
  const block = natsAuthorizationFromPasswords({ controller: 'c', world: 'w', 'uav-2': 'u2', 'uav-7': 'u7', recorder: 'r' }, admin);
  assert.equal(block, natsAuthorization({ uavIds: [2, 7], recorder: true }, (n) => ({ controller: 'c', world: 'w', 'uav-2': 'u2', 'uav-7': 'u7', recorder: 'r' })[n]!, admin));
  assert.doesNotMatch(natsAuthorizationFromPasswords({ controller: 'c', world: 'w', 'uav-1': 'u1' }, admin), /recorder/);
  assert.throws(() => natsAuthorizationFromPasswords({ controller: 'c', world: 'w', mallory: 'x' }, admin), /'mallory' is not a fleet identity/);
  assert.throws(() => natsAuthorizationFromPasswords({ controller: 'c', 'uav-1': 'u1' }, admin), /no password for 'world'/);
  assert.throws(() => natsAuthorizationFromPasswords({ controller: '', world: 'w' }, admin), /no password for 'controller'/);
});

void test('with env: the block names each password by a variable and the values go to the environment, none into the config text', () => {
  const env: Record<string, string> = {};
  const block = natsAuthorization({ uavIds: [1] }, (n) => `-9secret-${n}`, { user: 'admin', password: '-9secret-admin' }, { env });
  assert.doesNotMatch(block, /secret-/);
  assert.match(block, /user: "uav-1", password: \$UAVMEC_NATS_PW_\d+, permissions/);
  // Quoted: nats-server parses the value, and would read a leading digit or '-' as a number.
  assert.deepEqual(Object.values(env).sort(), ['"-9secret-admin"', '"-9secret-controller"', '"-9secret-uav-1"', '"-9secret-world"']);
  for (const [k, v] of Object.entries(env)) assert.match(block, new RegExp(`user: "${v.slice(10, -1)}", password: \\$${k},`));
});
