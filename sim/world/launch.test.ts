import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FENCE_MARGIN_M } from './profile.ts';
import { defaultScenario, validateScenario } from './scenario.ts';
import { LAUNCH_PAD_SPACING_M, launchPadCapacity, launchPads } from './launch.ts';

test('launch pads: a row along x east as before up to a row, then rows north; all inside the area, none closer than the spacing', () => {
  for (const [uavs, areaM] of [[4, 150], [26, 150], [27, 150], [250, 150], [12, 40], [36, 30]] as const) {
    const pads = launchPads({ uavs, areaM });
    assert.equal(pads.length, uavs);
    for (const p of pads) assert.ok(p.eastM >= 0 && p.eastM <= areaM && p.northM >= 0 && p.northM <= areaM, `${uavs} in ${areaM} m: ${JSON.stringify(p)} inside the area`);
    for (let i = 0; i < pads.length; i++) {
      for (let j = 0; j < i; j++) assert.ok(Math.hypot(pads[i]!.eastM - pads[j]!.eastM, pads[i]!.northM - pads[j]!.northM) >= LAUNCH_PAD_SPACING_M - 1e-9);
    }
  }
  assert.deepEqual(launchPads({ uavs: 3, areaM: 150 }), [0, 6, 12].map((e) => ({ northM: 0, eastM: e })), 'the old spawn line for a small fleet');
  assert.deepEqual(launchPads({ uavs: 27, areaM: 150 }).at(-1), { northM: 6, eastM: 0 });
  assert.deepEqual(launchPads({ uavs: 2, areaM: 150, uavStarts: [[1, 2, 20], [3, 4, 20]] }), [{ northM: 2, eastM: 1 }, { northM: 4, eastM: 3 }], 'a scenario\'s own starts win');
});

test('the old single line left the fence at 50 UAVs; a scenario whose fleet does not fit on pads is refused with what to do', () => {
  assert.ok(49 * LAUNCH_PAD_SPACING_M > 150 + FENCE_MARGIN_M, 'UAV 50 on the old line stood outside the fence');
  assert.equal(launchPadCapacity(150), 26 * 26);
  assert.equal(validateScenario(defaultScenario({ uavs: 36, areaM: 30 })), undefined);
  assert.match(validateScenario(defaultScenario({ uavs: 37, areaM: 30 })) ?? '', /37 UAVs do not fit on launch pads 6 m apart in a 30 m area \(at most 36\): make the area \(areaM\) larger/);
});
