/**
 * `uavmec keys` end to end: generate a fleet's key material, start a private Mosquitto with the
 * generated mosquitto.conf (ports moved to free ones), and connect over mqtts:// with client
 * certificates and with passwords. A UAV certificate cannot speak for another UAV; no certificate,
 * a certificate from another CA, or a wrong password cannot connect.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { MqttClient } from 'mqtt';
import { ManualClock } from '../../core/clock.ts';
import { Bus } from '../../apps/common/bus.ts';
import { silentLogger } from '../../apps/common/log.ts';
import keys from '../../apps/cli/commands/keys.ts';
import { UsageError } from '../../apps/cli/command.ts';
import { loadPlanSigningKey, loadPlanVerifyKey, publicKeyFingerprint } from '../../apps/security/plan-signing.ts';
import { verifyPassword, parsePasswordFile } from '../../apps/security/passwords.ts';
import { certFiles, freePort, rawConnect, startMosquitto, teardown, tempDir, waitUntil, type MosquittoProcess } from './harness.ts';

let dir: string;
let foreign: string;
let broker: MosquittoProcess;
let certPort: number;
let pwPort: number;
const open: { close(): Promise<void> }[] = [];
const read = (f: string, d = dir) => fs.readFileSync(path.join(d, f));

before(async () => {
  dir = path.join(tempDir('keys'), 'secrets');
  foreign = path.join(tempDir('keys-foreign'), 'secrets');
  certPort = await freePort();
  pwPort = await freePort();
  const common = ['--bind', '127.0.0.1', '--mosquitto-user', 'root'];
  assert.equal(await keys.run(['--fleet', '2', '--out', dir, '--cert-port', String(certPort), '--password-port', String(pwPort), ...common]), 0);
  assert.equal(await keys.run(['--fleet', '1', '--out', foreign, ...common]), 0);
  broker = await startMosquitto(path.join(dir, 'mosquitto.conf'), certPort);
});
after(() => teardown(open, broker));

async function certBus(identity: string): Promise<Bus> {
  const b = await Bus.connect({
    url: `mqtts://127.0.0.1:${certPort}`, clientId: `k-${identity}-${open.length}`, sender: identity, clock: new ManualClock(1e15), log: silentLogger(),
    ca: read('ca.crt'), ...certFiles(dir, identity), connectTimeoutMs: 5000,
  });
  open.push(b);
  return b;
}
async function rawTls(port: number, o: { cert?: string; certDir?: string; username?: string; password?: string }): Promise<{ client?: MqttClient; error?: Error }> {
  const r = await rawConnect(`mqtts://127.0.0.1:${port}`, {
    clientId: `kr-${open.length}`, protocolVersion: 5, ca: read('ca.crt'),
    ...(o.cert ? certFiles(o.certDir ?? dir, o.cert) : {}),
    ...(o.username ? { username: o.username, password: o.password ?? '' } : {}),
  });
  if (r.client) open.push({ close: () => r.client!.endAsync(true) });
  return r;
}

void test('keys: certificates chain to the CA with CN = identity; private files are 0600; keys load', () => {
  for (const id of ['broker', 'controller', 'world', 'uav-1', 'uav-2']) {
    const out = execFileSync('openssl', ['verify', '-CAfile', path.join(dir, 'ca.crt'), path.join(dir, `${id}.crt`)]).toString();
    assert.match(out, /: OK/);
    const subj = execFileSync('openssl', ['x509', '-in', path.join(dir, `${id}.crt`), '-noout', '-subject']).toString();
    assert.match(subj, new RegExp(`CN ?= ?${id}\\b`));
    assert.equal(fs.statSync(path.join(dir, `${id}.key`)).mode & 0o777, 0o600);
  }
  assert.throws(() => execFileSync('openssl', ['verify', '-CAfile', path.join(dir, 'ca.crt'), path.join(foreign, 'uav-1.crt')], { stdio: 'pipe' }));
  for (const f of ['ca.key', 'passwd', 'passwords.json', 'plan-signing.key', 'mavlink-uav-1.key']) assert.equal(fs.statSync(path.join(dir, f)).mode & 0o777, 0o600, f);
  const priv = loadPlanSigningKey(read('plan-signing.key'));
  const pub = loadPlanVerifyKey(read('plan-signing.pub'));
  assert.ok(priv.ok && pub.ok);
  assert.equal(publicKeyFingerprint(priv.value), publicKeyFingerprint(pub.value));
  assert.match(read('mavlink-uav-2.key').toString().trim(), /^[0-9a-f]{64}$/);
  const pw = JSON.parse(read('passwords.json').toString()) as Record<string, string>;
  const hashes = parsePasswordFile(read('passwd').toString());
  assert.deepEqual([...hashes.keys()].sort(), ['controller', 'uav-1', 'uav-2', 'world']);
  for (const [u, p] of Object.entries(pw)) assert.ok(verifyPassword(p, hashes.get(u)!), u);
});

void test('mqtts with client certificates: own topics flow, another UAV\'s are refused', async () => {
  const controller = await certBus('controller');
  const uav1 = await certBus('uav-1');
  const got: string[] = [];
  await controller.subscribeRaw('uavmec/v1/uav/+/twin', (_t, p) => got.push(p.toString()));
  const rogue = (await rawTls(certPort, { cert: 'uav-2' })).client!;
  let code = 0;
  await rogue.publishAsync('uavmec/v1/uav/1/twin', 'forged', { qos: 1 }).catch((e: { code?: number }) => (code = e.code ?? -1));
  assert.equal(code, 0x87);
  await uav1.publishBytes('uavmec/v1/uav/1/twin', Buffer.from('real'), 1);
  await waitUntil(() => got.length > 0, 'real twin');
  assert.deepEqual(got, ['real']);
});

void test('mqtts: no client certificate, or one from another CA, cannot connect', async () => {
  assert.ok((await rawTls(certPort, {})).error, 'no client certificate');
  assert.ok((await rawTls(certPort, { cert: 'uav-1', certDir: foreign })).error, 'certificate from a foreign CA');
});

void test('mqtts with passwords: the right password connects, a wrong one or another user\'s does not', async () => {
  const pw = JSON.parse(read('passwords.json').toString()) as Record<string, string>;
  const good = await rawTls(pwPort, { username: 'uav-1', password: pw['uav-1']! });
  assert.ok(good.client, good.error?.message);
  assert.ok((await rawTls(pwPort, { username: 'uav-1', password: pw['uav-2']! })).error);
  assert.ok((await rawTls(pwPort, {})).error, 'anonymous');
  let code = 0;
  await good.client!.publishAsync('uavmec/v1/uav/2/plan', 'forged', { qos: 1 }).catch((e: { code?: number }) => (code = e.code ?? -1));
  assert.equal(code, 0x87);
});

void test('keys CLI: missing options are usage errors; existing keys are not overwritten without --force', async () => {
  await assert.rejects(keys.run(['--out', dir]), UsageError);
  await assert.rejects(keys.run(['--fleet', '2']), UsageError);
  await assert.rejects(keys.run(['--fleet', '0', '--out', dir]), UsageError);
  const before = read('ca.key');
  assert.equal(await keys.run(['--fleet', '2', '--out', dir]), 1);
  assert.deepEqual(read('ca.key'), before);
  for (const word of ['--fleet', '--out', '--days', '--broker-host', '--force', 'default', 'Example']) assert.ok(keys.help.includes(word), word);
});
