/**
 * Issue 9 evidence: a secure mission (every process its own MQTT identity under the generated ACL,
 * signed plans pinned by the agents, MAVLink 2 signing agent ↔ SITL) flies while it is attacked:
 * (a) a client with UAV 2's credentials publishes a plan and twin state for UAV 1 and tries to
 *     read UAV 1's plans → refused by the broker, nothing delivered;
 * (b) clients with no credentials or a wrong password → cannot connect;
 * (c) with the controller's own credentials (a stolen password: straight onto UAV 1's plan topic)
 *     a plan signed by another key, an unsigned plan and a replay of a genuine plan → UAV 1 nacks
 *     them BAD_SIGNATURE / STALE_SEQ and counts them;
 * and the mission completes unaffected. Once on the embedded broker (aedes + aedesHooks, ephemeral
 * keys), once on a private Mosquitto with the `uavmec keys` configuration on free ports (never the
 * system one on 1883), skipped when mosquitto is not installed.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { MqttClient } from 'mqtt';
import { Bus } from '../../apps/common/bus.ts';
import { silentLogger } from '../../apps/common/log.ts';
import { readRecording } from '../../apps/common/recorder.ts';
import { runMission, type MissionReadyContext } from '../../apps/mission/run.ts';
import type { MissionSummary } from '../../apps/mission/summary.ts';
import { createFleetKeys } from '../../apps/security/fleet-keys.ts';
import { generatePlanSigningKeys, loadPlanSigningKey, signedPlanBytes } from '../../apps/security/plan-signing.ts';
import { readTlogFile } from '../../firmware-bridge/tlog/index.ts';
import { decodeRaw, encode, FlightMode, matchTopic, NackReason, topicName, type PlanAck } from '../../proto/index.ts';
import { defaultScenario } from '../../sim/world/index.ts';
import { freePort, rawConnect, removeTempDirs, startMosquitto, tempDir } from '../security/harness.ts';
import { assertMissionCompleted } from './outcome.ts';

const ROGUE = 'rogue-uav-2';

interface AttackLog {
  connectRefused: string[];
  uav2PublishesDone: number;
  subackCodes: number[];
  deliveredToRogue: number;
  forged: { seq: number; kind: 'other_key' | 'unsigned' | 'replay' }[];
  uav1Acks: PlanAck[];
  error?: unknown;
}

/** Waits for a PUBACK (Mosquitto accepts and drops) or the connection closing (aedes): whichever comes first. */
async function rejectedOrSwallowed(c: MqttClient, topic: string, payload: Uint8Array): Promise<void> {
  const closed = new Promise<void>((r) => c.once('close', () => r()));
  await Promise.race([c.publishAsync(topic, Buffer.from(payload), { qos: 1 }).then(() => undefined, () => undefined), closed]);
}

async function subackCode(c: MqttClient, filter: string): Promise<number> {
  try {
    return (await c.subscribeAsync(filter, { qos: 1 }))[0]!.qos;
  } catch (e) {
    return (e as { packet?: { granted?: number[] } }).packet?.granted?.[0] ?? -1;
  }
}

