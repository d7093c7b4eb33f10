/**
 * Agent benchmark: per-tick costs of the on-UAV agent's cores.
 * - Policy inference latency (PolicyRunner.step: obs checks + onnxruntime + action mapping) for
 *   MLP actors of several sizes; target p99 ≤ 0.2 ms for S3's 3→64→64→3 actor.
 * - Safety envelope `constrain` latency (box fence free flight; L-polygon + exclusion with 5
 *   neighbours, clamped at a wall).
 * - Outbox append rate (fsync on/off) and WorkerExecutor calibration.
 * - The whole agent process (`uavmec agent` against the SITL, 10 Hz setpoint loop): CPU share of
 *   one core and resident memory (bench/agent-process.ts); targets ≤ 5 % and ≤ 150 MB.
 * Writes docs/benchmarks.md under "## Agent" (replacing that section only).
 * Run: node --import tsx bench/agent.ts
 */
import { machineLine, writeBenchmarkSection } from './report.ts';
import os from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createRng } from '../core/rng.ts';
import { WallClock } from '../core/clock.ts';
import { exportMlp, encodePolicyMetadata, envHash, type MlpLayer, type PolicyMetadata } from '../core/onnx/index.ts';
import { PolicyRunner } from '../apps/agent/policy/index.ts';
import { createEnvelope, type ConstrainInput, type EnvelopeConfigInput } from '../apps/agent/safety/index.ts';
import { openOutbox } from '../apps/agent/outbox/index.ts';
import { WorkerExecutor } from '../apps/agent/executor/index.ts';
import { measureAgentProcess } from './agent-process.ts';
import { installAgentPackage } from './agent-package.ts';

const ns = () => Number(process.hrtime.bigint());
const pct = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const ms = (v: number) => (v / 1e6).toFixed(3);

// ---- policy inference ----
const rng = createRng(2026);
function actorBytes(sizes: number[]): Uint8Array {
  const nIn = sizes[0]!;
  const nOut = sizes.at(-1)!;
  const layers: MlpLayer[] = sizes.slice(1).map((nout, k) => {
    const nin = sizes[k]!;
    const lim = Math.sqrt(6 / (nin + nout));
    return {
      shape: [nin, nout],
      weights: Float32Array.from({ length: nin * nout }, () => rng.uniform(-lim, lim)),
      bias: Float32Array.from({ length: nout }, () => rng.uniform(-0.1, 0.1)),
      activation: k === sizes.length - 2 ? 'tanh' : 'relu',
    };
  });
  const meta: PolicyMetadata = {
    algo: 'bench', env: 'bench',
    obsSpec: { names: Array.from({ length: nIn }, (_, i) => `o${i}`), low: Array(nIn).fill(-1), high: Array(nIn).fill(1) },
    actionSpec: { kind: 'velocity', units: 'm/s', names: Array.from({ length: nOut }, (_, i) => `a${i}`), low: Array(nOut).fill(-1), high: Array(nOut).fill(1), motion: [0, 1, 2] },
    obsNorm: { scale: Array(nIn).fill(1), offset: Array(nIn).fill(0), inGraph: true },
    training: {}, gitCommit: 'bench', envHash: envHash({}), agent: 'shared', numAgents: 1,
  };
  return exportMlp({ layers, metadata: encodePolicyMetadata(meta) });
}

const N = 5000;
const inferRows: { arch: string; median: number; p99: number; max: number }[] = [];
for (const sizes of [[3, 64, 64, 3], [3, 32, 32, 3], [6, 128, 128, 3], [12, 256, 256, 5]]) {
  const runner = new PolicyRunner({ slotS: 1 });
  const l = await runner.load(actorBytes(sizes));
  if (!l.ok) throw new Error(`${l.reason}: ${l.detail}`);
  const obs = Array.from({ length: sizes[0]! }, () => rng.uniform(-1, 1));
  for (let i = 0; i < 500; i++) await runner.step(obs);
  const t: number[] = [];
  for (let i = 0; i < N; i++) {
    obs[0] = rng.uniform(-1, 1);
    const t0 = ns();
    const r = await runner.step(obs);
    t.push(ns() - t0);
    if (!r.ok) throw new Error(r.reason);
  }
  inferRows.push({ arch: sizes.join('→'), median: pct(t, 0.5), p99: pct(t, 0.99), max: Math.max(...t) });
  await runner.close();
}

