/** The control loop's pure decisions (tick-rules.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { VehicleState } from '../../../firmware-bridge/vehicle.ts';
import type { Phase } from '../telemetry.ts';
import { batteryJ, inAir, odometryStep, reachedTakeoffAlt, returning, silenceEvent, tallyReasons, tickDtS, tickGate } from './tick-rules.ts';

const vehicle = (over: Partial<VehicleState> = {}): VehicleState => ({
  tUs: 0, connected: true, flavour: 'px4', armed: true, mode: 'offboard', modeRaw: 'OFFBOARD', landed: 'in_air', ...over,
});
const atAlt = (relAltM: number, over: Partial<VehicleState> = {}) => vehicle({ global: { latDeg: 0, lonDeg: 0, altAmslM: relAltM, relAltM }, ...over });

test('tickDtS: the nominal period on the first tick, then the clock time since the last', () => {
  assert.equal(tickDtS(undefined, 5e6, 10), 0.1);
  assert.equal(tickDtS(1_000_000, 1_250_000, 10), 0.25);
});

test('inAir and silenceEvent: setpoints stream in takeoff and flight; silence counts from flight on', () => {
  const phases: Phase[] = ['ground', 'takeoff', 'flying', 'rtl', 'landing'];
  assert.deepEqual(phases.map(inAir), [false, true, true, false, false]);
  assert.deepEqual(phases.map(silenceEvent), ['resume', 'resume', 'tick', 'tick', 'tick']);
  assert.deepEqual(phases.map(returning), [false, false, false, true, true], 'silence is not judged on the way home');
});

test('reachedTakeoffAlt: 90 % of the takeoff altitude; no global position is the ground', () => {
  assert.equal(reachedTakeoffAlt(atAlt(8.9), 10), false);
  assert.equal(reachedTakeoffAlt(atAlt(9), 10), true);
  assert.equal(reachedTakeoffAlt(vehicle(), 10), false);
});

test('tickGate: a return or landing ends on the ground once disarmed and not in the air', () => {
  for (const phase of ['rtl', 'landing'] as const) {
    assert.deepEqual(tickGate(phase, vehicle({ armed: false, landed: 'on_ground' }), 10), { phase: 'ground', fly: false });
    assert.deepEqual(tickGate(phase, vehicle({ armed: true, landed: 'on_ground' }), 10), { phase, fly: false }, 'still armed');
    assert.deepEqual(tickGate(phase, vehicle({ armed: false, landed: 'in_air' }), 10), { phase, fly: false }, 'still in the air');
  }
});

test('tickGate: an ArduPilot takeoff climbs on its own; PX4 is flown up; both fly once at 90 %', () => {
  assert.deepEqual(tickGate('takeoff', atAlt(5, { flavour: 'ardupilot' }), 10), { phase: 'takeoff', fly: false });
  assert.deepEqual(tickGate('takeoff', atAlt(5, { flavour: 'px4' }), 10), { phase: 'takeoff', fly: true });
  assert.deepEqual(tickGate('takeoff', atAlt(9.5, { flavour: 'ardupilot' }), 10), { phase: 'flying', fly: true });
  assert.deepEqual(tickGate('flying', atAlt(20), 10), { phase: 'flying', fly: true });
  assert.deepEqual(tickGate('ground', atAlt(0, { armed: false, landed: 'on_ground' }), 10), { phase: 'ground', fly: false });
});

test('batteryJ: state of charge times capacity; unknown stays unknown', () => {
  assert.equal(batteryJ(vehicle({ batteryRemainingPct: 25 }), 400_000), 100_000);
  assert.equal(batteryJ(vehicle(), 400_000), undefined);
});

test('odometryStep: distance accumulates from the second position on; max altitude is -z', () => {
  let o = odometryStep({ distanceM: 0, maxAltM: 0, lastPos: undefined }, { x: 0, y: 0, z: -10 });
  assert.deepEqual(o, { distanceM: 0, maxAltM: 10, lastPos: { x: 0, y: 0, z: -10 } });
  o = odometryStep(o, { x: 3, y: 4, z: -10 });
  o = odometryStep(o, { x: 3, y: 4, z: -22 });
  assert.equal(o.distanceM, 17);
  assert.equal(o.maxAltM, 22);
  o = odometryStep(o, { x: 3, y: 4, z: -15 });
  assert.equal(o.maxAltM, 22, 'the highest, not the last');
});

test('tallyReasons: counted by prefix, in place', () => {
  const counts: Record<string, number> = { separation: 1 };
  tallyReasons(counts, ['separation: uav 2 at 3.1 m', 'accel', 'fence:north']);
  tallyReasons(counts, ['accel']);
  assert.deepEqual(counts, { separation: 2, accel: 2, fence: 1 });
});
