/**
 * End-to-end: a fleet larger than one row of launch pads (12 UAVs in a 40 m area: 7 pads a row)
 * takes off, is planned and lands, every plan accepted. On the old single spawn line UAVs 10–12
 * stood 54–66 m east, outside the agents' 60 m fence, and refused every plan (sim/world/launch.ts).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { runMission } from '../../apps/mission/run.ts';
import { defaultScenario, FENCE_MARGIN_M, launchPads } from '../../sim/world/index.ts';
import { assertMissionCompleted } from './outcome.ts';

test('12 UAVs on two rows of launch pads in a 40 m area: every launch and slot plan accepted', { timeout: 600_000 }, async (t) => {
  const scenario = defaultScenario({ uavs: 12, users: 24, slots: 3, areaM: 40, seed: 3 });
  assert.ok(11 * 6 > scenario.areaM + FENCE_MARGIN_M, 'the old line would have left the fence');
  assert.ok(launchPads(scenario).some((p) => p.northM > 0), 'two rows');
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'uavmec-pads-'));
  const summary = await runMission({ scenario, flavour: 'ardupilot', algo: 'cd-kkt', runDir });
  t.diagnostic(`DOR ${summary.totals.dor.toFixed(2)}, plans ${summary.totals.plansAcked}/${summary.totals.plansSent}`);
  assertMissionCompleted(summary, scenario);
  for (const u of summary.uavs) assert.equal(u.plansRefused, 0, `UAV ${u.uavId} refused no plan`);
  fs.rmSync(runDir, { recursive: true, force: true });
});