// ---- envelope ----
const T0 = 1_700_000_000_000_000;
const boxCfg: EnvelopeConfigInput = { fence: { kind: 'box', northM: [-100, 100], eastM: [-100, 100] }, altitude: { minAltM: 10, maxAltM: 60 }, maxSpeedMS: 10, maxAccelMS2: 4, dMinM: 5, battery: {} };
const L = [{ n: 0, e: 0 }, { n: 0, e: 100 }, { n: 100, e: 100 }, { n: 100, e: 50 }, { n: 50, e: 50 }, { n: 50, e: 0 }];
const zoneCfg: EnvelopeConfigInput = { ...boxCfg, fence: { kind: 'zones', inclusions: [{ kind: 'polygon', vertices: L }], exclusions: [{ kind: 'circle', center: { n: 25, e: 75 }, radiusM: 8 }] } };
const envRows: { name: string; median: number; p99: number; max: number; clamped: number; reasons: string }[] = [];
const scenarios: [string, EnvelopeConfigInput, (k: number) => ConstrainInput][] = [
  ['box, free flight, no fleet', boxCfg, (k) => ({ desired: { kind: 'velocity_ned', velocityMS: { x: 2, y: 1, z: 0 } }, own: { posNedM: { x: 0, y: 0, z: -30 }, velNedMS: { x: 2, y: 1, z: 0 }, batteryJ: 1e6, homeNedM: { x: 0, y: 0, z: 0 } }, fleet: [], nowUs: T0 + k * 1e5, dtS: 0.1 })],
  ...([['L-polygon + exclusion, 5 neighbours, clamped at a wall', 3.2], ['L-polygon + exclusion, 5 neighbours, unrecoverable (inside the margin)', 2.5]] as const).map(
    ([name, x]): [string, EnvelopeConfigInput, (k: number) => ConstrainInput] => [name, zoneCfg, (k) => ({
      desired: { kind: 'velocity_ned', velocityMS: { x: -10, y: 3, z: 0 } },
      // Near the south wall (margin 2 m), flying at it.
      own: { posNedM: { x, y: 30, z: -30 }, velNedMS: { x: -2, y: 3, z: 0 }, batteryJ: 1e6, homeNedM: { x: 0, y: 0, z: 0 } },
      fleet: Array.from({ length: 5 }, (_, i) => ({ id: `u${i}`, posNedM: { x: 10 + 6 * i, y: 40 + 3 * i, z: -30 }, velNedMS: { x: 0.5, y: -0.5, z: 0 }, tUs: T0 + k * 1e5 - 2e5 })),
      nowUs: T0 + k * 1e5, dtS: 0.1,
    })],
  ),
];
for (const [name, cfg, mk] of scenarios) {
  const t: number[] = [];
  let clamped = 0;
  let reasons = '';
  for (let k = 0; k < N; k++) {
    const e = createEnvelope(cfg);
    if (!e.ok) throw new Error(e.detail);
    const inp = mk(k);
    const t0 = ns();
    const o = e.value.constrain(inp);
    t.push(ns() - t0);
    if (o.action !== 'pass') clamped++;
    reasons = o.reasons.join(', ');
  }
  envRows.push({ name, median: pct(t, 0.5), p99: pct(t, 0.99), max: Math.max(...t), clamped: clamped / N, reasons });
}

// ---- outbox ----
const obRows: { fsync: boolean; perS: number }[] = [];
for (const fsync of [false, true]) {
  const dir = mkdtempSync(join(os.tmpdir(), 'bench-outbox-'));
  const o = await openOutbox(dir, { maxMessages: 100_000, maxBytes: 64 << 20, fsync });
  if (!o.ok) throw new Error(o.detail);
  const n = fsync ? 300 : 3000;
  const payload = new Uint8Array(200);
  const t0 = ns();
  for (let i = 0; i < n; i++) await o.value.append('uavmec/uav/1/telemetry', payload);
  obRows.push({ fsync, perS: n / ((ns() - t0) / 1e9) });
  await o.value.close();
  rmSync(dir, { recursive: true });
}

// ---- worker executor ----
const ex = await WorkerExecutor.start({ clock: new WallClock(), calibrateMs: 500 });
const job = await ex.run({ id: 'b', cycles: ex.calibration.nominalHz * 0.5 }, 0);
await ex.close();

// ---- the whole agent process ----
const pkg = installAgentPackage();
// The tsx checkout and the built, installed package side by side, alternating, in this one run.
const procRows = [
  await measureAgentProcess({ measureS: 20 }),
  await measureAgentProcess({ measureS: 20, builtAgent: pkg.bin }),
  await measureAgentProcess({ measureS: 20, executor: 'worker' }),
  await measureAgentProcess({ measureS: 20, executor: 'worker', builtAgent: pkg.bin }),
];
rmSync(pkg.dir, { recursive: true, force: true });

