/// <reference lib="dom" />
/**
 * Headless Chromium for the view tests: Debian's `chromium` driven by puppeteer-core (which never
 * downloads a browser). `NO_CHROMIUM` is a skip reason when it is not installed (.ci/run installs it).
 */
import { spawnSync } from 'node:child_process';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

function chromiumPath(): string | undefined {
  for (const c of ['chromium', 'chromium-browser']) {
    const r = spawnSync('which', [c], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  return undefined;
}
export const CHROMIUM = chromiumPath();
export const NO_CHROMIUM = CHROMIUM ? false : 'chromium not installed (apt-get install -y chromium; .ci/run installs it)';

export async function launch(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: CHROMIUM!,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--autoplay-policy=no-user-gesture-required',
      '--disable-background-timer-throttling', '--disable-renderer-backgrounding'],
    defaultViewport: { width: 1400, height: 900 },
    protocolTimeout: 120_000,
  });
}

/** Opens the view; collects page errors so a test can assert there were none. */
export async function openView(browser: Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String((e as Error).message ?? e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(url, { waitUntil: 'load', timeout: 60_000 });
  await page.waitForFunction(() => document.body.dataset.ready !== 'false', { timeout: 60_000 });
  return { page, errors };
}

/** Each UAV's marker position in metres, as the page placed it (data-x-m / data-y-m). */
export function markerPositions(page: Page): Promise<Record<number, { x: number; y: number; state: string }>> {
  return page.evaluate(() => {
    const out: Record<number, { x: number; y: number; state: string }> = {};
    for (const el of document.querySelectorAll<HTMLElement>('.marker[data-uav-id]')) {
      out[Number(el.dataset.uavId)] = { x: Number(el.dataset.xM), y: Number(el.dataset.yM), state: el.dataset.state ?? '' };
    }
    return out;
  });
}