/** The attacks, run from inside the mission (onReady) on its clock. */
function attack(ctx: MissionReadyContext, log: AttackLog, slotS: number, tls: { ca?: Buffer }): Promise<void> {
  const sec = ctx.security!;
  const url = ctx.brokerUrl;
  let n = 0;
  const opts = (id: string) => ({ clientId: `${id}-${process.pid}-${n++}`, protocolVersion: 4 as const, ...tls });
  // The attackers' raw connections are real I/O off the mission's buses: they hold the lockstep
  // clock while they run, so the attacks land at the same simulated instants on any machine.
  const held = <T>(p: Promise<T>): Promise<T> => (ctx.clock.activity ? ctx.clock.activity.during(p, 'attack') : p);
  return (async () => {
    // A spy with the read-only recorder identity: captures UAV 1's genuine plans (for the replay) and its acks.
    const spy = await Bus.connect({ url, clientId: `spy-${process.pid}`, sender: 'recorder', clock: ctx.clock, log: silentLogger(), ...sec.credentials('recorder') });
    const genuine: Uint8Array[] = [];
    await spy.subscribeRaw(topicName('plan', { uav: 1 }), (_t, p) => genuine.push(new Uint8Array(p)));
    await spy.subscribe('ack', { uav: 1 }, (a) => log.uav1Acks.push(a));
    try {
      // (b) no credentials, a wrong password, an unknown identity.
      const u2 = sec.credentials('uav-2');
      for (const [what, o] of [['anonymous', {}], ['uav-1 with uav-2\'s password', { username: 'uav-1', password: u2.password }], ['unknown identity', { username: 'uav-9', password: 'x' }]] as const) {
        const r = await held(rawConnect(url, { ...opts('rogue'), ...o, reconnectPeriod: 0 }));
        if (r.client) await held(r.client.endAsync(true));
        else log.connectRefused.push(what);
      }
      await ctx.clock.sleep(4 * slotS * 1000);

      // (a) UAV 2's credentials: forge UAV 1's plan and telemetry, read UAV 1's plans.
      const plan = (seq: number, mode: FlightMode) => ({
        header: { version: 1, sender: ROGUE, t_us: Math.round(ctx.clock.nowUs()), seq: 1 },
        uav_id: 1, plan_seq: seq, slot: 0, valid_from_t_us: Math.round(ctx.clock.nowUs()), expires_t_us: Math.round(ctx.clock.nowUs() + 60e6), flight: { mode },
      });
      const twin = { header: { version: 1, sender: ROGUE, t_us: Math.round(ctx.clock.nowUs()), seq: 1 }, uav_id: 1, battery_pct: 3, flight_state: 1, cpu_hz_available: 1e12 };
      for (const [topic, bytes] of [[topicName('plan', { uav: 1 }), encode('Plan', plan(4e9, FlightMode.FLIGHT_MODE_LAND) as never)], [topicName('twin', { uav: 1 }), encode('TwinState', twin as never)]] as const) {
        const c = (await held(rawConnect(url, { ...opts('uav2'), username: 'uav-2', password: u2.password!, reconnectPeriod: 0 }))).client!;
        await held(rejectedOrSwallowed(c, topic, bytes));
        log.uav2PublishesDone++;
        await held(c.endAsync(true));
      }
      const reader = (await held(rawConnect(url, { ...opts('uav2r'), username: 'uav-2', password: u2.password!, reconnectPeriod: 0 }))).client!;
      reader.on('message', (t) => {
        if (!t.endsWith('/2/plan')) log.deliveredToRogue++;
      });
      log.subackCodes.push(await held(subackCode(reader, topicName('plan', { uav: 1 }))), await held(subackCode(reader, 'uavmec/v1/uav/+/plan')));

      // (c) the controller's credentials, straight onto UAV 1's plan topic.
      const ctl = await Bus.connect({ url, clientId: `stolen-ctl-${process.pid}`, sender: 'controller', clock: ctx.clock, log: silentLogger(), ...sec.credentials('controller') });
      const topic = topicName('plan', { uav: 1 });
      const deadline = ctx.clock.nowUs() + 20 * slotS * 1e6;
      // The newest genuine plan UAV 1 has accepted: the one to replay.
      let last: { bytes: Uint8Array; seq: number } | undefined;
      while (!last && ctx.clock.nowUs() < deadline) {
        for (const b of [...genuine].reverse()) {
          const p = decodeRaw('Plan', b);
          if (p.ok && log.uav1Acks.some((a) => a.accepted && a.plan_seq === p.value.plan_seq)) {
            last = { bytes: b, seq: p.value.plan_seq };
            break;
          }
        }
        if (!last) await ctx.clock.sleep(100);
      }
      assert.ok(last, 'a genuine plan of UAV 1 was seen and accepted');
      const rogueKey = loadPlanSigningKey(generatePlanSigningKeys().privatePem);
      assert.ok(rogueKey.ok);
      const seq = last.seq + 1;
      const otherKey = signedPlanBytes(ctl.encodeWithHeader('plan', topic, { ...plan(seq, FlightMode.FLIGHT_MODE_RTL), header: undefined } as never), rogueKey.value);
      await ctl.publishBytes(topic, otherKey, 1);
      log.forged.push({ seq, kind: 'other_key' });
      await ctl.publish('plan', { uav: 1 }, { ...plan(seq + 1, FlightMode.FLIGHT_MODE_LAND), header: undefined } as never);
      log.forged.push({ seq: seq + 1, kind: 'unsigned' });
      await ctl.publishBytes(topic, last.bytes, 1);
      log.forged.push({ seq: last.seq, kind: 'replay' });
      await ctx.clock.sleep(2 * slotS * 1000);
      await ctl.close();
      await held(reader.endAsync(true));
    } finally {
      await spy.close();
    }
  })().catch((e: unknown) => {
    log.error = e;
  });
}

