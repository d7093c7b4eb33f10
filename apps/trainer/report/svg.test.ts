import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineChartSvg, movingAverage } from './index.ts';

void test('movingAverage over a window', () => {
  assert.deepEqual(movingAverage([1, 2, 3, 4], 2), [1, 1.5, 2.5, 3.5]);
  assert.deepEqual(movingAverage([], 3), []);
});

void test('lineChartSvg: one path per series, points mapped into the plot box, text escaped', () => {
  const svg = lineChartSvg('a < b & c', 'x', 'y', [{ name: 's1', points: [[0, 0], [1, 1], [2, 4]] }, { name: 's2', points: [[0, 4], [2, 0]] }], 640, 360);
  assert.ok(svg.startsWith('<svg') && svg.trimEnd().endsWith('</svg>'));
  assert.ok(svg.includes('a &lt; b &amp; c'));
  const paths = [...svg.matchAll(/<path d="(M[^"]+)" fill="none" stroke="#/g)].map((m) => m[1]!);
  assert.equal(paths.length, 2);
  // x 0..2 → 70..620, y 0..4 → 315..30 (margins l 70, r 20, t 30, b 45).
  assert.equal(paths[0], 'M70.0,315.0L345.0,243.8L620.0,30.0');
  assert.equal(paths[1], 'M70.0,30.0L620.0,315.0');
});
