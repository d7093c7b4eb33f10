/** The controller's config for a mission (controller.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultScenario } from '../../../sim/world/index.ts';
import { controllerConfig } from './controller.ts';

test('controllerConfig: the scenario\'s slots, channel, speeds and seed; waits for every UAV; no pool for independent tasks', () => {
  const s = defaultScenario({ uavs: 3, slots: 12, seed: 9 });
  const c = controllerConfig(s, { algo: 'cd-kkt' }, {});
  assert.equal(c.slots, 12);
  assert.equal(c.slotS, s.slotS);
  assert.equal(c.algo, 'cd-kkt');
  assert.equal(c.channel, s.channel);
  assert.deepEqual([c.cruiseAltM, c.speedMS, c.uavTxPowerW, c.seed, c.waitForUavs, c.readyTimeoutS], [s.cruiseAltM, s.uavSpeedMS, s.uav.txPowerW, 9, 3, 30]);
  for (const k of ['pool', 'trajectory', 'video', 's0', 'planSigningKey', 'launchTimeoutS'] as const) assert.ok(!(k in c), `${k} absent`);
});

test('controllerConfig: a DAG scenario plans computing-power pools', () => {
  const s = defaultScenario({ taskModel: 'dag' });
  const c = controllerConfig(s, { algo: 'cd-kkt' }, {});
  assert.ok(c.pool);
  assert.deepEqual([c.pool.cruiseAltM, c.pool.speedMS, c.pool.seed], [s.cruiseAltM, s.uavSpeedMS, s.seed]);
});
