/// <reference lib="dom" />
/**
 * Replay in the browser: `uavmec view runs/<id>` serves a recorded run; moving the scrubber to t
 * shows, for every UAV, the position the recording says at t (its last twin state received up to t).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { loadRun, type RunFolder } from '../../apps/replay/recording.ts';
import { startViewServer, viewConfig, type ViewServer } from '../../apps/view/index.ts';
import type { GeometrySource } from '../../apps/view/config.ts';
import { launch, markerPositions, NO_CHROMIUM, openView } from './browser.ts';
import { FIXTURE, recordedPositionsAt, recordingStartUs, scrubTo } from './recording-at.ts';

/** The recorded fixture run, served by the view in replay mode. */
async function serveFixture(): Promise<{ run: RunFolder; server: ViewServer }> {
  const run = loadRun(FIXTURE);
  assert.ok(run.ok);
  const server = await startViewServer({
    config: viewConfig({ mode: 'replay', run: 'fixture', scenario: run.value.summary.scenario as unknown as GeometrySource & { slotS: number }, tiles: false }),
    recordingFile: path.join(FIXTURE, 'mqtt.rec'),
  });
  return { run: run.value, server };
}

void test('replay: the scrubber moved to t shows the recorded positions at t', { skip: NO_CHROMIUM, timeout: 180_000 }, async () => {
  const { server } = await serveFixture();
  const browser = await launch();
  try {
    const { page, errors } = await openView(browser, server.url);
    const t0 = recordingStartUs(FIXTURE);
    const max = await page.$eval('#scrub', (el) => Number((el as HTMLInputElement).max));
    assert.ok(max > 5, `recording spans ${max} s`);
    const seen: string[] = [];
    // Forward, backward (a rebuild from the start) and forward again.
    for (const f of [0.5, 0.2, 0.8, 0.35]) {
      const s = Math.round(max * f * 100) / 100;
      await scrubTo(page, s);
      const want = recordedPositionsAt(FIXTURE, t0 + s * 1e6);
      const got = await markerPositions(page);
      assert.deepEqual(Object.keys(got).sort(), Object.keys(want).sort(), `UAVs at ${s} s`);
      for (const [id, w] of Object.entries(want)) {
        assert.ok(Math.abs(got[Number(id)]!.x - w.x) <= 0.006 && Math.abs(got[Number(id)]!.y - w.y) <= 0.006, `UAV ${id} at ${s} s: page (${got[Number(id)]!.x}, ${got[Number(id)]!.y}), recording (${w.x.toFixed(3)}, ${w.y.toFixed(3)})`);
      }
      seen.push(JSON.stringify(got));
      const rows = await page.$$eval('#fleet tr[data-uav-id]', (trs) => trs.length);
      assert.equal(rows, Object.keys(want).length);
    }
    assert.equal(new Set(seen).size, seen.length, 'different times show different positions');
    // Play advances the time.
    await page.click('#play');
    const before = await page.$eval('#scrub', (el) => Number((el as HTMLInputElement).value));
    await page.waitForFunction((b) => Number((document.getElementById('scrub') as HTMLInputElement).value) > b + 0.5, { timeout: 60_000 }, before);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await server.close();
  }
});

void test('replay: at the end of the recording the per-slot charts hold the controller ledger\'s numbers (summary.json)', { skip: NO_CHROMIUM, timeout: 180_000 }, async () => {
  const { run, server } = await serveFixture();
  const browser = await launch();
  try {
    const { page } = await openView(browser, server.url);
    const max = await page.$eval('#scrub', (el) => Number((el as HTMLInputElement).max));
    await scrubTo(page, max);
    const rows = await page.evaluate(() => (window as unknown as { __view: { model: { slots: { upTo(s: number): { slot: number; released: number; completed: number; late: number; dor: number; plannedDor: number | null }[] } } } }).__view.model.slots.upTo(1e9));
    const want = run.summary.slots;
    assert.deepEqual(rows.map((r) => r.slot), want.map((m) => m.slot));
    for (const [i, m] of want.entries()) {
      const r = rows[i]!;
      assert.deepEqual([r.released, r.completed, r.late], [m.released, m.completed, m.late], `slot ${m.slot} counts`);
      assert.ok(Math.abs(r.dor - m.dor) < 1e-9, `slot ${m.slot} DOR ${r.dor} vs ${m.dor}`);
      assert.ok(Math.abs((r.plannedDor ?? 0) - m.predictedDor) < 1e-9, `slot ${m.slot} planned DOR ${r.plannedDor} vs ${m.predictedDor}`);
    }
    assert.equal(await page.$eval('#chart-dor', (c) => Number((c as HTMLElement).dataset.points)), want.length);
  } finally {
    await browser.close();
    await server.close();
  }
});
