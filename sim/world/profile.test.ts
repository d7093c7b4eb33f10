import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateMessage } from '../../proto/index.ts';
import { agentSettings } from '../../apps/agent/profile/index.ts';
import { DEFAULT_POOL_PARAMS } from '../../engines/scheduling/index.ts';
import { defaultScenario, poolParams, uavProfile, UAV_KAPPA } from './index.ts';

void test('the mission derives each agent\'s profile from its scenario: fence = area + 20 m, its band, speeds, CPU, radio, κ, battery', () => {
  const s = defaultScenario({ areaM: 200, altMaxM: 60, cruiseAltM: 30, uavSpeedMS: 10, slotS: 1.5 });
  const p = uavProfile(s, 3, 1_700_000_000_000_000);
  assert.equal(validateMessage('UavProfile', p), undefined);
  const { envelope, config } = agentSettings(p, 3);
  assert.deepEqual(envelope.fence, { kind: 'box', northM: [-20, 220], eastM: [-20, 220] });
  assert.deepEqual(envelope.altitude, { minAltM: 0, maxAltM: 60 });
  assert.equal(envelope.maxSpeedMS, 15);
  assert.equal(config.takeoffAltM, 30);
  assert.equal(config.cpuHz, s.uav.cpuHz);
  assert.equal(config.kappa, UAV_KAPPA);
  assert.equal(config.batteryCapacityJ, s.uav.batteryJ);
  assert.deepEqual(config.channel, { carrierHz: s.channel.carrierHz, losA: s.channel.losA, losB: s.channel.losB, etaLosDb: s.channel.etaLosDb, etaNlosDb: s.channel.etaNlosDb, noiseG2AW: s.channel.noiseG2AW, noiseA2AW: s.channel.noiseA2AW, thetaMaxDeg: s.channel.thetaMaxDeg });
  const pool = poolParams(s);
  assert.deepEqual(config.link, { bandwidthHz: pool.bandwidthHz, txPowerW: pool.uavTxW, refGain: DEFAULT_POOL_PARAMS.h0, pathLossExponent: pool.alpha, noiseW: pool.noiseW });
  assert.deepEqual(config.failsafe, { slotS: 1.5, holdAfterSlots: 3, rtlAfterSlots: 10 });
  assert.equal(uavProfile(s, 3, 0, { maxAltM: 70 }).altitude!.max_alt_m, 70);
});
