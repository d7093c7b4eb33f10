/** The plan gate: epoch fencing (issue 19 §1) and the envelope's fence and ceiling at intake (issue 14). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FlightMode, NackReason, type Plan } from '../../../proto/index.ts';
import { gatePlan } from './gate.ts';
import { fenceChecks } from './intake.ts';

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
  // Within an epoch plan_seq must increase.
  const replay = gatePlan(plan(10, 2), g);
  assert.equal(!replay.accepted && replay.reason, NackReason.NACK_REASON_STALE_SEQ);
  // Without leader election (epoch 0 everywhere) nothing changes.
  assert.equal(gatePlan(plan(11, 0), { uavId: 1, lastSeq: 10, nowUs: T }).accepted, true);
});

void test('intake fence checks: targets, waypoints and legs outside the horizontal fence are refused UNSAFE', () => {
  // An L-shaped (concave) inclusion: the notch north-east of (100, 100) is outside.
  const L = [{ n: 0, e: 0 }, { n: 0, e: 200 }, { n: 100, e: 200 }, { n: 100, e: 100 }, { n: 200, e: 100 }, { n: 200, e: 0 }];
  const checks = fenceChecks({ fence: { kind: 'zones', inclusions: [{ kind: 'polygon', vertices: L }], exclusions: [] }, altitude: { minAltM: 5, maxAltM: 120 } });
  const g = { uavId: 1, lastSeq: 10, nowUs: T, ...checks };
  const at = (e: number, n: number, alt = 50) => ({ x_east_m: e, y_north_m: n, alt_m: alt });
  const goto = (p: ReturnType<typeof at>): Plan => ({ ...plan(11, 0), flight: { mode: FlightMode.FLIGHT_MODE_GOTO, target: p, waypoints: [], speed_m_s: 5, model_sha256: '' } });
  const wps = (...ps: ReturnType<typeof at>[]): Plan => ({ ...plan(11, 0), flight: { mode: FlightMode.FLIGHT_MODE_WAYPOINTS, waypoints: ps, speed_m_s: 5, model_sha256: '' } });
  const why = (v: ReturnType<typeof gatePlan>) => (v.accepted ? 'accepted' : `${v.reason} ${v.detail}`);

  assert.equal(gatePlan(goto(at(50, 150)), g).accepted, true, 'inside the north arm');
  assert.match(why(gatePlan(goto(at(150, 150)), g)), new RegExp(`^${NackReason.NACK_REASON_UNSAFE} target \\(150\\.0 E, 150\\.0 N\\) is 50\\.0 m outside the horizontal geofence`));
  assert.match(why(gatePlan(goto(at(50, 50, 150)), g)), /above the 120 m ceiling/);
  assert.match(why(gatePlan(wps(at(50, 50), at(-10, 50)), g)), /outside the horizontal geofence/, 'a waypoint outside');
  // Both ends inside, the straight leg cuts across the notch: refused as a leg.
  assert.match(why(gatePlan(wps(at(50, 190), at(190, 50)), g)), /^6 waypoints 1→2: the leg \(50\.0 E, 190\.0 N\) → \(190\.0 E, 50\.0 N\) leaves the horizontal geofence/);
  assert.equal(gatePlan(wps(at(50, 190), at(50, 50), at(190, 50)), g).accepted, true, 'the same trip around the corner');
  // A box fence: the default for a mission's area.
  const box = fenceChecks({ fence: { kind: 'box', northM: [0, 100], eastM: [0, 100] }, altitude: { minAltM: 5, maxAltM: 120 } });
  assert.equal(gatePlan(goto(at(100, 0)), { ...g, ...box }).accepted, true, 'on the boundary is inside');
  assert.equal(gatePlan(goto(at(100.5, 0)), { ...g, ...box }).accepted, false);
});

void test('gate: a newer leader\'s first plan supersedes the deposed leader\'s whatever their plan_seq (plans ordered by epoch, then seq)', () => {
  // A standby took over (epoch 3) while a broker stall kept the leader (epoch 2) from reading the
  // new lease: both planned the slot, the deposed one a few ms later (plan_seq 1005 > 1000), and
  // its plan arrived first. Ordered by plan_seq alone, the new leader's plan was refused STALE_SEQ
  // and the agent flew the deposed leader's plans until it stepped down.
  const afterDeposed = { uavId: 1, lastSeq: 1005, epoch: 2, nowUs: T };
  const v = gatePlan(plan(1000, 3), afterDeposed);
  assert.equal(v.accepted, true, `the new leader's plan is accepted (${v.accepted ? '' : v.detail})`);
  // From then on the agent is at epoch 3: the deposed leader's later plans are refused as such.
  const late = gatePlan(plan(1010, 2), { uavId: 1, lastSeq: 1000, epoch: 3, nowUs: T });
  assert.equal(!late.accepted && late.reason, NackReason.NACK_REASON_STALE_EPOCH);
  // Within the new epoch the sequence rules again.
  assert.equal(gatePlan(plan(999, 3), { uavId: 1, lastSeq: 1000, epoch: 3, nowUs: T }).accepted, false);
  // Not knowing an epoch yet (just restarted: epochs live in memory, plan_seq is persisted), plan_seq alone decides.
  const fresh = gatePlan(plan(1000, 3), { uavId: 1, lastSeq: 1005, epoch: 0, nowUs: T });
  assert.equal(!fresh.accepted && fresh.reason, NackReason.NACK_REASON_STALE_SEQ);
});
