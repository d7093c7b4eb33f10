/// <reference lib="dom" />
/**
 * Replay in the browser: `uavmec view runs/<id>` serves a recorded run; moving the scrubber to t
 * shows, for every UAV, the position the recording says at t (its last twin state received up to t).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { readRecording } from '../../apps/common/recorder.ts';
import { loadRun } from '../../apps/replay/recording.ts';
import { startViewServer, viewConfig } from '../../apps/view/index.ts';
import type { GeometrySource } from '../../apps/view/config.ts';
import type { Page } from 'puppeteer-core';
import { matchTopic } from '../../proto/index.ts';
import { launch, markerPositions, NO_CHROMIUM, openView } from './browser.ts';

export const FIXTURE = path.join(import.meta.dirname, '../fixtures/run-2uav-4slot');

/** Where the recording puts each UAV at `tUs` (recorder time): its last twin received up to then. */
export function recordedPositionsAt(dir: string, tUs: number): Record<number, { x: number; y: number }> {
  const run = loadRun(dir);
  assert.ok(run.ok);
  const out: Record<number, { x: number; y: number }> = {};
  for (const t of run.value.recording.twins) {
    if (t.recvUs > tUs || !t.msg.position) continue;
    out[t.msg.uav_id] = { x: t.msg.position.x_east_m, y: t.msg.position.y_north_m };
  }
  return out;
}

/** The recording's first message on a contract topic (the page's time 0). */
export function recordingStartUs(dir: string): number {
  return readRecording(path.join(dir, 'mqtt.rec')).messages.find((m) => matchTopic(m.topic))!.recv_t_us;
}

/** Moves the scrubber to `s` seconds the way an operator does (input event on the range). */
export async function scrubTo(page: Page, s: number): Promise<void> {
  await page.evaluate((v) => {
    const el = document.getElementById('scrub') as HTMLInputElement;
    el.value = String(v);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, s);
  await page.waitForFunction((v) => Math.abs(Number((document.getElementById('scrub') as HTMLInputElement).value) - v) < 1e-6 && document.querySelectorAll('.marker').length > 0, { timeout: 30_000 }, s);
  // Labels are placed by the page's 5 Hz DOM refresh: wait for one to pass.
  await page.evaluate(() => new Promise((r) => setTimeout(r, 450)));
}

void test('replay: the scrubber moved to t shows the recorded positions at t', { skip: NO_CHROMIUM, timeout: 180_000 }, async () => {
  const run = loadRun(FIXTURE);
  assert.ok(run.ok);
  const server = await startViewServer({
    config: viewConfig({ mode: 'replay', run: 'fixture', scenario: run.value.summary.scenario as unknown as GeometrySource & { slotS: number }, tiles: false }),
    recordingFile: path.join(FIXTURE, 'mqtt.rec'),
  });
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