async function secureMission(t: { diagnostic(s: string): void }, broker: { url?: string; secretsDir?: string; ca?: Buffer } = {}): Promise<{ summary: MissionSummary; log: AttackLog; runDir: string }> {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'uavmec-e2e-secure-'));
  const scenario = defaultScenario({ uavs: 2, users: 8, slots: 8, seed: 7 });
  const log: AttackLog = { connectRefused: [], uav2PublishesDone: 0, subackCodes: [], deliveredToRogue: 0, forged: [], uav1Acks: [] };
  let attacks: Promise<void> | undefined;
  const summary = await runMission({
    scenario, flavour: 'ardupilot', algo: 'cd-kkt', runDir,
    ...(broker.url ? { brokerUrl: broker.url } : {}),
    security: { ...(broker.secretsDir ? { secretsDir: broker.secretsDir } : {}) },
    onReady: (ctx) => {
      attacks = attack(ctx, log, scenario.slotS, broker.ca ? { ca: broker.ca } : {});
    },
  });
  await attacks;
  if (log.error) throw log.error;
  t.diagnostic(`DOR ${summary.totals.dor.toFixed(2)}, plans ${summary.totals.plansAcked}/${summary.totals.plansSent}, security ${JSON.stringify(summary.security)}, UAV 1 planAuth ${JSON.stringify(summary.uavs[0]!.planAuth)}`);
  return { summary, log, runDir };
}

async function assertSecureOutcome(summary: MissionSummary, log: AttackLog, runDir: string): Promise<void> {
  const scenario = defaultScenario({ uavs: 2, users: 8, slots: 8, seed: 7 });
  // The mission, unaffected.
  assertMissionCompleted(summary, scenario, 'real plan');
  for (const u of summary.uavs) {
    assert.ok(u.distanceM > 10 && u.maxAltM > 10, `UAV ${u.uavId} flew`);
    // The ledger counts launch and slot plans; the mission-end RTL plan comes on top.
    assert.equal(u.plansAccepted, summary.totals.plansSent / scenario.uavs + 1, `UAV ${u.uavId} accepted exactly the controller's plans`);
  }
  assert.deepEqual(summary.security && { plans: summary.security.signedPlans, mav: summary.security.mavlinkSigning }, { plans: true, mav: true });

  // (b) nobody without valid credentials got in.
  assert.deepEqual(log.connectRefused, ['anonymous', 'uav-1 with uav-2\'s password', 'unknown identity']);
  // (a) UAV 2's credentials: its forgeries never reached anyone (not the recorder, which reads everything, nor UAV 1), and it read nothing of UAV 1's.
  assert.equal(log.uav2PublishesDone, 2);
  assert.equal(log.deliveredToRogue, 0, 'no plan of another UAV delivered to uav-2');
  const rec = readRecording(path.join(runDir, 'mqtt.rec'));
  const senders = rec.messages.map((m) => {
    const k = matchTopic(m.topic)?.spec.type;
    const d = k ? decodeRaw(k, m.payload) : undefined;
    return d?.ok ? (d.value as { header?: { sender: string } }).header?.sender : undefined;
  });
  assert.ok(senders.filter((s) => s === 'controller').length > 10, 'the recorder saw the traffic');
  assert.equal(senders.filter((s) => s === ROGUE).length, 0, 'no message of uav-2\'s forgeries was delivered');
  // (c) stolen controller password: UAV 1 nacked the three forgeries and counted them; UAV 2 saw none.
  const nackFor = (seq: number) => log.uav1Acks.filter((a) => a.plan_seq === seq && !a.accepted).map((a) => a.reason);
  const [other, unsigned, replay] = log.forged;
  assert.deepEqual(nackFor(other!.seq), [NackReason.NACK_REASON_BAD_SIGNATURE], 'other key → BAD_SIGNATURE');
  assert.deepEqual(nackFor(unsigned!.seq), [NackReason.NACK_REASON_BAD_SIGNATURE], 'unsigned → BAD_SIGNATURE');
  assert.deepEqual(nackFor(replay!.seq), [NackReason.NACK_REASON_STALE_SEQ], 'replay → STALE_SEQ');
  const [u1, u2] = summary.uavs;
  assert.deepEqual(u1!.planAuth, { accepted: u1!.plansAccepted, unsigned: 1, bad_signature: 1, replay: 1, expired: 0, refused: 3 });
  assert.equal(u1!.plansRefused, 3);
  assert.deepEqual(u2!.planAuth, { accepted: u2!.plansAccepted, unsigned: 0, bad_signature: 0, replay: 0, expired: 0, refused: 0 });

  // MAVLink 2 signing: every frame of the agent ↔ autopilot link is signed.
  for (const id of [1, 2]) {
    const tlog = await readTlogFile(path.join(runDir, `uav-${id}.tlog`));
    assert.ok(tlog.records.length > 100);
    assert.equal(tlog.records.filter((r) => !r.packet.signed).length, 0, `UAV ${id}: no unsigned MAVLink frame`);
  }
}

