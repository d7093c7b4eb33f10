/** The loop's physics and the server's start-up pieces (physics.ts, options.ts, mission.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configFromParams } from '../core/params.ts';
import { step } from '../core/step.ts';
import type { SimState } from '../core/types.ts';
import { createVehicle } from '../core/vehicle.ts';
import { homeItem } from './mission.ts';
import { initialParams } from './options.ts';
import { advance, MAX_STEP_S, maxCatchUpUs } from './physics.ts';

const HOME = { latDeg: 47.397742, lonDeg: 8.545594, altAmslM: 488 };
const cfg = configFromParams('ardupilot', initialParams({ flavour: 'ardupilot', sysid: 1 }));

test('advance: sub-steps of at most 20 ms up to now, each seen by onStep; the same states as stepping by hand', () => {
  const s0 = createVehicle(cfg, HOME, 1_000_000);
  const seen: SimState[] = [];
  const end = advance(cfg, s0, { computePowerW: 0 }, 1_050_000, maxCatchUpUs(1), (s) => seen.push(s));
  assert.deepEqual(seen.map((s) => s.tUs), [1_020_000, 1_040_000, 1_050_000]);
  assert.equal(end, seen.at(-1));
  let byHand = s0;
  for (const dt of [MAX_STEP_S, MAX_STEP_S, 0.01]) byHand = step(cfg, byHand, { computePowerW: 0 }, dt).state;
  assert.deepEqual(end, byHand);
  assert.equal(advance(cfg, end, { computePowerW: 0 }, 1_050_001, maxCatchUpUs(1), () => assert.fail('within 1 µs: no step')), end);
});

test('advance: after a stall the core skips ahead to the catch-up window instead of replaying it', () => {
  const s0 = createVehicle(cfg, HOME, 0);
  let steps = 0;
  const end = advance(cfg, s0, { computePowerW: 0 }, 60_000_000, maxCatchUpUs(1), () => steps++);
  assert.equal(steps, 50, '1 s of 20 ms steps, not 60 s');
  assert.ok(Math.abs(end.tUs - 60_000_000) <= 1);
  assert.equal(maxCatchUpUs(1), 1_000_000);
  assert.equal(maxCatchUpUs(20), 5_000_000, '250 ms of wall time on a 20× clock');
});

test('initialParams: the system id under the firmware\'s own name; a bad override throws', () => {
  assert.equal(initialParams({ flavour: 'px4', sysid: 7 }).MAV_SYS_ID, 7);
  assert.equal(initialParams({ flavour: 'ardupilot', sysid: 7, params: { SYSID_THISMAV: 3 } }).SYSID_THISMAV, 7);
  assert.throws(() => initialParams({ flavour: 'ardupilot', sysid: 1, params: { NO_SUCH_PARAM: 1 } }));
});

test('homeItem: home as item 0, degE7 and AMSL', () => {
  assert.deepEqual(homeItem(HOME), { command: 16, frame: 0, param1: 0, param2: 0, param3: 0, param4: 0, x: 473977420, y: 85455940, z: 488, autocontinue: 1 });
});
