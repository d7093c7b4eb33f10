/** The agent's pure flight decisions (flight-rules.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { VehicleState } from '../../../firmware-bridge/vehicle.ts';
import { decodeRaw, FlightMode, Severity, type Plan } from '../../../proto/index.ts';
import { emptyState } from '../state/index.ts';
import type { Phase } from '../telemetry.ts';
import { adoptedText, adoption, flightCommand, planResumes, restartsTour, stateWithPlan, transitionSeverity } from './flight-rules.ts';

const vehicle = (over: Partial<VehicleState> = {}): VehicleState => ({
  tUs: 0, connected: true, flavour: 'ardupilot', armed: true, mode: 'offboard', modeRaw: 'GUIDED', landed: 'in_air', ...over,
});
const M = FlightMode;

test('transitionSeverity: nominal is info, broker loss a warning, the rest errors', () => {
  assert.equal(transitionSeverity('nominal'), Severity.SEVERITY_INFO);
  assert.equal(transitionSeverity('broker_down'), Severity.SEVERITY_WARNING);
  for (const m of ['hold', 'rtl', 'autopilot_lost'] as const) assert.equal(transitionSeverity(m), Severity.SEVERITY_ERROR);
});

test('flightCommand: RTL returns, LAND lands once, anything else launches from the ground only', () => {
  const phases: Phase[] = ['ground', 'takeoff', 'flying', 'rtl', 'landing'];
  assert.deepEqual(phases.map((p) => flightCommand(M.FLIGHT_MODE_RTL, p, false)), ['rtl', 'rtl', 'rtl', 'rtl', 'rtl']);
  assert.deepEqual(phases.map((p) => flightCommand(M.FLIGHT_MODE_LAND, p, false)), ['land', 'land', 'land', 'land', 'none']);
  assert.deepEqual(phases.map((p) => flightCommand(M.FLIGHT_MODE_GOTO, p, false)), ['launch', 'none', 'none', 'none', 'none']);
  assert.equal(flightCommand(undefined, 'ground', false), 'launch');
});

test('flightCommand: a latched RTL overrides every plan in the air, not on the ground', () => {
  for (const p of ['takeoff', 'flying', 'rtl', 'landing'] as const) {
    for (const m of [M.FLIGHT_MODE_RTL, M.FLIGHT_MODE_LAND, M.FLIGHT_MODE_GOTO]) assert.equal(flightCommand(m, p, true), 'none');
  }
  assert.equal(flightCommand(M.FLIGHT_MODE_GOTO, 'ground', true), 'launch');
});

test('restartsTour: on a change of mode and on every WAYPOINTS plan', () => {
  assert.equal(restartsTour(M.FLIGHT_MODE_GOTO, M.FLIGHT_MODE_GOTO), false);
  assert.equal(restartsTour(M.FLIGHT_MODE_GOTO, M.FLIGHT_MODE_WAYPOINTS), true);
  assert.equal(restartsTour(M.FLIGHT_MODE_WAYPOINTS, M.FLIGHT_MODE_WAYPOINTS), true);
  assert.equal(restartsTour(undefined, M.FLIGHT_MODE_HOLD), true);
});

test('planResumes: on the ground, or in the hold after a link regain unless RTL is latched', () => {
  assert.equal(planResumes('ground', { regainHold: false }), true);
  assert.equal(planResumes('flying', { regainHold: false }), false);
  assert.equal(planResumes('flying', { regainHold: true }), true);
  assert.equal(planResumes('flying', { regainHold: true, rtlLatch: 'battery_reserve' }), false);
});

test('stateWithPlan: seq and plan bytes kept, the previous plan\'s progress dropped, the rest untouched', () => {
  const s = { ...emptyState(3), lastSeq: 4, modelSha256: 'ab', schedule: { planSeq: 4, done: [['n', 1]] as [string, number][] }, shares: { planSeq: 4, reported: [7] } };
  const plan = { uav_id: 3, plan_seq: 5, slot: 2, valid_from_t_us: 10, expires_t_us: 20, assignments: [], schedule: [], planner: 'x', objective: 0, signature: new Uint8Array(), shares: [], energy_saving: false, leader_epoch: 0 } as Plan;
  const n = stateWithPlan(s, plan);
  assert.equal(n.lastSeq, 5);
  assert.equal(n.modelSha256, 'ab');
  assert.ok(!('schedule' in n) && !('shares' in n));
  const back = decodeRaw('Plan', Buffer.from(n.planB64!, 'base64'));
  assert.ok(back.ok && back.value.plan_seq === 5 && back.value.slot === 2);
  assert.equal(s.lastSeq, 4, 'the old state is not changed');
});

test('adoption: only an armed vehicle in the air; the autopilot keeps its own RTL or landing', () => {
  assert.deepEqual(adoption(vehicle({ connected: false })), { kind: 'none' });
  assert.deepEqual(adoption(vehicle({ armed: false })), { kind: 'none' });
  assert.deepEqual(adoption(vehicle({ landed: 'on_ground' })), { kind: 'none' });
  assert.deepEqual(adoption(vehicle({ landed: 'unknown' })), { kind: 'none' });
  assert.deepEqual(adoption(vehicle({ mode: 'rtl' })), { kind: 'autopilot', phase: 'rtl' });
  assert.deepEqual(adoption(vehicle({ mode: 'land' })), { kind: 'autopilot', phase: 'landing' });
  assert.deepEqual(adoption(vehicle({ landed: 'landing' })), { kind: 'autopilot', phase: 'landing' });
  assert.deepEqual(adoption(vehicle({ landed: 'takeoff', mode: 'hold' })), { kind: 'take_over' });
});

test('adoptedText: what the operator reads', () => {
  assert.equal(adoptedText(vehicle({ mode: 'rtl', modeRaw: 'RTL' }), { kind: 'autopilot', phase: 'rtl' }, undefined, undefined), 'joined a flying vehicle in RTL: the autopilot keeps flying its return');
  assert.equal(adoptedText(vehicle({ modeRaw: '' , mode: 'land' }), { kind: 'autopilot', phase: 'landing' }, undefined, undefined), 'joined a flying vehicle in land: the autopilot keeps flying its landing');
  assert.equal(adoptedText(vehicle(), { kind: 'take_over' }, { x: 1.26, y: -3, z: -12 }, 9), 'joined a flying vehicle in GUIDED at (-3.0 E, 1.3 N, 12.0 up) m: resuming plan 9, no takeoff');
  assert.equal(adoptedText(vehicle(), { kind: 'take_over' }, undefined, undefined), 'joined a flying vehicle in GUIDED: holding there until the next plan, no takeoff');
});
