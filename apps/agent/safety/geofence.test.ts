import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { horizontalPathClearance, pointInPolygon, zoneDepth, type HorizontalFence, type NE } from './geofence.ts';

const L: NE[] = [{ n: 0, e: 0 }, { n: 0, e: 100 }, { n: 100, e: 100 }, { n: 100, e: 50 }, { n: 50, e: 50 }, { n: 50, e: 0 }];
const fence: HorizontalFence = { kind: 'zones', inclusions: [{ kind: 'polygon', vertices: L }], exclusions: [{ kind: 'circle', center: { n: 25, e: 75 }, radiusM: 5 }] };

void test('point in L-shaped polygon and signed depth', () => {
  assert.equal(pointInPolygon({ n: 25, e: 25 }, L), true);
  assert.equal(pointInPolygon({ n: 75, e: 25 }, L), false);
  assert.equal(zoneDepth({ kind: 'polygon', vertices: L }, { n: 25, e: 10 }), 10);
  assert.equal(zoneDepth({ kind: 'polygon', vertices: L }, { n: 75, e: 40 }), -10);
});

void test('a path cutting the notch is rejected although both ends are inside', () => {
  const a = { n: 40, e: 10 };
  const b = { n: 90, e: 60 };
  assert.ok(horizontalPathClearance(fence, a, a) > 0 && horizontalPathClearance(fence, b, b) > 0);
  assert.ok(horizontalPathClearance(fence, a, b) <= 0);
  assert.ok(horizontalPathClearance(fence, { n: 40, e: 10 }, { n: 40, e: 90 }) > 0);
});

void test('a path through the exclusion circle is rejected', () => {
  assert.ok(horizontalPathClearance(fence, { n: 25, e: 60 }, { n: 25, e: 90 }) < 0);
  assert.ok(Math.abs(horizontalPathClearance(fence, { n: 15, e: 60 }, { n: 15, e: 90 }) - 5) < 1e-9);
});

const num = () => fc.integer({ min: 0, max: 1 << 30 }).map((i) => -10 + (120 * i) / (1 << 30));

void test('path clearance ≤ pointwise depth of densely sampled points (independent reference)', () => {
  const ref = (p: NE) => {
    const inside = pointInPolygon(p, L) ? 1 : -1;
    let d = Infinity;
    for (let i = 0; i < L.length; i++) {
      const a = L[i]!;
      const b = L[(i + 1) % L.length]!;
      for (let k = 0; k <= 400; k++) {
        const q = { n: a.n + ((b.n - a.n) * k) / 400, e: a.e + ((b.e - a.e) * k) / 400 };
        d = Math.min(d, Math.hypot(p.n - q.n, p.e - q.e));
      }
    }
    return Math.min(inside * d, Math.hypot(p.n - 25, p.e - 75) - 5);
  };
  fc.assert(
    fc.property(num(), num(), num(), num(), (an, ae, bn, be) => {
      const a = { n: an, e: ae };
      const b = { n: bn, e: be };
      const c = horizontalPathClearance(fence, a, b);
      for (let k = 0; k <= 20; k++) {
        const p = { n: an + ((bn - an) * k) / 20, e: ae + ((be - ae) * k) / 20 };
        // Every sampled point is at least c inside (up to the reference's sampling error 0.2 m).
        if (c > 0) assert.ok(ref(p) >= c - 0.2, `c=${c} ref=${ref(p)}`);
      }
    }),
    { seed: 42, numRuns: 1000 },
  );
});
