/**
 * Issue 19's evidence, end to end on loopback: a 3-node nats-server cluster, 2 controllers, 6 SITL
 * UAVs with their agents, the simulated users. The leader is killed at slot 4 (its connection
 * drops as in a crash), restarted with the same id at slot 7, and broker node 1 is SIGKILLed at
 * slot 10. Asserted: the standby took over within one slot with the next epoch; every slot got
 * plans and no UAV's plan_seq went back; no plan of the deposed leader was flown; no UAV reached
 * its controller-silence hold or RTL; no telemetry lost; the restarted controller rejoined as a
 * standby; the mission completed and every UAV landed. A second mission runs the controllers as
 * separate OS processes (`uavmec controller --leader-id`) and SIGKILLs the leader's process.
 *
 * Wall-clock missions (real sockets, real processes for the broker): 3 s slots at speed 1. A killed
 * node stalls the cluster's QoS 1 for seconds of wall time while JetStream re-elects (measured 4–8 s
 * on the loaded 2-core machine); the agents hold after 3 slots of silence, so the slot must not be
 * shorter than a third of that stall (deploy/cluster/README.md). The takeover bound is the issue's.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { NATS_SERVER_BIN } from '../../apps/cluster/index.ts';
import { defaultScenario } from '../../sim/world/index.ts';
import { formatFailover, parseChaos, runFailoverMission } from '../../apps/mission/failover/index.ts';

// In CI by default (nats-server is installed there): 2 wall-clock missions, about 4.5 minutes.
// Passed idle and with both cores saturated by stress-ng --cpu 2 (docs/failover.md, "Measured").
// UAVMEC_CLUSTER_E2E=0 leaves them out (e.g. on a machine without spare minutes).
const skip = process.env.UAVMEC_CLUSTER_E2E === '0' ? 'UAVMEC_CLUSTER_E2E=0' : !fs.existsSync(NATS_SERVER_BIN) && `nats-server not installed at ${NATS_SERVER_BIN}`;

test('failover mission: leader killed, controller restarted, broker node killed — nothing lost', { timeout: 600_000, skip }, async () => {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'uavmec-failover-'));
  const chaos = parseChaos('leader@4,restart@7,broker@10', 3);
  assert.ok(chaos.ok);
  const scenario = defaultScenario({ uavs: 6, users: 12, slots: 16, slotS: 3, seed: 3 });
  let passed = false;
  try {
    const f = await runFailoverMission({ scenario, speed: 1, flavour: 'ardupilot', algo: 'cd-kkt', runDir, brokerNodes: 3, controllers: 2, chaos: chaos.value });
    console.log(formatFailover(f));
    const kill = f.chaos.find((c) => c.kind === 'leader');
    assert.ok(kill?.takeover, 'a standby took over');
    assert.equal(kill.takeover.by, 'c2');
    assert.equal(kill.takeover.epoch, (kill.epoch ?? 0) + 1, 'the next epoch');
    assert.ok(kill.takeover.afterSlots <= 1, `takeover within one slot (took ${kill.takeover.afterSlots.toFixed(2)})`);
    assert.ok(kill.takeover.firstPlanAfterSlots !== undefined && kill.takeover.firstPlanAfterSlots <= 1.5, `the new leader's first plan within 1.5 slots (${kill.takeover.firstPlanAfterSlots})`);
    assert.deepEqual(f.continuity.slotsWithoutPlans, [], 'every slot planned');
    assert.equal(f.continuity.seqRegressions, 0, 'plan sequence continuous');
    assert.ok(f.continuity.epochs.length >= 2, 'plans of two epochs');
    assert.deepEqual(f.failsafes, [], 'no UAV in hold or RTL');
    assert.deepEqual(f.failsafesAfterEnd, [], 'no failsafe during the mission-end RTL either (the controller is quiet then)');
    // Every twin state an agent made reached the monitor (a persistent-session subscriber), through
    // the node's death: the QoS 1 stream keeps messages by age (apps/cluster/jetstream.ts).
    assert.equal(f.telemetry.lost, 0, `telemetry lost ${f.telemetry.lost} of ${f.telemetry.received}: ${JSON.stringify(f.telemetry.missing)}`);
    assert.ok(f.telemetry.received > 16 * 6, 'telemetry flowed');
    assert.ok(f.telemetry.agentFailovers >= 2, 'the agents on node 1 failed over');
    assert.equal(f.chaos.find((c) => c.kind === 'restart')?.rejoined, 'standby', 'the restarted controller rejoined as a standby');
    assert.equal(f.slots.filter((s) => s.plansSent > 0).length, 16, 'every slot led by someone');
    assert.ok(f.totals.completed > 0 && f.totals.completed >= 0.8 * f.totals.released, `tasks completed ${f.totals.completed}/${f.totals.released}`);
    assert.equal(f.landed, 6, 'every UAV landed');
    passed = true;
  } finally {
    if (passed) fs.rmSync(runDir, { recursive: true, force: true });
    else console.log(`run kept for inspection: ${runDir}`);
  }
});

test('failover with controller processes: the leader process SIGKILLed, a standby process takes over, the restarted one rejoins', { timeout: 600_000, skip }, async () => {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'uavmec-failover-proc-'));
  const chaos = parseChaos('leader@4,restart@7', 3);
  assert.ok(chaos.ok);
  const scenario = defaultScenario({ uavs: 6, users: 12, slots: 12, slotS: 3, seed: 3 });
  let passed = false;
  try {
    const f = await runFailoverMission({ scenario, speed: 1, flavour: 'ardupilot', algo: 'cd-kkt', runDir, brokerNodes: 3, controllers: 2, chaos: chaos.value, controllerProcesses: true });
    console.log(formatFailover(f));
    const kill = f.chaos.find((c) => c.kind === 'leader');
    assert.equal(kill?.target, 'c1');
    assert.ok(kill?.takeover, 'a standby process took over');
    assert.deepEqual([kill.takeover.by, kill.takeover.epoch], ['c2', 2]);
    assert.ok(kill.takeover.afterSlots <= 1, `takeover within one slot (took ${kill.takeover.afterSlots.toFixed(2)})`);
    assert.deepEqual(f.continuity.slotsWithoutPlans, [], 'every slot planned');
    assert.equal(f.continuity.seqRegressions, 0, 'plan sequence continuous');
    assert.deepEqual(f.continuity.epochs, [1, 2]);
    assert.deepEqual(f.failsafes, [], 'no UAV in hold or RTL');
    assert.deepEqual(f.failsafesAfterEnd, [], 'no failsafe during the mission-end RTL either (the controller is quiet then)');
    assert.equal(f.telemetry.lost, 0, `telemetry lost: ${JSON.stringify(f.telemetry.missing)}`);
    assert.equal(f.chaos.find((c) => c.kind === 'restart')?.rejoined, 'standby', 'the restarted process rejoined as a standby (its log says so)');
    assert.ok(f.totals.completed > 0 && f.totals.completed >= 0.8 * f.totals.released, `tasks completed ${f.totals.completed}/${f.totals.released} (the last leader's books)`);
    assert.equal(f.landed, 6, 'every UAV landed');
    passed = true;
  } finally {
    if (passed) fs.rmSync(runDir, { recursive: true, force: true });
    else console.log(`run kept for inspection: ${runDir}`);
  }
});
