/**
 * SITL capacity: how many vehicles one process keeps in real time at the default stream rates.
 *
 * For N vehicles on a WallClock, split over worker threads (`startSitlWorkers`, default one per
 * core; `--workers 0` = one thread), every vehicle pushes its traffic to a GCS sink in its own
 * process (bench/sitl-sink.ts; one socket per link of 250 system ids, as to QGC on 14550). Over a few
 * seconds after a warm-up it measures the loop (physics) tick rate against the nominal 50 Hz and
 * the messages received per vehicle against the nominal sum of default stream rates; N holds
 * real time when both are ≥ 95 %. N grows until it fails; the result goes to docs/benchmarks.md
 * under "SITL capacity".
 *
 * Run: npm run bench:sitl -- [--max 3000] [--seconds 4] [--workers N]
 */
import { machineLine, writeBenchmarkSection } from './report.ts';
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WallClock } from '../core/clock.ts';
import { startSitl, startSitlWorkers, SYSIDS_PER_LINK } from '../sim/autopilot/index.ts';
import { DEFAULT_RATES_HZ } from '../sim/autopilot/server/telemetry/index.ts';

const PHYSICS_HZ = 50;
const NOMINAL_MSG_HZ = Object.values(DEFAULT_RATES_HZ).reduce((a, b) => a + b, 0);
const HOME = { latDeg: 47.397742, lonDeg: 8.545594, altAmslM: 488 };

interface Trial {
  n: number;
  /** CPU of the SITL process (all its threads) and of the GCS sink, % of one core. */
  sitlCpuPct: number;
  sinkCpuPct: number;
  tickRatio: number;
  msgRatio: number;
  heartbeatHz: number;
  holds: boolean;
}

