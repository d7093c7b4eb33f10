import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEnvelope, type ConstrainInput } from './envelope.ts';
import type { EnvelopeConfigInput } from './config.ts';
import { returnEnergyJ } from './battery.ts';
import { S2_ROTOR } from '../../../core/models/propulsion.ts';

const T0 = 1_700_000_000_000_000;
const base: EnvelopeConfigInput = {
  fence: { kind: 'box', northM: [-100, 100], eastM: [-100, 100] },
  altitude: { minAltM: 10, maxAltM: 60 },
  maxSpeedMS: 10,
  maxVerticalSpeedMS: 3,
  maxAccelMS2: 4,
  dMinM: 5,
};
const env = (over: Partial<EnvelopeConfigInput> = {}) => {
  const r = createEnvelope({ ...base, ...over });
  assert.ok(r.ok, r.ok ? '' : r.detail);
  return r.value;
};
const input = (over: Partial<ConstrainInput> = {}): ConstrainInput => ({
  desired: { kind: 'velocity_ned', velocityMS: { x: 1, y: 0, z: 0 } },
  own: { posNedM: { x: 0, y: 0, z: -30 }, velNedMS: { x: 0, y: 0, z: 0 }, homeNedM: { x: 0, y: 0, z: 0 } },
  fleet: [],
  nowUs: T0,
  dtS: 0.1,
  ...over,
});

void test('invalid configurations are refused with a reason', () => {
  for (const bad of [{ maxSpeedMS: 0 }, { maxAccelMS2: NaN }, { altitude: { minAltM: 50, maxAltM: 10 } }, { fence: { kind: 'box' as const, northM: [5, -5] as [number, number], eastM: [0, 1] as [number, number] } }]) {
    const r = createEnvelope({ ...base, ...bad });
    assert.equal(r.ok, false);
  }
});

void test('a small wish inside every limit passes unchanged', () => {
  const o = env().constrain(input({ own: { posNedM: { x: 0, y: 0, z: -30 }, velNedMS: { x: 0.8, y: 0, z: 0 }, homeNedM: { x: 0, y: 0, z: 0 } } }));
  assert.equal(o.action, 'pass');
  assert.deepEqual(o.setpoint, { kind: 'velocity_ned', velocityMS: { x: 1, y: 0, z: 0 } });
  assert.deepEqual(o.reasons, []);
});

void test('acceleration is bounded per tick and speed by maxSpeedMS', () => {
  const e = env();
  let v = 0;
  for (let k = 0; k < 40; k++) {
    const o = e.constrain(input({ desired: { kind: 'velocity_ned', velocityMS: { x: 50 / 3 - 0.1, y: 0, z: 0 } }, nowUs: T0 + k * 100_000 }));
    const nv = o.setpoint.velocityMS.x;
    assert.ok(nv - v <= 0.4 + 1e-9, `tick ${k}: ${v} → ${nv}`);
    assert.ok(nv <= 10 + 1e-9);
    v = nv;
  }
  assert.ok(Math.abs(v - 10) < 1e-9);
});

void test('NaN, Inf and out-of-range wishes hold (brake towards zero)', () => {
  for (const velocityMS of [{ x: NaN, y: 0, z: 0 }, { x: 0, y: Infinity, z: 0 }, { x: 0, y: 0, z: 31 }]) {
    const e = env();
    const o = e.constrain(input({ desired: { kind: 'velocity_ned', velocityMS }, own: { posNedM: { x: 0, y: 0, z: -30 }, velNedMS: { x: 5, y: 0, z: 0 }, homeNedM: { x: 0, y: 0, z: 0 } } }));
    assert.equal(o.action, 'hold');
    assert.ok(Math.abs(o.setpoint.velocityMS.x - 4.6) < 1e-9, `${o.setpoint.velocityMS.x}`);
  }
  const far = env().constrain(input({ desired: { kind: 'position_ned', positionM: { x: 1e6, y: 0, z: -30 } } }));
  assert.equal(far.action, 'hold');
  assert.ok(far.reasons.includes('out_of_range_action'));
  const glob = env().constrain(input({ desired: { kind: 'position_global', latDeg: 1, lonDeg: 2, relAltM: 3 } }));
  assert.equal(glob.action, 'hold');
});

void test('invalid own position or time holds', () => {
  assert.equal(env().constrain(input({ nowUs: NaN })).action, 'hold');
  const o = env().constrain(input({ own: { posNedM: { x: NaN, y: 0, z: 0 }, homeNedM: { x: 0, y: 0, z: 0 } } }));
  assert.equal(o.action, 'hold');
  assert.deepEqual(o.setpoint.velocityMS, { x: 0, y: 0, z: 0 });
});

void test('flying at a wall: the envelope brakes in time and slides along it', () => {
  const e = env();
  let p = { x: 50, y: 0, z: -30 };
  let hitClamp = false;
  for (let k = 0; k < 200; k++) {
    const o = e.constrain(input({ desired: { kind: 'velocity_ned', velocityMS: { x: 10, y: 3, z: 0 } }, own: { posNedM: p, homeNedM: { x: 0, y: 0, z: 0 } }, nowUs: T0 + k * 100_000 }));
    if (o.action === 'clamped' && o.reasons.includes('geofence')) hitClamp = true;
    const v = o.setpoint.velocityMS;
    p = { x: p.x + v.x * 0.1, y: p.y + v.y * 0.1, z: p.z + v.z * 0.1 };
    assert.ok(p.x <= 98 + 1e-6, `tick ${k}: x = ${p.x}`);
  }
  assert.ok(hitClamp);
  assert.ok(p.x > 97, `came close to the wall: ${p.x}`);
  assert.ok(p.y > 40, `slid along it: ${p.y}`);
});

