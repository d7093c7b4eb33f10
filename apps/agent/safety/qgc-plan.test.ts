import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { nedToGeo } from '../../../core/geo.ts';
import { parseQgcPlanFence, geoToNe } from './qgc-plan.ts';
import { horizontalDepth } from './geofence.ts';

const sample = readFileSync(new URL('./fixtures/sample.plan', import.meta.url), 'utf8');

void test('sample .plan: one L-shaped inclusion polygon, one exclusion circle, origin = planned home', () => {
  const r = parseQgcPlanFence(sample);
  assert.ok(r.ok, r.ok ? '' : r.detail);
  const { fence, origin, breachReturn } = r.value;
  assert.deepEqual(origin, { latDeg: 47.397, lonDeg: 8.5442 });
  assert.equal(fence.inclusions.length, 1);
  assert.equal(fence.exclusions.length, 1);
  const poly = fence.inclusions[0]!;
  assert.equal(poly.kind, 'polygon');
  // 0.0018° of latitude ≈ 200.4 m north of the origin's latitude 47.3968 − 47.3970 = −22.3 m.
  if (poly.kind === 'polygon') {
    assert.ok(Math.abs(poly.vertices[0]!.n - -22.26) < 0.05, `first vertex n = ${poly.vertices[0]!.n}`);
    assert.ok(Math.abs(poly.vertices[0]!.e - -15.1) < 0.1, `first vertex e = ${poly.vertices[0]!.e}`);
  }
  const circle = fence.exclusions[0]!;
  assert.equal(circle.kind === 'circle' && circle.radiusM, 15);
  assert.ok(breachReturn && Math.abs(breachReturn.n - 22.26) < 0.05);
  // Inside the south leg, inside the notch (outside), inside the exclusion circle.
  const south = geoToNe(origin, 47.3972, 8.545);
  const notch = geoToNe(origin, 47.3984, 8.5445);
  const hole = geoToNe(origin, 47.3977, 8.5456);
  assert.ok(horizontalDepth(fence, south) > 0);
  assert.ok(horizontalDepth(fence, notch) < 0);
  assert.ok(Math.abs(horizontalDepth(fence, hole) - -15) < 1e-9);
});

void test('explicit origin overrides the planned home', () => {
  const r = parseQgcPlanFence(sample, { latDeg: 47.3968, lonDeg: 8.544 });
  assert.ok(r.ok);
  const v = r.value.fence.inclusions[0]!;
  assert.ok(v.kind === 'polygon' && Math.abs(v.vertices[0]!.n) < 1e-9 && Math.abs(v.vertices[0]!.e) < 1e-9);
});

void test('clear errors name the JSON path of the problem', () => {
  const cases: [string, RegExp][] = [
    ['not json', /not JSON/],
    ['[]', /top level/],
    ['{"fileType":"Mission"}', /fileType/],
    ['{"fileType":"Plan"}', /geoFence: missing/],
    ['{"fileType":"Plan","geoFence":{"polygons":[]}}', /plannedHomePosition/],
    ['{"fileType":"Plan","mission":{"plannedHomePosition":[1,2,3]},"geoFence":{"polygons":[{"inclusion":true,"polygon":[[0,0],[0,1]]}]}}', /polygons\[0\]\.polygon: expected at least 3/],
    ['{"fileType":"Plan","mission":{"plannedHomePosition":[1,2,3]},"geoFence":{"polygons":[{"inclusion":true,"polygon":[[0,0],[0,1],["a",1]]}]}}', /polygons\[0\]\.polygon\[2\]/],
    ['{"fileType":"Plan","mission":{"plannedHomePosition":[1,2,3]},"geoFence":{"polygons":[{"polygon":[[0,0],[0,1],[1,1]]}]}}', /inclusion: expected true or false/],
    ['{"fileType":"Plan","mission":{"plannedHomePosition":[1,2,3]},"geoFence":{"circles":[{"inclusion":true,"circle":{"center":[0,0],"radius":-1}}]}}', /circles\[0\]\.circle\.radius/],
    ['{"fileType":"Plan","mission":{"plannedHomePosition":[1,2,3]},"geoFence":{"circles":[{"inclusion":false,"circle":{"center":[0,0],"radius":5}}]}}', /no inclusion/],
    ['{"fileType":"Plan","mission":{"plannedHomePosition":[95,2,3]},"geoFence":{}}', /out of range/],
  ];
  for (const [text, re] of cases) {
    const r = parseQgcPlanFence(text);
    assert.equal(r.ok, false, text);
    if (!r.ok) {
      assert.equal(r.reason, 'invalid_plan');
      assert.match(r.detail ?? '', re, text);
    }
  }
});

void test('a QGroundControl-made .plan (ArduPilot, v2 fence with breach return): the fence in metres about the profile origin, on WGS-84', () => {
  const text = readFileSync(new URL('./fixtures/qgc-field.plan', import.meta.url), 'utf8');
  const origin = { latDeg: 47.397742, lonDeg: 8.545594 };
  const r = parseQgcPlanFence(text, origin);
  assert.ok(r.ok, r.ok ? '' : r.detail);
  const { fence, breachReturn } = r.value;
  assert.equal(fence.inclusions.length, 1);
  assert.equal(fence.exclusions.length, 1);
  const poly = fence.inclusions[0]!;
  assert.ok(poly.kind === 'polygon');
  // Vertices were placed at (N, E) = (−30, −30), (−30, 180), (180, 180), (180, 60), (100, −30) m with
  // the WGS-84 radii at 47.4° N (meridian 6 367 km, prime vertical × cos φ 4 310 km).
  const want = [[-30, -30], [-30, 180], [180, 180], [180, 60], [100, -30]];
  poly.vertices.forEach((v, i) => {
    assert.ok(Math.abs(v.n - want[i]![0]!) < 0.05 && Math.abs(v.e - want[i]![1]!) < 0.05, `vertex ${i}: (${v.n.toFixed(3)}, ${v.e.toFixed(3)})`);
  });
  const hole = fence.exclusions[0]!;
  assert.ok(hole.kind === 'circle' && Math.abs(hole.center.n - 100) < 0.05 && Math.abs(hole.center.e - 100) < 0.05 && hole.radiusM === 20);
  assert.ok(breachReturn && Math.abs(breachReturn.n - 10) < 0.05 && Math.abs(breachReturn.e - 10) < 0.05);
  // Where the SITL's default mission flies: inside; the exclusion's center and the cut corner: outside.
  assert.ok(horizontalDepth(fence, { n: 50, e: 50 }) > 0);
  assert.ok(horizontalDepth(fence, { n: 100, e: 100 }) < 0);
  assert.ok(horizontalDepth(fence, { n: 170, e: -20 }) < 0);
});

void test('fence and position share one projection: a point the SITL reports maps back onto the same fence metres', () => {
  const origin = { latDeg: 47.397742, lonDeg: 8.545594, altAmslM: 488 };
  for (const [n, e] of [[1000, 0], [0, 1000], [-700, 700]] as const) {
    const g = nedToGeo(origin, { x: n, y: e, z: 0 });
    const back = geoToNe(origin, g.latDeg, g.lonDeg);
    assert.ok(Math.abs(back.n - n) < 1e-6 && Math.abs(back.e - e) < 1e-6, `(${n}, ${e}) → (${back.n}, ${back.e})`);
  }
});
