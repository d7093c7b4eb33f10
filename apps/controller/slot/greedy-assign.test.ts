import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { greedyAssign } from './greedy-assign.ts';

/** The definition: every pair sorted by (distance, row, column), taken while row and column are free. */
function sortedPairsGreedy(n: number, m: number, dist: (i: number, j: number) => number): number[] {
  const out = new Array<number>(n).fill(-1);
  const free = new Set(Array.from({ length: m }, (_, j) => j));
  const pairs: [number, number, number][] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) pairs.push([dist(i, j), i, j]);
  pairs.sort((a, b) => a[0] - b[0]);
  for (const [, i, j] of pairs) {
    if (out[i] !== -1 || !free.has(j)) continue;
    out[i] = j;
    free.delete(j);
  }
  return out;
}

test('greedyAssign gives the sorted-pairs greedy answer, ties included', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 40 }),
      fc.integer({ min: 0, max: 40 }),
      fc.integer({ min: 1, max: 6 }), // a small coordinate range makes many equal distances
      fc.integer(),
      (n, m, span, seed) => {
        let s = seed >>> 0;
        const rnd = () => ((s = (s * 1664525 + 1013904223) >>> 0) % (span + 1));
        const a = Array.from({ length: n }, () => [rnd(), rnd()] as const);
        const b = Array.from({ length: m }, () => [rnd(), rnd()] as const);
        const dist = (i: number, j: number) => Math.hypot(a[i]![0] - b[j]![0], a[i]![1] - b[j]![1]);
        assert.deepEqual(greedyAssign(n, m, dist), sortedPairsGreedy(n, m, dist));
      },
    ),
    { numRuns: 400, seed: 20 },
  );
});
