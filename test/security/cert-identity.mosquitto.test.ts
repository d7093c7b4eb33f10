/**
 * Certificate identities on a real Mosquitto: the listener `uavmec keys` configures for client
 * certificates (`require_certificate true`, `use_identity_as_username true`, so the CN is the MQTT
 * username) and the ACL generated from the topic table. A private Mosquitto on a free loopback
 * port (never the system one on 1883); key material from `createFleetKeys`, the library behind
 * `uavmec keys`. Checks:
 * - the controller's certificate publishes a signed plan that UAV 1's certificate receives;
 * - UAV 2's certificate cannot publish on UAV 1's plan topic: refused (PUBACK 0x87), nothing delivered;
 * - no certificate, or a certificate (even CN uav-1) from another CA, cannot connect;
 * - a certificate from the fleet CA for a CN the ACL does not know (`intruder`, and `uav-3` of a
 *   2-UAV fleet) connects, but the ACL refuses its publishes and delivers nothing to it.
 * Skipped only when `mosquitto` or `openssl` is not installed.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { MqttClient } from 'mqtt';
import { ManualClock } from '../../core/clock.ts';
import { Bus } from '../../apps/common/bus.ts';
import { silentLogger } from '../../apps/common/log.ts';
import { createFleetKeys } from '../../apps/security/fleet-keys.ts';
import { loadPlanSigningKey, loadPlanVerifyKey, PlanVerifier, signedPlanBytes } from '../../apps/security/plan-signing.ts';
import { FlightMode, topicName, type Plan } from '../../proto/index.ts';
import { certFiles, collect, freePort, rawConnect, startMosquitto, teardown, tempDir, waitUntil, type MosquittoProcess } from './harness.ts';

/** True when `cmd args` can be started (a non-zero exit still counts: `mosquitto -h` exits 3). */
function installed(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}
const missing = ['mosquitto', 'openssl'].filter((c) => !installed(c, c === 'openssl' ? ['version'] : ['-h']));
const skip = missing.length > 0 ? `${missing.join(' and ')} not installed` : false;

const PLAN_TOPIC_UAV1 = topicName('plan', { uav: 1 });
const NOT_AUTHORIZED = 0x87;
const clock = new ManualClock(1_700_000_000_000_000);
let dir: string;
let foreign: string;
let broker: MosquittoProcess;
let url: string;
const open: { close(): Promise<void> }[] = [];
const read = (f: string) => fs.readFileSync(path.join(dir, f));

/** Signs a client certificate for `cn` with the CA in `caDir` (as fleet-keys.ts does for fleet members). */
function mintClientCert(caDir: string, cn: string): void {
  const ext = path.join(caDir, `${cn}.ext`);
  fs.writeFileSync(ext, '[v3]\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyAgreement\nextendedKeyUsage=clientAuth\n');
  const ssl = (args: string[]) => execFileSync('openssl', args, { cwd: caDir, stdio: 'pipe' });
  ssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${cn}.key`, '-out', `${cn}.csr`, '-subj', `/O=uavmec/CN=${cn}`]);
  ssl(['x509', '-req', '-in', `${cn}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', `0x${randomBytes(16).toString('hex')}`,
    '-days', '2', '-sha256', '-extfile', ext, '-extensions', 'v3', '-out', `${cn}.crt`]);
}

before(async () => {
  if (skip) return;
  dir = path.join(tempDir('certid'), 'secrets');
  foreign = path.join(tempDir('certid-foreign'), 'secrets');
  const certPort = await freePort();
  const user = process.getuid?.() === 0 ? { mosquittoUser: 'root' } : {};
  const fleet = await createFleetKeys({ fleet: 2, out: dir, certPort, passwordPort: 0, bindHost: '127.0.0.1', ...user });
  assert.ok(fleet.ok, fleet.ok ? '' : fleet.detail);
  const other = await createFleetKeys({ fleet: 1, out: foreign, passwordPort: 0, ...user });
  assert.ok(other.ok, other.ok ? '' : other.detail);
  for (const cn of ['intruder', 'uav-3']) mintClientCert(dir, cn);
  const conf = read('mosquitto.conf').toString();
  // The listener under test: client certificates only, CN = username, the generated ACL, no password file.
  for (const line of ['require_certificate true', 'use_identity_as_username true', `acl_file ${path.join(dir, 'acl')}`, 'allow_anonymous false']) {
    assert.ok(conf.split('\n').includes(line), `mosquitto.conf has '${line}'`);
  }
  assert.ok(!conf.includes('password_file'), 'certificate-only configuration');
  const acl = read('acl').toString();
  assert.ok(acl.includes(`user uav-1\n`) && acl.includes(`topic read ${PLAN_TOPIC_UAV1}`) && !/user (intruder|uav-3)\b/.test(acl));
  broker = await startMosquitto(path.join(dir, 'mosquitto.conf'), certPort);
  url = `mqtts://127.0.0.1:${certPort}`;
});

after(() => teardown(open, broker));

async function certBus(identity: string): Promise<Bus> {
  const b = await Bus.connect({
    url, clientId: `ci-${identity}-${open.length}`, sender: identity, clock, log: silentLogger(), connectTimeoutMs: 5000, ca: read('ca.crt'), ...certFiles(dir, identity),
  });
  open.push(b);
  return b;
}

/** A raw MQTT 5 client over TLS (v5, so a refused publish is answered with reason code 0x87). */
async function rawClient(cert?: { cn: string; dir: string }): Promise<{ client?: MqttClient; error?: Error }> {
  const r = await rawConnect(url, {
    clientId: `ci-raw-${open.length}`, protocolVersion: 5, ca: read('ca.crt'),
    ...(cert ? certFiles(cert.dir, cert.cn) : {}),
  });
  if (r.client) open.push({ close: () => r.client!.endAsync(true) });
  return r;
}

