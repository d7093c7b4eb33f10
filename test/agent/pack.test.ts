/**
 * Issue 14 §2 evidence: `npm run pack:agent` builds the JavaScript and packs the agent alone;
 * `npm install --omit=dev` of the tarball into an empty folder (offline: dependencies from the npm
 * cache) gives a `uavmec-agent` that plain `node` runs — no TypeScript, no tsx installed — and that
 * flies a plan against the SITL over a real broker, inside a QGroundControl fence given with
 * `--fence` (plans aimed into the fence's exclusion circle or its cut corner are flown only up to it).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { NackReason } from '../../proto/index.ts';
import { ScaledClock } from '../../core/clock.ts';
import { startEmbeddedBroker } from '../../apps/common/broker.ts';
import { startSitl } from '../../sim/autopilot/index.ts';
import { dirBytes } from '../../scripts/lib/agent-package.ts';
import { MiniController, until } from './harness.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');


test('the packed agent installs into an empty folder and flies a plan against the SITL with plain node', { timeout: 600_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uavmec-agent-pack-'));
  const npm = (args: string[], cwd: string) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false' } });
  npm(['run', 'pack:agent', '--', '--out', dir], ROOT);
  const version = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const tgz = path.join(dir, `uavmec-agent-${version}.tgz`);
  assert.ok(fs.existsSync(tgz), 'uavmec-agent-<version>.tgz written');

  const app = path.join(dir, 'app');
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), '{ "name": "companion", "private": true }\n');
  // Offline: every dependency comes from the npm cache (--prefer-offline: the registry only for what it lacks).
  npm(['install', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', tgz], app);
  const nm = path.join(app, 'node_modules');
  const pkgDir = path.join(nm, 'uavmec-agent');
  const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; os: string[]; cpu: string[] };
  for (const banned of ['tsx', 'typescript', 'aedes', 'highs', '@tensorflow', 'ts-node', 'esbuild']) assert.ok(!fs.existsSync(path.join(nm, banned)), `${banned} not installed`);
  assert.ok(!Object.keys(pkg.dependencies).some((d) => /^(tsx|typescript|aedes|highs|@tensorflow)/.test(d)));
  assert.deepEqual([pkg.os, pkg.cpu], [[process.platform], [process.arch]]);
  const ort = fs.readdirSync(path.join(pkgDir, 'node_modules/onnxruntime-node/bin/napi-v6'));
  assert.deepEqual(ort, [process.platform], 'onnxruntime-node: this platform\'s binaries only');
  const shipped: string[] = [];
  const walk = (d: string) => fs.readdirSync(d, { withFileTypes: true }).forEach((e) => (e.isDirectory() ? e.name !== 'node_modules' && walk(path.join(d, e.name)) : shipped.push(path.join(d, e.name))));
  walk(pkgDir);
  assert.ok(!shipped.some((f) => f.endsWith('.ts')), 'no TypeScript in the package');
  assert.ok(!shipped.some((f) => /[\\/](sim|engines[\\/](planning|scheduling)|controller|mission|trainer|experiments)[\\/]/.test(path.relative(pkgDir, f))), 'no ground-side code in the package');
  t.diagnostic(`tarball ${(fs.statSync(tgz).size / 1e6).toFixed(1)} MB; installed node_modules ${(dirBytes(nm) / 1e6).toFixed(1)} MB (${process.platform}-${process.arch}); dependencies ${Object.keys(pkg.dependencies).join(', ')}`);

  // Fly: broker and SITL here, the installed agent as a plain-node child with the example profile and a QGC fence.
  const anchorMs = Date.now();
  const clock = new ScaledClock(2, undefined, anchorMs);
  const broker = await startEmbeddedBroker();
  const profile = path.join(pkgDir, 'deploy/profile.example.json');
  const home = JSON.parse(fs.readFileSync(profile, 'utf8')) as { origin: { lat_deg: number; lon_deg: number; alt_amsl_m: number } };
  const sitl = await startSitl({ vehicles: 1, flavour: 'ardupilot', clock, home: { latDeg: home.origin.lat_deg, lonDeg: home.origin.lon_deg, altAmslM: home.origin.alt_amsl_m }, basePort: 0 });
  const ctl = await MiniController.start(broker.url, clock, 1, 2);
  const log = path.join(dir, 'agent.log');
  const out = fs.openSync(log, 'a');
  const fence = path.join(ROOT, 'apps/agent/safety/fixtures/qgc-field.plan');
  const child: ChildProcess = spawn(process.execPath, [path.join(nm, '.bin/uavmec-agent'), '--uav', '1', '--profile', profile, '--fence', fence,
    '--autopilot', sitl.vehicles[0]!.url, '--broker', broker.url, '--state-dir', path.join(dir, 'state'), '--speed', '2', '--anchor', String(anchorMs)],
  { cwd: app, stdio: ['ignore', out, out], env: { PATH: process.env.PATH ?? '', RUNTIME_DIRECTORY: path.join(dir, 'locks'), LOG_LEVEL: 'info' } });
  const truth = () => sitl.vehicles[0]!.truth();
  try {
    await until(() => fs.readFileSync(log, 'utf8').includes('agent running'), 'installed agent up', 60_000);
    assert.match(fs.readFileSync(log, 'utf8'), /"fence":"[^"]*qgc-field\.plan"/, 'flying the QGC fence');
    // The .plan's exclusion circle: 20 m around (E 100, N 100). A plan aimed beyond it, whose
    // straight path crosses it, is accepted (its target is inside) and flown only up to the
    // exclusion: the envelope stops the UAV outside the circle.
    const seq = await ctl.plan(ctl.goto(140, 140, 25, 4));
    await until(() => ctl.acks.some((a) => a.seq === seq && a.accepted), 'plan acked', 30_000);
    await until(() => truth().global.relAltM > 20, 'took off', 90_000);
    const speed = () => Math.hypot(truth().velocityNedMS.x, truth().velocityNedMS.y);
    await until(() => Math.hypot(truth().positionNedM.x, truth().positionNedM.y) > 60 && speed() < 0.2, 'stopped at the fence', 180_000);
    const p = truth().positionNedM;
    const fromCenter = Math.hypot(p.x - 100, p.y - 100);
    t.diagnostic(`stopped ${fromCenter.toFixed(1)} m from the exclusion's center (radius 20 m), at (E ${p.y.toFixed(1)}, N ${p.x.toFixed(1)})`);
    assert.ok(fromCenter >= 20, `outside the exclusion circle (${fromCenter.toFixed(1)} m from its center)`);
    assert.ok(fromCenter < 35, `flew the plan up to the fence (${fromCenter.toFixed(1)} m from the center)`);
    // Targets outside the fence are refused at intake, naming the fence: the exclusion's center,
    // and (E 0, N 170) in the polygon's cut corner. The UAV stays where it is.
    for (const [e, n] of [[100, 100], [0, 170]] as const) {
      const s = await ctl.plan(ctl.goto(e, n, 25, 4));
      await until(() => ctl.acks.some((a) => a.seq === s), `plan to (E ${e}, N ${n}) answered`, 30_000);
      const ack = ctl.acks.find((a) => a.seq === s)!;
      assert.equal(ack.accepted, false, `(E ${e}, N ${n}) is refused`);
      assert.equal(ack.reason, NackReason.NACK_REASON_UNSAFE);
      assert.match(ack.detail, /outside the horizontal geofence/);
    }
    const q = truth().positionNedM;
    assert.ok(Math.hypot(q.x - p.x, q.y - p.y) < 2, `held its position after the refusals (moved ${Math.hypot(q.x - p.x, q.y - p.y).toFixed(1)} m)`);
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    assert.equal(code, 0, 'stops cleanly on SIGTERM');
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await ctl.close().catch(() => undefined);
    await sitl.stop();
    await broker.close();
    if (!process.env.KEEP) fs.rmSync(dir, { recursive: true, force: true });
    else t.diagnostic(`kept ${dir}`);
  }
});
