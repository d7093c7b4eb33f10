import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InterventionTracker } from './interventions.ts';

void test('an envelope intervention is reported when it begins, not on every tick; routine limits never', () => {
  const t = new InterventionTracker();
  assert.deepEqual(t.update('clamped', ['accel_limit', 'speed_limit']), []);
  assert.deepEqual(t.update('clamped', ['accel_limit', 'geofence']).map((e) => e.code), ['envelope.geofence']);
  assert.deepEqual(t.update('clamped', ['geofence']), []);
  assert.deepEqual(t.update('clamped', ['geofence', 'separation:3']).map((e) => e.code), ['envelope.separation']);
  assert.deepEqual(t.update('pass', []), []);
  assert.deepEqual(t.update('clamped', ['geofence']).map((e) => e.code), ['envelope.geofence'], 'a new episode is reported again');
  assert.deepEqual(t.update('hold', ['nonfinite_action']).map((e) => e.code).sort(), ['envelope.hold', 'envelope.nonfinite_action']);
  assert.deepEqual(t.update('rtl', ['battery_reserve']).map((e) => e.code).sort(), ['envelope.battery_reserve', 'envelope.rtl']);
});