const lines = [
  '## Agent',
  '',
  `${machineLine()}. Command: \`node --import tsx bench/agent.ts\`.`,
  '',
  `Policy inference: \`PolicyRunner.step\` (observation checks, onnxruntime-node CPU session with 1 thread, action clipping and ENU→NED mapping), batch 1, ${N.toLocaleString('en-US')} steps after 500 warm-up steps. Target: p99 ≤ 0.2 ms for 3→64→64→3.`,
  '',
  '| actor | median ms | p99 ms | max ms |',
  '|---|---:|---:|---:|',
  ...inferRows.map((r) => `| ${r.arch} | ${ms(r.median)} | ${ms(r.p99)} | ${ms(r.max)} |`),
  '',
  `Safety envelope: one \`constrain\` call per tick (dt 0.1 s), fresh envelope each call, ${N.toLocaleString('en-US')} calls. Max columns include GC pauses and the other processes on this shared machine.`,
  '',
  '| scenario | median ms | p99 ms | max ms | reasons |',
  '|---|---:|---:|---:|---|',
  ...envRows.map((r) => `| ${r.name} | ${ms(r.median)} | ${ms(r.p99)} | ${ms(r.max)} | ${r.reasons || '(pass)'} |`),
  '',
  `Outbox: appends of 200-byte telemetry messages in ${os.tmpdir()} (the filesystem decides what fsync costs; an SD card is far slower).`,
  '',
  '| fsync per append | appends/s |',
  '|---|---:|',
  ...obRows.map((r) => `| ${r.fsync ? 'yes' : 'no'} | ${Math.round(r.perS).toLocaleString('en-US')} |`),
  '',
  `Agent package (issue 14): \`npm run pack:agent\` for ${pkg.platform} → tarball ${pkg.tarballMb.toFixed(1)} MB; \`npm install --omit=dev\` of it into an empty folder → ${pkg.installedMb.toFixed(1)} MB of node_modules (the repository's own \`npm ci\`: ${pkg.repoNodeModulesMb.toFixed(0)} MB for every role).`,
  '',
  'Whole agent process, two builds side by side in this run: **tsx** = `uavmec agent` from the checkout (TypeScript through tsx), **built** = the installed package\'s `uavmec-agent` (compiled JavaScript, plain node). Each as a child process flying a GOTO plan against the ArduCopter SITL over UDP MAVLink 2 at its 10 Hz setpoint loop, with the embedded broker, FleetState at 5 Hz, twin state at 5 Hz, health at 1 Hz and the on-disk outbox enabled. Cold start: spawn → the first MAVLink packet from the agent at the SITL (its heartbeat; the autopilot link is opened first), and spawn → its first twin state on the broker (locks, autopilot heartbeat, presence record and bus all done). CPU and RSS once airborne from /proc/<pid>/stat (utime + stime) and /proc/<pid>/status (VmRSS sampled each second; VmHWM = peak, start-up included). Targets: ≤ 5 % of one core, ≤ 150 MB.',
  '',
  '| build | executor | cold start → heartbeat s | cold start → twin state s | window s | CPU % of one core | RSS mean MB | RSS peak MB | MAVLink packets in at the SITL /s |',
  '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ...procRows.map((r) => `| ${r.build} | ${r.executor} | ${r.coldStartHeartbeatS.toFixed(2)} | ${r.coldStartTwinS.toFixed(2)} | ${r.measureS.toFixed(1)} | ${r.cpuPctOfCore.toFixed(2)} | ${r.rssMb.toFixed(0)} | ${r.peakRssMb.toFixed(0)} | ${r.setpointsPerS.toFixed(1)} |`),
  '',
  `Rows run in the order shown on a shared machine (load average ${os.loadavg()[0]!.toFixed(0)} at the end of this run): cold starts are wall time and include whatever else runs; tsx also transforms the TypeScript on first use.`,
  '',
  `WorkerExecutor: calibration ${Math.round(ex.calibration.iterationsPerS).toLocaleString('en-US')} kernel iterations/s on one thread; nominal ${(ex.calibration.nominalHz / 1e9).toFixed(2)} GHz → ${ex.calibration.cyclesPerIteration.toFixed(2)} cycles/iteration; a 0.5 s job then ran at ${(job.cyclesPerS / 1e9).toFixed(2)} GHz (measured f̃).`,
  '',
];
const section = lines.join('\n');
console.log(section);
writeBenchmarkSection('Agent', section);
