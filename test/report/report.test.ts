import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeReport } from '../../apps/report/index.ts';
import reportCommand from '../../apps/cli/commands/report.ts';
import { countColour, decodePng } from './png.ts';

const FIXTURE = join(import.meta.dirname, '../fixtures/run-2uav-4slot');

function chromiumPath(): string | undefined {
  for (const c of ['chromium', 'chromium-browser']) {
    const r = spawnSync('which', [c], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  return undefined;
}
const CHROMIUM = chromiumPath();
const NO_CHROMIUM = CHROMIUM ? false : 'chromium not installed (apt-get install -y chromium; .ci/run installs it)';

/** Loads a page in headless Chromium; returns the DOM after scripts ran, console lines, and a screenshot. */
function render(file: string, dir: string): { dom: string; console: string[]; png: Buffer } {
  const common = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', `--user-data-dir=${join(dir, 'profile')}`, '--enable-logging=stderr', '--v=0'];
  const url = `file://${file}`;
  const d = spawnSync(CHROMIUM!, [...common, '--dump-dom', url], { encoding: 'utf8', timeout: 60_000 });
  const shot = join(dir, 'shot.png');
  const s = spawnSync(CHROMIUM!, [...common, `--screenshot=${shot}`, '--window-size=1280,4000', url], { encoding: 'utf8', timeout: 60_000 });
  const console = `${d.stderr}\n${s.stderr}`.split('\n').filter((l) => /CONSOLE|Uncaught/.test(l));
  return { dom: d.stdout, console, png: readFileSync(shot) };
}

void test('the report is one self-contained HTML file with every section', () => {
  const dir = mkdtempSync(join(tmpdir(), 'report-'));
  try {
    const r = writeReport([FIXTURE], join(dir, 'r.html'));
    assert.ok(r.ok);
    const html = readFileSync(r.value, 'utf8');
    // Nothing fetched at view time: no external src/href, stylesheets, imports or url() references.
    assert.doesNotMatch(html, /\s(src|href)\s*=/i);
    assert.doesNotMatch(html, /<link|@import|url\(/i);
    assert.deepEqual([...new Set(html.match(/https?:\/\/[^"' )]+/g))], ['http://www.w3.org/2000/svg'], 'only the SVG namespace URI');
    for (const s of ['Trajectories', 'Altitude profile', 'Delay optimisation ratio', 'Energy used', 'Utility of the slot plan', 'Battery', 'Coalition timeline', 'Plan acks and nacks', 'Failsafe', 'Totals']) assert.ok(html.includes(s), s);
    assert.equal((html.match(/class="track"/g) ?? []).length, 2, 'one trajectory per UAV');
    assert.equal((html.match(/class="user"/g) ?? []).length, 10, 'every user on the map');
    assert.equal((html.match(/class="coverage"/g) ?? []).length, 8, 'a coverage disc per UAV and slot');
    assert.ok(html.includes('10 / 0 / 10'), 'plans acked / refused / sent');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('two runs side by side; the CLI reports bad folders', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'report2-'));
  const err = console.error;
  try {
    cpSync(FIXTURE, join(dir, 'run-b'), { recursive: true });
    const r = writeReport([FIXTURE, join(dir, 'run-b')], join(dir, 'ab.html'));
    assert.ok(r.ok);
    const html = readFileSync(r.value, 'utf8');
    assert.match(html, /class="runs two"/);
    assert.equal((html.match(/<section class="run">/g) ?? []).length, 2);
    assert.match(html, /run-2uav-4slot vs run-b/);
    console.error = () => {};
    assert.equal(await reportCommand.run([join(dir, 'nope')]), 1);
  } finally {
    console.error = err;
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('headless Chromium renders the report: charts drawn, script ran, no console errors', { skip: NO_CHROMIUM, timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'render-'));
  try {
    cpSync(FIXTURE, join(dir, 'run-b'), { recursive: true });
    const r = writeReport([FIXTURE, join(dir, 'run-b')], join(dir, 'ab.html'));
    assert.ok(r.ok);
    const out = render(r.value, dir);
    assert.deepEqual(out.console, [], 'no console messages or script errors');
    const ready = /data-ready="(\d+)"/.exec(out.dom);
    assert.ok(ready, 'the page script ran');
    assert.equal(Number(ready[1]), 16, '8 charts per run (with the flight-mode timeline)');
    const img = decodePng(out.png);
    assert.equal(img.width, 1280);
    let nonWhite = 0;
    for (let i = 0; i < img.rgba.length; i += 4) if (img.rgba[i]! < 240 || img.rgba[i + 1]! < 240 || img.rgba[i + 2]! < 240) nonWhite++;
    assert.ok(nonWhite / (img.width * img.height) > 0.02, `non-blank screenshot (${nonWhite} non-white pixels)`);
    // The UAV colours of the map tracks and chart series are on screen (a tall window: map and charts).
    assert.ok(countColour(img, [0x00, 0x72, 0xb2]) > 200, 'UAV 1 blue drawn');
    assert.ok(countColour(img, [0xd5, 0x5e, 0x00]) > 200, 'UAV 2 orange drawn');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('the render check can fail: a script error and a blank page are caught', { skip: NO_CHROMIUM, timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'render-bad-'));
  try {
    const file = join(dir, 'bad.html');
    writeFileSync(file, '<!DOCTYPE html><html><body><script>null.f();</script></body></html>');
    const out = render(file, dir);
    assert.ok(out.console.some((l) => /Uncaught TypeError/.test(l)), out.console.join('\n'));
    assert.doesNotMatch(out.dom, /data-ready/);
    const img = decodePng(out.png);
    assert.equal(countColour(img, [255, 255, 255], 0), img.width * img.height, 'blank page is all white');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