void test('secure mission on the embedded broker: rogue clients refused, forged plans nacked, mission unaffected', { timeout: 900_000 }, async (t) => {
  const { summary, log, runDir } = await secureMission(t);
  await assertSecureOutcome(summary, log, runDir);
  // aedes closes the connection of a refused publish and answers a refused SUBSCRIBE with 0x80; the hooks count both.
  assert.deepEqual(log.subackCodes, [128, 128]);
  const d = summary.security!.brokerDenials!;
  assert.deepEqual({ publish: d.publish, subscribe: d.subscribe }, { publish: 2, subscribe: 2 });
  assert.ok(d.authenticate >= 3, `${d.authenticate} logins refused`);
  fs.rmSync(runDir, { recursive: true, force: true });
});

let haveMosquitto = true;
try {
  execFileSync('mosquitto', ['-h'], { stdio: 'ignore' });
} catch (e) {
  // `mosquitto -h` exits 3 after printing its usage; only a missing binary matters.
  haveMosquitto = (e as NodeJS.ErrnoException).code !== 'ENOENT';
}

void test('secure mission on Mosquitto with the `uavmec keys` configuration (TLS + passwords)', { timeout: 900_000, skip: haveMosquitto ? false : 'mosquitto not installed' }, async (t) => {
  const dir = path.join(tempDir('secure-mission'), 'secrets');
  const certPort = await freePort();
  const pwPort = await freePort();
  const keys = await createFleetKeys({ fleet: 2, out: dir, recorder: true, certPort, passwordPort: pwPort, bindHost: '127.0.0.1', ...(process.getuid?.() === 0 ? { mosquittoUser: 'root' } : {}) });
  assert.ok(keys.ok, keys.ok ? '' : keys.detail);
  const mosq = await startMosquitto(path.join(dir, 'mosquitto.conf'), pwPort);
  try {
    const { summary, log, runDir } = await secureMission(t, { url: `mqtts://127.0.0.1:${pwPort}`, secretsDir: dir, ca: fs.readFileSync(path.join(dir, 'ca.crt')) });
    await assertSecureOutcome(summary, log, runDir);
    // Mosquitto acknowledges a refused QoS 1 publish and grants a subscription it then filters:
    // the refusal is that nothing was delivered (asserted above).
    fs.rmSync(runDir, { recursive: true, force: true });
  } finally {
    await mosq.stop();
    removeTempDirs();
  }
});
