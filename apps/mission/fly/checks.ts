/** What a mission's options must agree on before anything starts, pure. */
import type { Scenario } from '../../../sim/world/index.ts';

/** The first disagreement between the options and their setups, one line; undefined if none. */
export interface SetupCheck {
  scenario: Scenario;
  flavour: string;
  video?: { scenario: Scenario } | undefined;
  policy?: { scenario: Scenario } | undefined;
  s0?: { scenario: Scenario } | undefined;
}

export function setupError(o: SetupCheck): string | undefined {
  const s = o.scenario;
  if (o.video && o.video.scenario !== s) return 'an S2 mission flies the scenario derived from its model (prepareS2Mission(...).scenario)';
  if (o.policy && o.policy.scenario !== s) return 'a policy mission flies the scenario derived from its model (preparePolicyMission(...).scenario)';
  if (o.s0 && (o.s0.scenario !== s || o.policy || o.flavour !== 'ardupilot')) return 'an S0 mission flies its own scenario (prepareS0Mission(...).scenario) with ArduCopter SITL and no policy';
  return undefined;
}
