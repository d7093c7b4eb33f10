/**
 * Sharded controllers end to end (issue 19 §3): a lockstep mission with 2 shards on the embedded
 * broker — SITL, agents, users as in any mission. The fleet launches in shard 1's strip; shard 1
 * must send UAVs to shard 2's users, hand each over when it crosses (a Handover on the bus), and
 * shard 2 must plan them and serve its users; one FleetState carries the whole fleet throughout.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import mqtt from 'mqtt';
import { runMission } from '../../apps/mission/run.ts';
import { decode, topicName, type FleetState } from '../../proto/index.ts';
import { defaultScenario } from '../../sim/world/index.ts';
import { assertMissionCompleted } from '../e2e/outcome.ts';

test('2 shards: UAVs handed over at the border, both regions served, one fleet picture', { timeout: 900_000 }, async (t) => {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'uavmec-shards-'));
  const scenario = defaultScenario({ uavs: 4, users: 16, slots: 16, seed: 7 });
  const fleets: { slot: number; launching: boolean; members: number[]; xs: number[] }[] = [];
  let watch: mqtt.MqttClient | undefined;
  const summary = await runMission({
    scenario, flavour: 'ardupilot', algo: 'cd-kkt', runDir, shards: 2,
    onReady: async ({ brokerUrl }) => {
      watch = await mqtt.connectAsync(brokerUrl, { clientId: `watch-${process.pid}-${Date.now()}` });
      watch.on('message', (_t, payload) => {
        const r = decode('FleetState', payload);
        if (!r.ok) return;
        const f: FleetState = r.value;
        fleets.push({ slot: f.slot, launching: f.launching, members: f.members.map((m) => m.uav_id), xs: f.members.map((m) => m.position!.x_east_m) });
      });
      await watch.subscribeAsync(topicName('fleet'), { qos: 0 });
    },
  });
  await watch?.endAsync();
  t.diagnostic(`shards: ${JSON.stringify(summary.shards)}`);
  assertMissionCompleted(summary, scenario);
  assert.equal(summary.totals.missedWindow, 0, 'shard 2 starts its slots on shard 1\'s clock: no request misses its plan');
  const sh = summary.shards!;
  assert.equal(sh.count, 2);
  const during = sh.handovers.filter((h) => h.slot < scenario.slots - 1);
  assert.ok(during.some((h) => h.from === 1 && h.to === 2), 'shard 1 handed a UAV to shard 2 during the mission');
  const [s1, s2] = sh.shards;
  assert.ok(s1!.tasksReleased > 0 && s2!.tasksReleased > 0, 'both regions have users');
  assert.equal(s1!.tasksReleased + s2!.tasksReleased, summary.totals.released, 'every task request went to exactly one shard');
  assert.ok(s2!.dor > 0 && s2!.plansSent > 0, 'shard 2 planned its adopted UAVs and they served its users');
  // One fleet picture: once slots run, every FleetState names the whole fleet, UAVs of both shards.
  const slotsRunning = fleets.filter((f) => !f.launching);
  assert.ok(slotsRunning.length > scenario.slots * 5, `FleetState at ≥ 5 Hz (${slotsRunning.length})`);
  for (const f of slotsRunning) assert.deepEqual([...f.members].sort(), [1, 2, 3, 4], `slot ${f.slot}: every UAV in the one fleet picture`);
  assert.ok(slotsRunning.some((f) => f.xs.some((x) => x > 80)), 'UAVs over shard 2\'s strip appear in the picture');
  assert.ok(summary.uavs.every((u) => u.plansRefused === 0), 'no plan refused');
  fs.rmSync(runDir, { recursive: true, force: true });
});
