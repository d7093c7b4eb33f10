/**
 * Setpoint messages: the right MAVLink message per frame, fields in MAVLink's units, and type
 * masks that match the bit definitions of POSITION_TARGET_TYPEMASK (common.xml), built here bit
 * by bit as an independent reference.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { common } from 'node-mavlink';
import { setpointMessage, TYPE_MASK } from './setpoints.ts';

const BIT = { X: 1, Y: 2, Z: 4, VX: 8, VY: 16, VZ: 32, AX: 64, AY: 128, AZ: 256, FORCE: 512, YAW: 1024, YAW_RATE: 2048 };
const ignore = (...names: (keyof typeof BIT)[]) => names.reduce((m, n) => m | BIT[n], 0);
const target = { sysid: 7, compid: 1, timeBootMs: 2 ** 32 + 5 };

void test('type masks ignore exactly what each setpoint does not command', () => {
  assert.equal(TYPE_MASK.POSITION, ignore('VX', 'VY', 'VZ', 'AX', 'AY', 'AZ', 'YAW', 'YAW_RATE'));
  assert.equal(TYPE_MASK.POSITION_YAW, ignore('VX', 'VY', 'VZ', 'AX', 'AY', 'AZ', 'YAW_RATE'));
  assert.equal(TYPE_MASK.VELOCITY, ignore('X', 'Y', 'Z', 'AX', 'AY', 'AZ', 'YAW', 'YAW_RATE'));
  assert.equal(TYPE_MASK.VELOCITY_YAW_RATE, ignore('X', 'Y', 'Z', 'AX', 'AY', 'AZ', 'YAW'));
});

void test('local NED setpoints: SET_POSITION_TARGET_LOCAL_NED in frame 1', () => {
  const p = setpointMessage({ kind: 'position_ned', positionM: { x: 10, y: -4, z: -30 }, yawRad: 1.5 }, target);
  assert.ok(p instanceof common.SetPositionTargetLocalNed);
  assert.deepEqual([p.x, p.y, p.z, p.yaw, p.typeMask, p.coordinateFrame], [10, -4, -30, 1.5, TYPE_MASK.POSITION_YAW, 1]);
  assert.deepEqual([p.targetSystem, p.targetComponent, p.timeBootMs], [7, 1, 5], 'time_boot_ms wraps at 2^32');
  const v = setpointMessage({ kind: 'velocity_ned', velocityMS: { x: 1, y: 2, z: -0.5 } }, target) as common.SetPositionTargetLocalNed;
  assert.deepEqual([v.vx, v.vy, v.vz, v.yawRate, v.typeMask], [1, 2, -0.5, 0, TYPE_MASK.VELOCITY]);
});

void test('global setpoints: SET_POSITION_TARGET_GLOBAL_INT in frame 6, lat/lon in 1e-7 degrees', () => {
  const p = setpointMessage({ kind: 'position_global', latDeg: 47.3977419, lonDeg: 8.5455938, relAltM: 50 }, target);
  assert.ok(p instanceof common.SetPositionTargetGlobalInt);
  assert.deepEqual([p.latInt, p.lonInt, p.alt, p.typeMask, p.coordinateFrame], [473977419, 85455938, 50, TYPE_MASK.POSITION, 6]);
  const v = setpointMessage({ kind: 'velocity_global', velocityMS: { x: 0, y: 3, z: 0 }, yawRateRadS: 0.2 }, target) as common.SetPositionTargetGlobalInt;
  assert.deepEqual([v.vx, v.vy, v.vz, v.yawRate, v.typeMask], [0, 3, 0, 0.2, TYPE_MASK.VELOCITY_YAW_RATE]);
});