/** user + system CPU of a process so far, ms (/proc/<pid>/stat, clock ticks of 10 ms). */
function procCpuMs(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function ask<T>(c: ChildProcess, msg: string): Promise<T> {
  return new Promise((resolve) => {
    c.once('message', (m) => resolve(m as T));
    c.send(msg);
  });
}

async function trial(n: number, seconds: number, workers: number): Promise<Trial> {
  const links = Math.ceil(n / SYSIDS_PER_LINK);
  const sink = fork(path.join(import.meta.dirname, 'sitl-sink.ts'), [String(links)], { execArgv: ['--import', 'tsx'] });
  const { port } = await new Promise<{ port: number }>((resolve, reject) => {
    sink.once('message', (m) => resolve(m as { port: number }));
    sink.once('exit', (code) => reject(new Error(`GCS sink exited (${code})`)));
  });
  const common = { vehicles: n, flavour: 'px4' as const, home: HOME, basePort: 0, gcsUrl: `udpout://127.0.0.1:${port}`, physicsHz: PHYSICS_HZ };
  const fleet = workers > 0 ? await startSitlWorkers({ ...common, workers }) : await startSitl({ ...common, clock: new WallClock() });
  await sleep(1500);
  const t0 = performance.now();
  const ticks0 = fleet.ticks();
  const cpu0 = process.cpuUsage();
  const sink0 = procCpuMs(sink.pid!);
  const a = await ask<{ msgs: number; heartbeats: number }>(sink, 'mark');
  await sleep(seconds * 1000);
  const b = await ask<{ msgs: number; heartbeats: number }>(sink, 'mark');
  const dt = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const sitlCpuPct = (cpu.user + cpu.system) / 1e4 / dt;
  const sinkCpuPct = (procCpuMs(sink.pid!) - sink0) / 10 / dt;
  const tickRatio = (fleet.ticks() - ticks0) / dt / PHYSICS_HZ;
  const msgRatio = (b.msgs - a.msgs) / dt / (NOMINAL_MSG_HZ * n);
  const heartbeatHz = (b.heartbeats - a.heartbeats) / dt / n;
  await fleet.stop();
  sink.send('exit');
  return { n, sitlCpuPct, sinkCpuPct, tickRatio, msgRatio, heartbeatHz, holds: tickRatio >= 0.95 && msgRatio >= 0.95 };
}

function writeSection(text: string): void {
  writeBenchmarkSection('SITL capacity', text);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const get = (k: string, d: number) => {
    const i = args.indexOf(k);
    return i >= 0 ? Number(args[i + 1]) : d;
  };
  if (args.includes('--help')) {
    console.log('usage: npm run bench:sitl -- [--max 3000] [--seconds 4] [--workers N (default: one per core; 0 = the whole fleet in this thread)]');
    return;
  }
  const max = get('--max', 3000);
  const seconds = get('--seconds', 4);
  const workers = get('--workers', os.cpus().length);
  if (!(max >= 1) || !(seconds > 0) || !(workers >= 0)) {
    console.error('--max ≥ 1, --seconds > 0 and --workers ≥ 0 please');
    process.exit(2);
  }
  const ladder = [10, 50, 100, 250, 400, 500, 750, 1000, 1250, 1500, 2000, 2500, 3000].filter((n) => n <= max);
  const results: Trial[] = [];
  for (const n of ladder) {
    const r = await trial(n, seconds, workers);
    results.push(r);
    console.log(`N=${n}: SITL CPU ${r.sitlCpuPct.toFixed(0)} %, sink ${r.sinkCpuPct.toFixed(0)} %, loop ${(100 * r.tickRatio).toFixed(1)} %, messages ${(100 * r.msgRatio).toFixed(1)} %, heartbeat ${r.heartbeatHz.toFixed(2)} Hz/vehicle → ${r.holds ? 'holds' : 'falls behind'}`);
    // Go on while the streams keep up: on a loaded machine the loop timer alone can fall short.
    if (r.msgRatio < 0.95) break;
  }
  const best = results.filter((r) => r.holds).at(-1)?.n ?? 0;
  const rows = results.map((r) => `| ${r.n} | ${r.sitlCpuPct.toFixed(0)} | ${r.sinkCpuPct.toFixed(0)} | ${(100 * r.tickRatio).toFixed(1)} | ${(100 * r.msgRatio).toFixed(1)} | ${r.heartbeatHz.toFixed(2)} | ${r.holds ? 'yes' : 'no'} |`);
  const text = [
    '## SITL capacity',
    '',
    `Largest number of SITL vehicles ${workers > 0 ? `${workers} worker thread(s) of one process keep` : 'one thread keeps'} in real time (loop at ${PHYSICS_HZ} Hz and default streams, ${NOMINAL_MSG_HZ} msg/s per vehicle, both ≥ 95 % of nominal): **${best}**${best === results.at(-1)?.n ? ` (the largest N tried; limit not reached)` : ''}.`,
    '',
    `${machineLine()}. PX4 flavour, vehicles idle on the ground, ${workers > 0 ? `the fleet split over ${workers} worker threads (\`startSitlWorkers\`)` : 'the whole fleet in one thread'}, every vehicle streaming to a GCS sink in its own process (one UDP socket per link of ${SYSIDS_PER_LINK} system ids: beyond 250 vehicles, vehicle i is sysid 1 + i mod 250 on link ⌊i/250⌋), ${seconds} s per N after 1.5 s warm-up. Before issue 20 (one thread, sink in-process) the limit was 400 vehicles, and \`startSitl\` refused more than 250. Run: \`npm run bench:sitl -- --workers ${workers} --seconds ${seconds} --max ${max}\`.`,
    '',
    '| vehicles | SITL process CPU % of a core | GCS sink CPU % | loop rate % | messages % | heartbeat Hz/vehicle | real time |',
    '|---:|---:|---:|---:|---:|---:|:---:|',
    ...rows,
  ].join('\n');
  writeSection(text);
  console.log(`SITL capacity: ${best} vehicles (written to docs/benchmarks.md)`);
}

await main();
