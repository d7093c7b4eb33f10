/**
 * End-to-end: a short mission through every part of the system — MQTT broker, SITL autopilots
 * over UDP MAVLink 2, agents with the bridge and the safety envelope, the simulated users, the
 * controller — against the embedded broker and, when MQTT_URL is set, a real Mosquitto, in
 * lockstep (the default clock: results do not depend on the machine's load). While it flies, a rogue client publishes malformed messages on every topic of the table; each must be
 * rejected and counted, and the mission must complete as if nothing happened.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import mqtt from 'mqtt';
import { readRecording } from '../../apps/common/recorder.ts';
import { runMission } from '../../apps/mission/run.ts';
import { decode, encode, matchTopic, TOPICS, topicName } from '../../proto/index.ts';
import { readTlogFile } from '../../firmware-bridge/tlog/index.ts';
import { defaultScenario } from '../../sim/world/index.ts';
import { assertMissionCompleted } from './outcome.ts';

const brokers: { name: string; url?: string }[] = [{ name: 'embedded aedes' }];
if (process.env.MQTT_URL) brokers.push({ name: `Mosquitto at ${process.env.MQTT_URL}`, url: process.env.MQTT_URL });

/** Three bad messages for a topic: bytes that are not protobuf, a wrong contract version, a range violation. */
function badMessages(topic: string): Buffer[] {
  const spec = matchTopic(topic)!.spec;
  const header = { version: 1, sender: 'rogue', t_us: Date.now() * 1000, seq: 1 };
  const invalid: Record<string, Record<string, unknown>> = {
    TwinState: { uav_id: 1, battery_pct: 250 },
    Plan: { uav_id: 1, plan_seq: 1, valid_from_t_us: 10, expires_t_us: 5, flight: { mode: 1 } },
    PlanAck: { uav_id: 0, plan_seq: 1 },
    TaskCompletion: { task_id: 0, user_id: 1, site: 1, local_s: 1 },
    TaskRequest: { task_id: 1, user_id: 1, data_bits: -5 },
    Event: { code: '' },
    Health: { uav_id: 0 },
    FleetState: { slot: 1, slot_s: 0 },
  };
  return [
    Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x99]),
    Buffer.from(encode(spec.type, { header: { ...header, version: 99 } } as never)),
    // A type without an entry here (a newer topic) gets a header with no send time: rejected too.
    Buffer.from(encode(spec.type, (invalid[spec.type] ? { header, ...invalid[spec.type] } : { header: { ...header, t_us: 0 } }) as never)),
  ];
}

for (const b of brokers) {
  test(`a short mission flies end to end and shrugs off malformed traffic (${b.name})`, { timeout: 900_000 }, async (t) => {
    const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'uavmec-e2e-'));
    const scenario = defaultScenario({ uavs: 2, users: 8, slots: 8, seed: 7 });
    const injected: string[] = [];
    let rogue: mqtt.MqttClient | undefined;
    const summary = await runMission({
      scenario, flavour: 'ardupilot', algo: 'cd-kkt', runDir, ...(b.url ? { brokerUrl: b.url } : {}),
      onReady: async ({ brokerUrl, clock }) => {
        rogue = await mqtt.connectAsync(brokerUrl, { clientId: `rogue-${process.pid}-${Date.now()}` });
        // Inject during the mission (slot 3 or so), on every topic of the table.
        clock.setTimeout(() => {
          for (const spec of TOPICS) {
            const topic = topicName(spec.key, { uav: 1, user: 1 });
            for (const m of badMessages(topic)) {
              injected.push(spec.key);
              // The rogue is no participant of the lockstep, but its messages are counted in flight
              // like any publish (bus.ts), so every subscriber handles them before time moves on.
              clock.activity?.beginDeliveries(topic);
              void rogue!.publishAsync(topic, m, { qos: 1 });
            }
          }
        }, 6 * scenario.slotS * 1000);
      },
    });
    await rogue?.endAsync();
    t.diagnostic(`DOR ${summary.totals.dor.toFixed(2)}, plans ${summary.totals.plansAcked}/${summary.totals.plansSent}, recording ${summary.recording.messages} messages, rejected ${JSON.stringify(summary.recording.rejected)}, dropped ${JSON.stringify(summary.bus.droppedByTopic)}`);

    // The mission itself.
    assertMissionCompleted(summary, scenario);
    for (const u of summary.uavs) {
      assert.ok(u.distanceM > 10, `UAV ${u.uavId} moved (${u.distanceM.toFixed(1)} m)`);
      assert.ok(u.maxAltM > 10, `UAV ${u.uavId} flew (${u.maxAltM.toFixed(1)} m)`);
      assert.ok(u.maxAltM <= scenario.altMaxM + 0.5, `UAV ${u.uavId} stayed under the ceiling`);
    }

    // Every malformed message was seen, rejected and counted, on every topic.
    assert.equal(injected.length, TOPICS.length * 3);
    for (const spec of TOPICS) assert.ok((summary.recording.rejected[spec.key] ?? 0) >= 3, `recorder rejected the bad ${spec.key} messages`);
    // Topics of other systems (S0, S2) have no subscriber in this mission: only those it used count.
    const used = new Set(readRecording(path.join(runDir, 'mqtt.rec')).messages.filter((m) => {
      const k = matchTopic(m.topic);
      return k !== undefined && decode(k.spec.type, m.payload).ok;
    }).map((m) => matchTopic(m.topic)!.spec.key));
    for (const spec of TOPICS.filter((s) => s.subscribers.length > 0 && used.has(s.key))) {
      assert.ok((summary.bus.droppedByTopic[spec.key] ?? 0) >= 3, `subscribers of ${spec.key} dropped the bad messages`);
    }

    // The run folder.
    const files = fs.readdirSync(runDir);
    for (const f of ['summary.json', 'mqtt.rec', 'uav-1.tlog', 'uav-2.tlog']) assert.ok(files.includes(f), `${f} written`);
    const rec = readRecording(path.join(runDir, 'mqtt.rec'));
    assert.equal(rec.truncated, false);
    assert.equal(rec.messages.length, summary.recording.messages);
    const tlog = await readTlogFile(path.join(runDir, 'uav-1.tlog'));
    assert.ok(tlog.records.length > 100, 'the tlog holds the MAVLink traffic');

    // protoc decodes a recorded twin state with the .proto files alone.
    const twin = rec.messages.find((m) => matchTopic(m.topic)?.spec.key === 'twin' && m.topic.endsWith('/1/twin') && m.payload.length > 20)!;
    let protocOk = true;
    try {
      execFileSync('protoc', ['--version']);
    } catch {
      protocOk = false;
    }
    if (protocOk) {
      const text = execFileSync('protoc', ['-I', 'proto', '--decode=uavmec.v1.TwinState', 'uavmec/v1/twin.proto'], { input: twin.payload }).toString();
      assert.match(text, /uav_id: 1/);
      assert.match(text, /sender: "uav-1"/);
    } else t.diagnostic('protoc not installed: skipped the protoc decode');
    fs.rmSync(runDir, { recursive: true, force: true });
  });
}
