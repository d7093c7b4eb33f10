/** What a mission's options must agree on (checks.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultScenario } from '../../../sim/world/index.ts';
import { setupError } from './checks.ts';

test('setupError: a mode\'s setup must fly its own scenario; S0 only with ArduCopter and no policy', () => {
  const s = defaultScenario();
  const other = defaultScenario({ seed: 2 });
  assert.equal(setupError({ scenario: s, flavour: 'px4' }), undefined);
  assert.equal(setupError({ scenario: s, flavour: 'px4', policy: { scenario: s }, video: { scenario: s } }), undefined);
  assert.match(setupError({ scenario: s, flavour: 'px4', video: { scenario: other } })!, /^an S2 mission flies the scenario derived from its model/);
  assert.match(setupError({ scenario: s, flavour: 'px4', policy: { scenario: other } })!, /^a policy mission flies the scenario derived from its model/);
  assert.equal(setupError({ scenario: s, flavour: 'ardupilot', s0: { scenario: s } }), undefined);
  for (const bad of [
    { scenario: s, flavour: 'ardupilot', s0: { scenario: other } },
    { scenario: s, flavour: 'px4', s0: { scenario: s } },
    { scenario: s, flavour: 'ardupilot', s0: { scenario: s }, policy: { scenario: s } },
  ]) assert.match(setupError(bad)!, /^an S0 mission flies its own scenario/);
});