void test('position wish: arrives without overshoot', () => {
  const e = env();
  let p = { x: 0, y: 0, z: -30 };
  for (let k = 0; k < 200; k++) {
    const o = e.constrain(input({ desired: { kind: 'position_ned', positionM: { x: 30, y: 0, z: -30 } }, own: { posNedM: p, homeNedM: { x: 0, y: 0, z: 0 } }, nowUs: T0 + k * 100_000 }));
    const v = o.setpoint.velocityMS;
    p = { x: p.x + v.x * 0.1, y: p.y, z: p.z };
    assert.ok(p.x <= 30 + 1e-9, `overshoot at tick ${k}: ${p.x}`);
  }
  assert.ok(Math.abs(p.x - 30) < 0.05, `${p.x}`);
});

void test('separation: a stationary neighbour on the path stops us at d_min', () => {
  const e = env();
  let p = { x: 0, y: 0, z: -30 };
  for (let k = 0; k < 150; k++) {
    const o = e.constrain(input({
      desired: { kind: 'velocity_ned', velocityMS: { x: 8, y: 0, z: 0 } },
      own: { posNedM: p, homeNedM: { x: 0, y: 0, z: 0 } },
      fleet: [{ id: 'u2', posNedM: { x: 40, y: 0, z: -30 }, velNedMS: { x: 0, y: 0, z: 0 }, tUs: T0 + k * 100_000 }],
      nowUs: T0 + k * 100_000,
    }));
    const v = o.setpoint.velocityMS;
    p = { x: p.x + v.x * 0.1, y: p.y + v.y * 0.1, z: p.z + v.z * 0.1 };
    assert.ok(Math.hypot(p.x - 40, p.y, p.z + 30) >= 5 - 1e-9, `tick ${k}: ${JSON.stringify(p)}`);
  }
  assert.ok(p.x > 33, `got close: ${p.x}`);
});

void test('stale neighbour: keep-out grows with age, and is reported', () => {
  const e = env();
  const o = e.constrain(input({
    desired: { kind: 'velocity_ned', velocityMS: { x: 1, y: 0, z: 0 } },
    fleet: [{ id: 'u3', posNedM: { x: 12, y: 0, z: -30 }, tUs: T0 - 1_000_000 }],
  }));
  // Unknown velocity, 1 s old → radius 5 + 10·1 = 15 m > 12 m: we are inside; cannot approach.
  assert.ok(o.reasons.includes('fleet_stale:u3'));
  assert.ok(o.setpoint.velocityMS.x <= 0, `${o.setpoint.velocityMS.x}`);
});

void test('battery reserve: RTL latched when energy ≤ energy home (SPEC §4) with margins', () => {
  const e = env({ battery: { marginJ: 1000, marginFraction: 0.2 } });
  const pos = { x: 80, y: 60, z: -30 };
  const home = { x: 0, y: 0, z: 0 };
  const need = returnEnergyJ(pos, home, { rotor: S2_ROTOR, returnSpeedMS: e.config.battery!.returnSpeedMS, verticalSpeedMS: 2 }) * 1.2 + 1000;
  const above = e.constrain(input({ own: { posNedM: pos, velNedMS: { x: 1, y: 0, z: 0 }, homeNedM: home, batteryJ: need + 1 } }));
  assert.equal(above.action, 'pass');
  const at = e.constrain(input({ own: { posNedM: pos, homeNedM: home, batteryJ: need - 1 }, nowUs: T0 + 100_000 }));
  assert.equal(at.action, 'rtl');
  assert.ok(at.reasons.includes('battery_reserve'));
  let v = at.setpoint.velocityMS;
  for (let k = 2; k < 12; k++) v = e.constrain(input({ own: { posNedM: pos, homeNedM: home, batteryJ: need - 1 }, nowUs: T0 + k * 100_000 })).setpoint.velocityMS;
  assert.ok(v.x < 0 && v.y < 0 , `heads home: ${JSON.stringify(v)}`);
  // Latched even if the estimate recovers.
  const later = e.constrain(input({ own: { posNedM: pos, homeNedM: home, batteryJ: need * 10 }, nowUs: T0 + 1_200_000 }));
  assert.equal(later.action, 'rtl');
  e.reset();
  assert.notEqual(e.constrain(input({ own: { posNedM: pos, homeNedM: home, batteryJ: need * 10 }, nowUs: T0 + 1_300_000 })).action, 'rtl');
  assert.ok(e.constrain(input({ own: { posNedM: pos, homeNedM: home } })).reasons.includes('battery_unknown'));
});

void test('outside the fence: recovers inwards within the limits', () => {
  const e = env();
  let p = { x: 105, y: 0, z: -30 };
  for (let k = 0; k < 60; k++) {
    const o = e.constrain(input({ desired: { kind: 'velocity_ned', velocityMS: { x: 5, y: 0, z: 0 } }, own: { posNedM: p, homeNedM: { x: 0, y: 0, z: 0 } }, nowUs: T0 + k * 100_000 }));
    const v = o.setpoint.velocityMS;
    p = { x: p.x + v.x * 0.1, y: p.y + v.y * 0.1, z: p.z + v.z * 0.1 };
  }
  assert.ok(p.x < 98 + 1e-6, `back inside the margin: ${p.x}`);
});
