import assert from 'node:assert/strict';
import { test } from 'node:test';
import { returnAltitudeM, returnAltitudeParam } from './return-alt.ts';

test('return altitude: the takeoff altitude clamped into the band less its margin', () => {
  assert.equal(returnAltitudeM(25, { minAltM: 0, maxAltM: 40 }, 1), 25);
  assert.equal(returnAltitudeM(10, { minAltM: 0, maxAltM: 25 }, 1), 10);
  assert.equal(returnAltitudeM(50, { minAltM: 0, maxAltM: 40 }, 1), 39, 'never above the ceiling');
  assert.equal(returnAltitudeM(2, { minAltM: 5, maxAltM: 40 }, 1), 6, 'never below the floor');
});

test('return altitude parameter per flavour: PX4 RTL_RETURN_ALT in m, ArduCopter RTL_ALT in cm', () => {
  assert.deepEqual(returnAltitudeParam('px4', 25), { id: 'RTL_RETURN_ALT', value: 25, type: 'REAL32' });
  assert.deepEqual(returnAltitudeParam('ardupilot', 12.345), { id: 'RTL_ALT', value: 1235, type: 'INT32' });
  assert.equal(returnAltitudeParam('unknown', 25), undefined);
});
