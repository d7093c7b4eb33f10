/**
 * `uavmec recorder` (issue 13 §3): a recorder joining a mission's broker as an outside process
 * would (its own connection, wall clock, read-only) writes a run folder whose summary — counted by
 * the controller's planning core replayed over the recording — matches the mission's own, and
 * that `replay` (every plan byte-identical) and `report` accept.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { WallClock } from '../../core/clock.ts';
import { silentLogger } from '../../apps/common/log.ts';
import { runMission } from '../../apps/mission/run.ts';
import { recordMission } from '../../apps/recorder/index.ts';
import { loadRun, replayRun } from '../../apps/replay/index.ts';
import { writeReport } from '../../apps/report/write.ts';
import { defaultScenario } from '../../sim/world/index.ts';

test('a recorder on the broker writes a run folder that replays byte for byte and reports, with the mission\'s totals', { timeout: 900_000 }, async (t) => {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'uavmec-rec-mission-'));
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'uavmec-rec-out-'));
  const scenario = defaultScenario({ uavs: 2, users: 6, slots: 5, seed: 7 });
  let recording: ReturnType<typeof recordMission> | undefined;
  const summary = await runMission({
    scenario, flavour: 'ardupilot', algo: 'cd-kkt', runDir, landTimeoutS: 20,
    // Joins before the controller subscribes, as the README recipe starts it before the controller.
    onBroker: ({ url }) => {
      recording = recordMission({ broker: { url }, clientId: `rec-${process.pid}`, outDir, clock: new WallClock(), log: silentLogger(), scenario: { ...scenario, algo: 'cd-kkt' }, graceS: 0 });
    },
  });
  const r = await recording!;
  assert.ok(r.ok, r.ok ? '' : r.detail);
  const rec = r.value;
  t.diagnostic(`mission: DOR ${summary.totals.dor.toFixed(3)}, ${summary.totals.completed}/${summary.totals.released}; recorder: DOR ${rec.totals.dor.toFixed(3)}, ${rec.totals.completed}/${rec.totals.released}, ${rec.recording.messages} messages`);
  for (const k of ['released', 'completed', 'completedOnUav', 'late', 'failed', 'dor', 'missedWindow'] as const) assert.equal(rec.totals[k], summary.totals[k], k);
  assert.deepEqual(rec.slots.map((m) => m.released), summary.slots.map((m) => m.released));
  assert.equal(rec.uavs.length, 2);
  assert.ok(rec.uavs.every((u) => u.distanceM > 10 && u.maxAltM > 10 && u.plansAccepted > 0));
  const run = loadRun(outDir);
  assert.ok(run.ok, run.ok ? '' : run.detail);
  const rep = replayRun(run.value);
  assert.equal(rep.throughCore, true);
  assert.equal(rep.check.compared, 2 * scenario.slots);
  assert.equal(rep.check.identical, rep.check.compared, JSON.stringify(rep.check.first));
  const html = writeReport([outDir]);
  assert.ok(html.ok && fs.statSync(html.value).size > 1000, html.ok ? '' : html.detail);
  fs.rmSync(runDir, { recursive: true, force: true });
  fs.rmSync(outDir, { recursive: true, force: true });
});
