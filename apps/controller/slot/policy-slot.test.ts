import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng } from '../../../core/rng.ts';
import { FlightMode } from '../../../proto/index.ts';
import { defaultChannelParams } from '../../../engines/planning/offload/index.ts';
import { applyTwinState, emptyTwin } from '../twin/index.ts';
import { planSlot, type SlotTask } from './plan-slot.ts';
import { planPolicySlot } from './policy-slot.ts';
import { fleetReady, launchTarget } from '../trajectory.ts';

function fixture() {
  let twin = emptyTwin();
  for (const [id, x, y, state] of [[1, 10, 10, 3], [2, 40, 40, 3], [3, 25, 45, 1]] as const) {
    twin = applyTwinState(twin, { uav_id: id, cpu_hz_available: 10e9, compute_energy_used_j: 0, bandwidth_hz: 20e6, cache_bits_available: 1e6, flight_state: state, plan_seq: 0, autopilot_link_up: true, autopilot_mode: 'GUIDED', armed: true, tasks_in_progress: 0, position: { x_east_m: x, y_north_m: y, alt_m: 15 } }, 0);
  }
  const rng = createRng(2);
  const tasks: SlotTask[] = Array.from({ length: 10 }, (_, i) => ({
    taskId: i + 1, userId: i + 1, pos: [rng.uniform(0, 50), rng.uniform(0, 50), 0], dataBits: 120e3, cyclesPerBit: 800, localCpuHz: 0.9e9, txPowerW: 1, deadlineS: 1, releaseUs: 1e15,
  }));
  return { slot: 4, nowUs: 1e15, slotS: 1, twin, tasks, channel: { ...defaultChannelParams(), thetaMaxDeg: 30 }, algo: 'cd-kkt' as const, uavTxPowerW: 5, validSlots: 2, planner: 'policy' };
}

test('policy slot: each UAV is told to fly its own actor, offloading is the cluster planner\'s for the same positions', () => {
  const inp = fixture();
  const models = new Map([[1, 'a'.repeat(64)], [2, 'b'.repeat(64)], [3, 'c'.repeat(64)]]);
  const out = planPolicySlot({ ...inp, models });
  const ref = planSlot({ ...inp, cruiseAltM: 15, speedMS: 2, prevTargets: new Map(), seed: 1 });
  assert.equal(out.plans.size, 3);
  for (const [id, p] of out.plans) {
    assert.equal(p.flight?.mode, FlightMode.FLIGHT_MODE_POLICY);
    assert.equal(p.flight?.model_sha256, models.get(id));
    assert.equal(p.flight?.target, undefined, 'no hover target: the policy decides');
    assert.deepEqual(p.assignments, ref.plans.get(id)!.assignments, `UAV ${id}: same offloading as the planner`);
  }
  assert.ok(out.predictedDor > 0, 'users under the UAVs are served');
  assert.equal(out.predictedDor, ref.predictedDor);
  assert.deepEqual(out.serving, [1, 2], 'UAV 3 is still on the ground: it flies its policy but serves nobody');
});

test('policy slot: a UAV without an actor of its own holds rather than fly another UAV\'s', () => {
  const out = planPolicySlot({ ...fixture(), models: new Map([[1, 'a'.repeat(64)]]) });
  assert.equal(out.plans.get(2)!.flight?.mode, FlightMode.FLIGHT_MODE_HOLD);
  assert.equal(out.plans.get(2)!.flight?.model_sha256, undefined);
});

test('policy launch goes to the trained start, and slot 0 waits until every UAV is there', () => {
  const inp = fixture();
  const traj = { source: 'policy' as const, models: {}, starts: { 1: [10, 10, 15], 2: [40, 40, 15], 3: [25, 45, 10] } as Record<number, [number, number, number]> };
  assert.deepEqual(launchTarget(traj, inp.twin.get(3)!, 25), [25, 45, 10]);
  assert.deepEqual(launchTarget({ source: 'planner' }, inp.twin.get(3)!, 25), [25, 45, 25]);
  assert.equal(fleetReady(traj, inp.twin), false, 'UAV 3 is not flying');
  const flying = new Map([...inp.twin].map(([id, u]) => [id, { ...u, flightState: 3 }]));
  assert.equal(fleetReady(traj, flying), false, 'UAV 3 is 5 m above its start');
  assert.equal(fleetReady({ ...traj, starts: { ...traj.starts, 3: [25, 45, 14] } }, flying), true);
  assert.equal(fleetReady({ source: 'planner' }, flying), true);
});
