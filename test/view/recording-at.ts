/// <reference lib="dom" />
/** Helpers shared by the view's browser tests: what a recording says at time t, and the scrubber. */
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { readRecording } from '../../apps/common/recorder.ts';
import { loadRun } from '../../apps/replay/recording.ts';
import { matchTopic } from '../../proto/index.ts';

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
