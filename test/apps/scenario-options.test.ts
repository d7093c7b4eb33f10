/** The scenario's command-line options: `--area` sizes the mission area, and a fleet too large for its launch pads is one clear line. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scenarioFrom } from '../../apps/cli/common-options.ts';

void test('--area sets the mission area; a fleet that does not fit on its launch pads, or a bad area, is a usage error saying what to do', () => {
  assert.equal(scenarioFrom({}).areaM, 150);
  assert.equal(scenarioFrom({ area: '300', uavs: '250' }).areaM, 300);
  assert.equal(scenarioFrom({ area: '30', uavs: '36' }).uavs, 36);
  assert.throws(() => scenarioFrom({ area: '30', uavs: '37' }), /^UsageError: scenario: 37 UAVs do not fit on launch pads 6 m apart in a 30 m area \(at most 36\): make the area \(areaM\) larger$/);
  assert.throws(() => scenarioFrom({ area: '-5' }), /--area must be between 10 and 100000, got -5/);
  assert.throws(() => scenarioFrom({ area: 'wide' }), /--area expects a number, got 'wide'/);
});
