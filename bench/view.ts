/// <reference lib="dom" />
/**
 * View benchmark (issue 17 §4): frames per second of the ground-station page in headless Chromium
 * (Debian's, software rendering, 1400×900) while a synthetic fleet of N UAVs publishes at 5 Hz over
 * the embedded broker's WebSocket listener (bench/view-feed.ts). Target: ≥ 30 fps at 100 UAVs.
 * Rows for several fleet sizes in one run. Writes docs/benchmarks.md under "## Ground-station view".
 * Run: npm run bench:view
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import puppeteer from 'puppeteer-core';
import { startEmbeddedBroker } from '../apps/common/index.ts';
import { openViewFor } from '../apps/view/index.ts';
import { defaultScenario } from '../sim/world/index.ts';
import { machineLine, writeBenchmarkSection } from './report.ts';
import { startFeed } from './view-feed.ts';

const SIZES = process.env.BENCH_VIEW_SIZES ? process.env.BENCH_VIEW_SIZES.split(',').map(Number) : [4, 25, 100, 250];
const WARMUP_MS = 4000;
const MEASURE_MS = 10_000;

interface Row { uavs: number; fps: number; msgsPerS: number; sentPerS: number; load: number; drawMs: number; domMs: number; msgMs: number }

async function measure(chromium: string, uavs: number): Promise<Row> {
  const areaM = Math.max(150, Math.round(30 * Math.sqrt(uavs)) * 10);
  const broker = await startEmbeddedBroker({ wsPort: 0 });
  const view = await openViewFor({ wsUrl: broker.wsUrl!, scenario: defaultScenario({ areaM, altMinM: 10, altMaxM: 40 }) });
  const feed = await startFeed(broker.url, uavs, areaM);
  const browser = await puppeteer.launch({ executablePath: chromium, headless: true, args: ['--disable-gpu', '--no-sandbox', '--disable-background-timer-throttling', '--disable-renderer-backgrounding'], defaultViewport: { width: 1400, height: 900 } });
  try {
    const page = await browser.newPage();
    await page.goto(view.url, { waitUntil: 'load' });
    await page.waitForFunction((n) => document.querySelectorAll('#fleet tr[data-uav-id]').length === n, { timeout: 60_000 }, uavs);
    await new Promise((r) => setTimeout(r, WARMUP_MS));
    const a = await page.evaluate(() => ({ f: (window as unknown as { __view: { frames: number; messages: number } }).__view.frames, m: (window as unknown as { __view: { messages: number } }).__view.messages, t: performance.now() }));
    const sent0 = feed.sent;
    const m0 = await page.metrics();
    await new Promise((r) => setTimeout(r, MEASURE_MS));
    const b = await page.evaluate(() => ({ f: (window as unknown as { __view: { frames: number } }).__view.frames, m: (window as unknown as { __view: { messages: number } }).__view.messages, t: performance.now() }));
    const s = (b.t - a.t) / 1000;
    const m1 = await page.metrics();
    if (process.env.BENCH_VIEW_DEBUG) for (const k of ['TaskDuration', 'ScriptDuration', 'LayoutDuration', 'RecalcStyleDuration'] as const) process.stderr.write(`  ${k} ${(((m1[k] ?? 0) - (m0[k] ?? 0)) / (MEASURE_MS / 1000)).toFixed(3)} s/s\n`);
    const prof = await page.evaluate(() => (window as unknown as { __view: { prof: { draw: number; dom: number; msg: number; doms: number } } }).__view.prof);
    return { uavs, fps: (b.f - a.f) / s, msgsPerS: (b.m - a.m) / s, sentPerS: (feed.sent - sent0) / s, load: os.loadavg()[0]!, drawMs: prof.draw / b.f, domMs: prof.dom / prof.doms, msgMs: prof.msg / b.m };
  } finally {
    await browser.close();
    await feed.stop();
    await view.close();
    await broker.close();
  }
}

async function main(): Promise<number> {
  const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
  if (!chromium) {
    console.error('bench:view needs Chromium: apt-get install -y chromium');
    return 1;
  }
  const rows: Row[] = [];
  for (const n of SIZES) {
    process.stderr.write(`· ${n} UAVs at 5 Hz …\n`);
    const r = await measure(chromium, n);
    process.stderr.write(`  ${r.fps.toFixed(1)} fps, ${r.msgsPerS.toFixed(0)} messages/s into the page, ${r.drawMs.toFixed(2)} ms per map frame, ${r.domMs.toFixed(2)} ms per DOM refresh, ${r.msgMs.toFixed(3)} ms per message\n`);
    rows.push(r);
  }
  const version = spawnSync(chromium, ['--version'], { encoding: 'utf8' }).stdout.trim().replace(/\s+built on.*/, '');
  const at100 = rows.find((r) => r.uavs === 100)!;
  writeBenchmarkSection('Ground-station view', `## Ground-station view

${machineLine()} (1-minute load average per row in the table); ${version}, headless, software rendering, 1400 × 900. Each row: a synthetic fleet (bench/view-feed.ts) publishes real contract messages on the embedded broker — every UAV's TwinState at 5 Hz, FleetState at 5 Hz, a plan per UAV and a task per user (2 per UAV) every 2 s slot — and the page (\`uavmec view\`: MQTT over WebSocket and protobufjs decoding in a worker, the model on the main thread) draws the canvas map every animation frame and refreshes the DOM (table, labels, charts, events) 5 times a second; frames counted over ${MEASURE_MS / 1000} s after ${WARMUP_MS / 1000} s of warm-up. Target (issue 17): ≥ 30 fps at 100 UAVs — ${at100.fps >= 30 ? 'met' : 'NOT met'} (${at100.fps.toFixed(1)} fps). Command: \`npm run bench:view\`.

| UAVs | messages/s published | messages/s into the page | frames/s | map draw, JS ms/frame | DOM refresh, ms | load avg (1 min) |
|---:|---:|---:|---:|---:|---:|---:|
${rows.map((r) => `| ${r.uavs} | ${r.sentPerS.toFixed(0)} | ${r.msgsPerS.toFixed(0)} | ${r.fps.toFixed(1)} | ${r.drawMs.toFixed(2)} | ${r.domMs.toFixed(1)} | ${r.load.toFixed(2)} |`).join('\n')}
`);
  return 0;
}

process.exitCode = await main();
