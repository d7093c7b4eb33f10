/** Epoch fencing in the plan gate (issue 19 §1): a deposed leader's plan is refused, the new leader's accepted. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FlightMode, NackReason, type Plan } from '../../../proto/index.ts';
import { gatePlan } from './gate.ts';

const T = 1_700_000_000_000_000;
const plan = (seq: number, epoch: number): Plan => ({
  uav_id: 1, plan_seq: seq, slot: 3, valid_from_t_us: T, expires_t_us: T + 2e6,
  flight: { mode: FlightMode.FLIGHT_MODE_HOLD, waypoints: [], speed_m_s: 0, model_sha256: '' },
  assignments: [], schedule: [], planner: 'test', objective: 0, signature: new Uint8Array(), shares: [], energy_saving: false, leader_epoch: epoch,
});

void test('gate: plans below the highest accepted epoch are refused STALE_EPOCH, equal or higher pass', () => {
  const g = { uavId: 1, lastSeq: 10, epoch: 2, nowUs: T };
  const old = gatePlan(plan(11, 1), g);
  assert.equal(old.accepted, false);
  assert.equal(!old.accepted && old.reason, NackReason.NACK_REASON_STALE_EPOCH);
  assert.equal(gatePlan(plan(11, 2), g).accepted, true);
  assert.equal(gatePlan(plan(11, 3), g).accepted, true);
  // A higher epoch does not excuse an old plan_seq: the new leader continues the sequence.
  const replay = gatePlan(plan(10, 3), g);
  assert.equal(!replay.accepted && replay.reason, NackReason.NACK_REASON_STALE_SEQ);
  // Without leader election (epoch 0 everywhere) nothing changes.
  assert.equal(gatePlan(plan(11, 0), { uavId: 1, lastSeq: 10, nowUs: T }).accepted, true);
});
