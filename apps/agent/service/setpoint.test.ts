/** What the agent would fly before the envelope (setpoint.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Vec3 } from '../../../firmware-bridge/vehicle.ts';
import { FlightMode, type FlightCommand } from '../../../proto/index.ts';
import { guidanceProfile, velocityTowards } from '../flight/guidance.ts';
import { chooseSetpoint, still, type SetpointInput } from './setpoint.ts';

const guidance = guidanceProfile({ speedMS: 8, reachedM: 1.5 }, { maxSpeedMS: 10, maxVerticalSpeedMS: 3, maxAccelMS2: 4 }, 10);
const flight = (mode: FlightMode, over: Partial<FlightCommand> = {}): FlightCommand => ({ mode, waypoints: [], speed_m_s: 0, model_sha256: '', ...over });
const input = (over: Partial<SetpointInput>): SetpointInput => ({ phase: 'flying', flight: undefined, pos: { x: 0, y: 0, z: -10 }, guidance, takeoffAltM: 15, waypoint: 0, hasPolicy: false, ...over });
const velocity = (c: ReturnType<typeof chooseSetpoint>): Vec3 => {
  assert.equal(c.kind, 'setpoint');
  const s = (c as { setpoint: { kind: string; velocityMS: Vec3 } }).setpoint;
  assert.equal(s.kind, 'velocity_ned');
  return s.velocityMS;
};

test('takeoff: straight up to the takeoff altitude, whatever the plan says', () => {
  const pos = { x: 4, y: -2, z: -3 };
  const v = velocity(chooseSetpoint(input({ phase: 'takeoff', pos, flight: flight(FlightMode.FLIGHT_MODE_GOTO, { target: { x_east_m: 50, y_north_m: 50, alt_m: 20 } }) })));
  assert.deepEqual(v, velocityTowards(pos, { x: 4, y: -2, z: -15 }, guidance));
  assert.equal(v.x, 0);
  assert.equal(v.y, 0);
  assert.ok(v.z < 0, 'climbing (NED: up is -z)');
});

test('GOTO: towards the target, mission frame (east, north, up) turned into NED', () => {
  const v = velocity(chooseSetpoint(input({ flight: flight(FlightMode.FLIGHT_MODE_GOTO, { target: { x_east_m: 0, y_north_m: 30, alt_m: 10 } }) })));
  assert.ok(v.x > 0 && Math.abs(v.y) < 1e-9 && Math.abs(v.z) < 1e-9, `north only: ${JSON.stringify(v)}`);
  assert.deepEqual(velocity(chooseSetpoint(input({ flight: flight(FlightMode.FLIGHT_MODE_GOTO) }))), { x: 0, y: 0, z: 0 }, 'GOTO without a target hovers');
});

test('WAYPOINTS: passes the reached waypoint and flies the next; keeps the index otherwise', () => {
  const wps = [{ x_east_m: 0, y_north_m: 0, alt_m: 10 }, { x_east_m: 20, y_north_m: 0, alt_m: 10 }];
  const at0 = chooseSetpoint(input({ flight: flight(FlightMode.FLIGHT_MODE_WAYPOINTS, { waypoints: wps }) }));
  assert.equal((at0 as { waypoint: number }).waypoint, 1, 'at the first waypoint: on to the second');
  assert.ok(velocity(at0).y > 0, 'eastwards');
  const hover = chooseSetpoint(input({ waypoint: 1, flight: flight(FlightMode.FLIGHT_MODE_HOLD) }));
  assert.deepEqual(hover, { kind: 'setpoint', setpoint: still(), waypoint: 1 });
});

test('POLICY: the driver flies it when there is one; without, the agent hovers', () => {
  assert.deepEqual(chooseSetpoint(input({ flight: flight(FlightMode.FLIGHT_MODE_POLICY), hasPolicy: true })), { kind: 'policy' });
  assert.deepEqual(velocity(chooseSetpoint(input({ flight: flight(FlightMode.FLIGHT_MODE_POLICY) }))), { x: 0, y: 0, z: 0 });
  assert.deepEqual(velocity(chooseSetpoint(input({}))), { x: 0, y: 0, z: 0 }, 'no plan: hover');
});

test('still: a fresh zero velocity each time', () => {
  const a = still();
  assert.deepEqual(a, { kind: 'velocity_ned', velocityMS: { x: 0, y: 0, z: 0 } });
  assert.notEqual(a, still());
});