/** Reason code of a QoS 1 publish: 0 when accepted. */
async function pubackCode(c: MqttClient, topic: string, payload: Uint8Array): Promise<number> {
  try {
    await c.publishAsync(topic, Buffer.from(payload), { qos: 1 });
    return 0;
  } catch (e) {
    return (e as { code?: number }).code ?? -1;
  }
}

/** The controller side of a plan: signed with the fleet's plan-signing key. */
function signedPlan(controller: Bus, seq: number, mode: FlightMode = FlightMode.FLIGHT_MODE_GOTO): Uint8Array {
  const key = loadPlanSigningKey(read('plan-signing.key'));
  assert.ok(key.ok);
  const plan = {
    uav_id: 1, plan_seq: seq, slot: seq, valid_from_t_us: clock.nowUs(), expires_t_us: clock.nowUs() + 60_000_000,
    flight: { mode, target: { x_east_m: seq, y_north_m: 0, alt_m: 20 } },
  };
  return signedPlanBytes(controller.encodeWithHeader('plan', PLAN_TOPIC_UAV1, plan), key.value);
}

void test('certificate identities on Mosquitto: plans flow controller → UAV 1; UAV 2, no cert, a foreign CA and unknown CNs are refused', { skip, timeout: 30_000 }, async () => {
  const controller = await certBus('controller');
  const uav1 = await certBus('uav-1');
  const pub = loadPlanVerifyKey(read('plan-signing.pub'));
  assert.ok(pub.ok);
  const verifier = new PlanVerifier(pub.value);
  const received: Plan[] = [];
  await uav1.subscribe('plan', { uav: 1 }, (p) => received.push(p));

  // The controller's certificate publishes a plan; UAV 1's certificate receives it, signature intact.
  await controller.publishBytes(PLAN_TOPIC_UAV1, signedPlan(controller, 1), 1);
  await waitUntil(() => received.length === 1, 'plan 1 at UAV 1');
  assert.equal(received[0]!.plan_seq, 1);
  assert.ok(verifier.check(received[0]!, clock.nowUs()).ok, 'the delivered plan verifies against the pinned key');

  // UAV 2's certificate (valid, same CA) cannot publish on UAV 1's plan topic. It even uses the
  // controller's signed bytes for a new plan_seq, so only the broker stands in the way.
  const uav2 = (await rawClient({ cn: 'uav-2', dir })).client;
  assert.ok(uav2, 'uav-2 connects with its own certificate');
  const uav2Got = collect(uav2);
  await uav2.subscribeAsync(PLAN_TOPIC_UAV1, { qos: 1 });
  assert.equal(await pubackCode(uav2, PLAN_TOPIC_UAV1, signedPlan(controller, 50, FlightMode.FLIGHT_MODE_LAND)), NOT_AUTHORIZED);
  assert.equal(await pubackCode(uav2, topicName('plan', { uav: 2 }), signedPlan(controller, 51)), NOT_AUTHORIZED, 'only the controller publishes plans');

  // No certificate, or a certificate from another CA (even with CN uav-1), cannot connect.
  const noCert = await rawClient();
  assert.ok(noCert.error && !noCert.client, 'a client without a certificate is refused');
  const foreignCa = await rawClient({ cn: 'uav-1', dir: foreign });
  assert.ok(foreignCa.error && !foreignCa.client, 'a certificate from another CA is refused');

  // A certificate from the fleet CA for a CN the ACL does not know: TLS accepts it, the ACL grants nothing.
  const strangers: { cn: string; got: ReturnType<typeof collect> }[] = [];
  const strangerClients: MqttClient[] = [];
  for (const cn of ['intruder', 'uav-3']) {
    const r = await rawClient({ cn, dir });
    assert.ok(r.client, `${cn}: a fleet-CA certificate passes TLS (${r.error?.message ?? ''})`);
    const got = collect(r.client);
    await r.client.subscribeAsync(['uavmec/#'], { qos: 1 });
    assert.equal(await pubackCode(r.client, PLAN_TOPIC_UAV1, signedPlan(controller, 60)), NOT_AUTHORIZED, `${cn} publishes a plan`);
    assert.equal(await pubackCode(r.client, topicName('twin', { uav: 1 }), new Uint8Array([1])), NOT_AUTHORIZED, `${cn} publishes a twin`);
    strangers.push({ cn, got });
    strangerClients.push(r.client);
  }

  // A second genuine plan: every refused publish above was handled before it (one broker
  // thread, PUBACKs already received), so had any been delivered, UAV 1 would hold it first.
  await controller.publishBytes(PLAN_TOPIC_UAV1, signedPlan(controller, 2), 1);
  await waitUntil(() => received.length >= 2, 'plan 2 at UAV 1');
  assert.deepEqual(received.map((p) => p.plan_seq), [1, 2], 'UAV 1 received the controller\'s plans only');
  assert.ok(verifier.check(received[1]!, clock.nowUs()).ok);
  // A refused publish on each reader's own connection as a barrier: its PUBACK comes after any copy of plan 2.
  for (const c of [uav2, ...strangerClients]) assert.equal(await pubackCode(c, PLAN_TOPIC_UAV1, new Uint8Array([0])), NOT_AUTHORIZED);
  assert.deepEqual(uav2Got, [], 'UAV 2 reads nothing of UAV 1\'s plans');
  for (const s of strangers) assert.deepEqual(s.got, [], `${s.cn} is delivered nothing`);
  // The usernames the broker used are the certificate CNs (use_identity_as_username).
  for (const cn of ['controller', 'uav-1', 'uav-2', 'intruder', 'uav-3']) assert.match(broker.log(), new RegExp(`u'${cn}'`), `broker log: username ${cn}`);
});
