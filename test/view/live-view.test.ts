/// <reference lib="dom" />
/**
 * The live view against a live mission in headless Chromium: the embedded broker serves MQTT over
 * WebSocket, the page decodes the proto/ contract itself. One marker and one table row per UAV
 * (data-uav-id), positions change as the UAVs fly, the DOR chart grows slot by slot, and a killed
 * agent's row turns stale (data-state="stale") with an alert — within 3 s of wall time after its
 * last telemetry reached the page (2 s of mission time plus the page's refresh; measured by the
 * page itself, so a slow test harness does not count). Afterwards the run replays in the same view.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { Page } from 'puppeteer-core';
import { runMission } from '../../apps/mission/run.ts';
import { loadRun } from '../../apps/replay/recording.ts';
import { openViewFor, startViewServer, viewConfig, type ViewServer } from '../../apps/view/index.ts';
import { defaultScenario } from '../../sim/world/index.ts';
import { launch, markerPositions, NO_CHROMIUM, openView } from './browser.ts';
import { recordedPositionsAt, recordingStartUs, scrubTo } from './recording-at.ts';

const UAVS = 3;
const KILLED = 2;
const SHOTS = process.env.VIEW_SCREENSHOTS;

const chartPoints = (page: Page) => page.$eval('#chart-dor', (c) => Number((c as HTMLElement).dataset.points));

async function watchLive(page: Page, kill: () => Promise<void>): Promise<void> {
  await page.waitForFunction((n) => document.querySelectorAll('#fleet tr[data-uav-id]').length === n && document.querySelectorAll('.marker[data-uav-id]').length === n, { timeout: 90_000 }, UAVS);
  // Positions change as the UAVs fly.
  const first = await markerPositions(page);
  await page.waitForFunction((p: Record<string, { x: number; y: number }>) => [...document.querySelectorAll<HTMLElement>('.marker[data-uav-id]')]
    .every((el) => Math.hypot(Number(el.dataset.xM) - p[el.dataset.uavId!]!.x, Number(el.dataset.yM) - p[el.dataset.uavId!]!.y) > 2), { timeout: 90_000 }, first);
  // The DOR chart grows each slot: three successive slots each add a point.
  let pts = await chartPoints(page);
  for (let i = 0; i < 3; i++) {
    await page.waitForFunction((n) => Number(document.getElementById('chart-dor')!.dataset.points) === n + 1, { timeout: 90_000 }, pts);
    pts++;
    const slot = await page.$eval('#slot', (e) => e.textContent);
    assert.ok(Number(slot) >= pts - 1, `chart has ${pts} points at slot ${slot}`);
  }
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, 'view-live.png') });
  assert.equal(await page.$eval(`#fleet tr[data-uav-id="${KILLED}"]`, (tr) => (tr as HTMLElement).dataset.state), 'live');
  await kill();
  await page.waitForFunction((id) => document.querySelector<HTMLElement>(`#fleet tr[data-uav-id="${id}"]`)!.dataset.state === 'stale', { timeout: 60_000 }, KILLED);
  const staleAfterMs = await page.$eval(`#fleet tr[data-uav-id="${KILLED}"]`, (tr) => Number((tr as HTMLElement).dataset.staleAfterMs));
  assert.ok(staleAfterMs <= 3000, `row turned stale ${staleAfterMs} ms after the last telemetry arrived`);
  await page.waitForFunction((id) => !!document.querySelector(`#events li[data-kind="stale"][data-uav-id="${id}"]`) && !document.getElementById('banner')!.hidden, { timeout: 10_000 }, KILLED);
  const states = await page.$$eval('#fleet tr[data-uav-id]', (trs) => trs.map((tr) => `${(tr as HTMLElement).dataset.uavId}:${(tr as HTMLElement).dataset.state}`));
  assert.deepEqual(states, ['1:live', `${KILLED}:stale`, '3:live'], 'only the killed agent is stale');
  if (SHOTS) {
    await page.click(`#fleet tr[data-uav-id="1"]`);
    await page.waitForFunction(() => !document.getElementById('detail')!.hidden, { timeout: 10_000 });
    await page.evaluate(() => new Promise((r) => setTimeout(r, 500)));
    await page.screenshot({ path: path.join(SHOTS, 'view-stale.png') });
  }
}

void test('live view of a live mission: markers, rows, moving positions, DOR chart per slot, a killed agent turns stale; then replay', { skip: NO_CHROMIUM, timeout: 600_000 }, async () => {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'uavmec-view-'));
  const scenario = defaultScenario({ uavs: UAVS, users: 12, slots: 30, seed: 5 });
  const browser = await launch();
  let view: ViewServer | undefined;
  let watching: Promise<void> | undefined;
  try {
    const summary = await runMission({
      scenario, clock: 'scaled', speed: 2, flavour: 'ardupilot', algo: 'cd-kkt', runDir, websocket: true, landTimeoutS: 30,
      onBroker: async (b) => {
        view = await openViewFor({ wsUrl: b.wsUrl!, scenario });
      },
      onReady: async (ctx) => {
        const { page, errors } = await openView(browser, view!.url);
        watching = watchLive(page, () => ctx.killAgent(KILLED)).then(() => assert.deepEqual(errors, []));
        watching.catch(() => undefined);
      },
    });
    await watching;
    assert.ok(summary.slots.length > 5);
  } finally {
    await view?.close();
  }
  // The same run, replayed in the same view.
  const run = loadRun(runDir);
  assert.ok(run.ok);
  const replay = await startViewServer({ config: viewConfig({ mode: 'replay', run: 'live', scenario, tiles: false }), recordingFile: path.join(runDir, 'mqtt.rec') });
  try {
    const { page, errors } = await openView(browser, replay.url);
    const max = await page.$eval('#scrub', (el) => Number((el as HTMLInputElement).max));
    const s = Math.round(max * 0.45 * 10) / 10;
    await scrubTo(page, s);
    const want = recordedPositionsAt(runDir, recordingStartUs(runDir) + s * 1e6);
    const got = await markerPositions(page);
    assert.equal(Object.keys(got).length, UAVS);
    for (const [id, w] of Object.entries(want)) assert.ok(Math.hypot(got[Number(id)]!.x - w.x, got[Number(id)]!.y - w.y) < 0.01, `UAV ${id} at ${s} s`);
    if (SHOTS) await page.screenshot({ path: path.join(SHOTS, 'view-replay.png') });
    assert.deepEqual(errors, []);
  } finally {
    await replay.close();
    await browser.close();
    fs.rmSync(runDir, { recursive: true, force: true });
  }
});
