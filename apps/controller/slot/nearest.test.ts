import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { CentreGrid, type Point2 } from './nearest.ts';

function linearNearest(centres: readonly Point2[], p: Point2): number {
  let best = -1;
  let bestD = Infinity;
  centres.forEach((c, j) => {
    const d = (p[0] - c[0]) ** 2 + (p[1] - c[1]) ** 2;
    if (d < bestD) {
      bestD = d;
      best = j;
    }
  });
  return best;
}

const coord = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ min: -1e3, max: 1e3, noNaN: true }));
const pt = fc.tuple(coord, coord) as fc.Arbitrary<Point2>;

test('the grid finds the linear scan’s nearest centre (ties to the lowest index), queries inside and outside the box', () => {
  fc.assert(
    fc.property(fc.array(pt, { minLength: 1, maxLength: 60 }), fc.array(pt, { minLength: 1, maxLength: 30 }), (centres, queries) => {
      const g = new CentreGrid(centres);
      for (const q of [...queries, ...centres]) assert.equal(g.nearest(q), linearNearest(centres, q), `query ${q}`);
    }),
    { numRuns: 300, seed: 20 },
  );
});

test('degenerate layouts: one centre, all centres on a line, all at one point', () => {
  const line: Point2[] = Array.from({ length: 50 }, (_, i) => [i * 3, 7]);
  const same: Point2[] = Array.from({ length: 5 }, () => [2, 2]);
  for (const cs of [[[1, 1]] as Point2[], line, same]) {
    const g = new CentreGrid(cs);
    for (const q of [[0, 0], [75, 7], [-100, 40], [1e4, -1e4]] as Point2[]) assert.equal(g.nearest(q), linearNearest(cs, q));
  }
  assert.equal(new CentreGrid([]).nearest([0, 0]), -1);
});
