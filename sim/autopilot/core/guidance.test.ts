import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { accelerate, clampVelocity, velocityToward, wrapPi, type Limits } from './guidance.ts';
import { geoToNed, nedToGeo } from '../../../core/geo.ts';

const LIM: Limits = { vHorizMS: 12, vUpMS: 3, vDownMS: 1.5, aHorizMS2: 3, aVertMS2: 4 };
const v3 = fc.record({ x: fc.double({ min: -50, max: 50, noNaN: true }), y: fc.double({ min: -50, max: 50, noNaN: true }), z: fc.double({ min: -50, max: 50, noNaN: true }) });

test('accelerate respects the acceleration limits and never overshoots the larger speed', () => {
  fc.assert(
    fc.property(v3, v3, fc.double({ min: 0.001, max: 0.1, noNaN: true }), (v, d, dt) => {
      const n = accelerate(v, d, LIM, dt);
      assert.ok(Math.hypot(n.x - v.x, n.y - v.y) <= LIM.aHorizMS2 * dt + 1e-9);
      assert.ok(Math.abs(n.z - v.z) <= LIM.aVertMS2 * dt + 1e-9);
      assert.ok(Math.hypot(n.x, n.y) <= Math.max(Math.hypot(v.x, v.y), Math.hypot(d.x, d.y)) + 1e-9);
    }),
    { seed: 42, numRuns: 500 },
  );
});

test('velocityToward stays within the limits and points at the target', () => {
  fc.assert(
    fc.property(v3, v3, (p, t) => {
      const v = velocityToward(p, t, LIM);
      assert.ok(Math.hypot(v.x, v.y) <= LIM.vHorizMS + 1e-9);
      assert.ok(v.z <= LIM.vDownMS + 1e-9 && v.z >= -LIM.vUpMS - 1e-9);
      const dot = v.x * (t.x - p.x) + v.y * (t.y - p.y);
      assert.ok(dot >= -1e-9);
    }),
    { seed: 7, numRuns: 500 },
  );
  assert.deepEqual(clampVelocity({ x: 30, y: 40, z: -10 }, LIM), { x: 7.199999999999999, y: 9.6, z: -3 });
});

test('wrapPi and the local tangent plane round trip', () => {
  assert.ok(Math.abs(wrapPi(3 * Math.PI) - Math.PI) < 1e-12);
  assert.ok(Math.abs(wrapPi(-3 * Math.PI / 2) - Math.PI / 2) < 1e-12);
  const o = { latDeg: 47.397742, lonDeg: 8.545594, altAmslM: 488 };
  const g = nedToGeo(o, { x: 1200, y: -800, z: -50 });
  const back = geoToNed(o, g);
  assert.ok(Math.abs(back.x - 1200) < 1e-6 && Math.abs(back.y + 800) < 1e-6 && Math.abs(back.z + 50) < 1e-9);
  // 1 arc-minute of latitude ≈ 1852 m (nautical mile) at mid latitudes (within 0.5 %)
  const nm = geoToNed(o, { ...o, latDeg: o.latDeg + 1 / 60 }).x;
  assert.ok(Math.abs(nm - 1852) / 1852 < 0.005, `${nm}`);
});
