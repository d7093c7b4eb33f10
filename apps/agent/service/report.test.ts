/** The telemetry uplink's pure part (report.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { workTotals } from './report.ts';

test('workTotals: energy, work in progress and done summed over the runners', () => {
  assert.deepEqual(workTotals([]), { computeEnergyJ: 0, inProgress: 0, done: 0 });
  assert.deepEqual(
    workTotals([{ computeEnergyJ: 1.5, inProgress: 2, done: 3 }, { computeEnergyJ: 0.25, inProgress: 0, done: 4 }, { computeEnergyJ: 2, inProgress: 1, done: 0 }]),
    { computeEnergyJ: 3.75, inProgress: 3, done: 7 },
  );
  // The same sum, in the same order, as a + b + c: the twin's energy stays bit-identical to the unsplit service's.
  const [a, b, c] = [0.1, 0.2, 0.3];
  assert.equal(workTotals([{ computeEnergyJ: a, inProgress: 0, done: 0 }, { computeEnergyJ: b, inProgress: 0, done: 0 }, { computeEnergyJ: c, inProgress: 0, done: 0 }]).computeEnergyJ, a + b + c);
});
