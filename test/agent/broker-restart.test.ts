/**
 * Issue 6 §4 evidence: the broker stops and restarts mid-mission. The agent (driving an ArduCopter
 * SITL over UDP MAVLink 2) keeps flying its plan inside the envelope, keeps its telemetry in the
 * on-disk outbox, and delivers it when the broker is back: every twin message made is received,
 * none lost, in the order made (header seq), across both broker incarnations.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ScaledClock } from '../../core/clock.ts';
import { createAgent } from '../../apps/agent/create.ts';
import { silentLogger } from '../../apps/common/log.ts';
import { startSitl } from '../../sim/autopilot/index.ts';
import { defaultScenario, uavProfile } from '../../sim/world/index.ts';
import { decodeRaw } from '../../proto/index.ts';
import { MiniController, RestartableBroker, until } from './harness.ts';

test('broker stopped and restarted mid-mission: telemetry made = received, in order, none lost', { timeout: 120_000 }, async (t) => {
  const scenario = defaultScenario({ uavs: 1, users: 0, slots: 10, seed: 3 });
  const clock = new ScaledClock(5);
  const broker = new RestartableBroker();
  await broker.start();
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'uavmec-agent-br-'));
  const sitl = await startSitl({ vehicles: 1, flavour: 'ardupilot', clock, home: scenario.origin, basePort: 0, batteryJ: scenario.uav.batteryJ });
  const agent = await createAgent({
    uavId: 1, autopilotUrl: sitl.vehicles[0]!.url, broker: { url: broker.url }, clientId: `agent-br-${process.pid}`, clock, log: silentLogger(), profile: uavProfile(scenario, 1, clock.nowUs()), stateDir,
  });
  const ctl = await MiniController.start(broker.url, clock, 1, scenario.slotS);
  try {
    assert.ok((await agent.vehicle.waitConnected(10_000)).ok);
    // A long leg so the UAV is still flying it through the outage.
    await ctl.plan(ctl.goto(45, 45, scenario.cruiseAltM, 3));
    const truth = () => sitl.vehicles[0]!.truth();
    await until(() => truth().global.relAltM > scenario.cruiseAltM * 0.9, 'takeoff', 60_000);
    await clock.sleep(3000);

    const before = truth().positionNedM;
    const twinsBefore = agent.uplink.stats.made.twin ?? 0;
    const downUs = clock.nowUs();
    await broker.stop();
    await until(() => !agent.bus.connected, 'agent sees the broker gone');
    await clock.sleep(12_000); // 6 slots of 2 s: longer than the 3-slot silence hold
    const during = truth().positionNedM;
    const queued = agent.uplink.depth();
    const onDisk = agent.outbox!.stats().messages;
    const moved = Math.hypot(during.x - before.x, during.y - before.y);
    t.diagnostic(`outage: moved ${moved.toFixed(1)} m, ${queued} messages queued (${onDisk} on disk), failsafe ${agent.service.failsafe.state().mode}`);
    assert.ok(moved > 10, `kept flying the plan while the broker was down (moved ${moved.toFixed(1)} m)`);
    assert.equal(agent.service.failsafe.state().mode, 'broker_down');
    assert.ok(onDisk > 0, 'telemetry went to the on-disk outbox');
    assert.ok((agent.uplink.stats.made.twin ?? 0) - twinsBefore >= 20, 'twin state kept being made during the outage');

    const upUs = clock.nowUs();
    await broker.start();
    await until(() => agent.bus.connected && agent.uplink.depth() === 0, 'outbox delivered after the broker came back', 30_000);
    await clock.sleep(2000);
    agent.service.stop();
    assert.ok(await agent.uplink.flushed(10_000), 'everything delivered');

    const made = agent.uplink.stats.made.twin ?? 0;
    const twins = broker.received.filter((r) => r.key === 'twin');
    const seqs = twins.map((r) => r.seq);
    const unique = [...new Set(seqs)];
    const firstOrder = seqs.filter((s, i) => seqs.indexOf(s) === i);
    t.diagnostic(`twin: made ${made}, received ${twins.length} (${unique.length} distinct, ${twins.length - unique.length} duplicates); first incarnation ${twins.filter((r) => r.incarnation === 0).length}, second ${twins.filter((r) => r.incarnation === 1).length}`);
    assert.equal(unique.length, made, 'every twin message made was received');
    assert.deepEqual([...unique].sort((a, b) => a - b), Array.from({ length: made }, (_, i) => i + 1), 'no gaps');
    assert.deepEqual(firstOrder, [...firstOrder].sort((a, b) => a - b), 'received in the order made');
    // Made during the outage (header time = when made), delivered by the restarted broker.
    const outageMade = twins.filter((r) => r.incarnation === 1 && r.tUs > downUs && r.tUs < upUs);
    assert.ok(outageMade.length >= 20, `${outageMade.length} twin messages made during the outage delivered afterwards`);
    // Every message the agent made (all topics, QoS 1) arrived, and in global order.
    const allMade = Object.values(agent.uplink.stats.made).reduce((a, b) => a + b, 0);
    const distinct = new Set(broker.received.filter((r) => r.key !== 'health').map((r) => `${r.topic}#${r.seq}`));
    assert.equal(distinct.size, allMade, 'acks, events and twin: all made = all received');
    const codes = broker.received.filter((r) => r.key === 'uavEvent').map((r) => decodeRaw('Event', r.payload)).map((e) => (e.ok ? e.value.code : ''));
    assert.ok(codes.includes('failsafe.broker_down') && codes.includes('failsafe.nominal'), `failsafe events delivered: ${codes.join(', ')}`);
  } finally {
    await ctl.close().catch(() => undefined);
    await agent.close().catch(() => undefined);
    await sitl.stop();
    await broker.stop();
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
});
