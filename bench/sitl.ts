/**
 * SITL capacity: how many vehicles one process keeps in real time at the default stream rates.
 *
 * For N vehicles on a WallClock, every vehicle pushes its traffic to one GCS sink socket (as to
 * QGC on 14550; the sink runs in this process too, so it is a conservative figure). Over a few
 * seconds after a warm-up it measures the loop (physics) tick rate against the nominal 50 Hz and
 * the messages received per vehicle against the nominal sum of default stream rates; N holds
 * real time when both are ≥ 95 %. N grows until it fails; the result goes to docs/benchmarks.md
 * under "SITL capacity".
 *
 * Run: node --import tsx bench/sitl.ts [--max 250] [--seconds 4]
 */
import { writeBenchmarkSection } from './report.ts';
import dgram from 'node:dgram';
import os from 'node:os';
import { WallClock } from '../core/clock.ts';
import { MavlinkDecoder } from '../firmware-bridge/mavlink/index.ts';
import { startSitl } from '../sim/autopilot/index.ts';
import { DEFAULT_RATES_HZ } from '../sim/autopilot/server/telemetry.ts';

const PHYSICS_HZ = 50;
const NOMINAL_MSG_HZ = Object.values(DEFAULT_RATES_HZ).reduce((a, b) => a + b, 0);
const HOME = { latDeg: 47.397742, lonDeg: 8.545594, altAmslM: 488 };

interface Trial {
  n: number;
  tickRatio: number;
  msgRatio: number;
  heartbeatHz: number;
  holds: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function trial(n: number, seconds: number): Promise<Trial> {
  const sink = dgram.createSocket('udp4');
  await new Promise<void>((r) => sink.bind(0, '127.0.0.1', () => r()));
  sink.setRecvBufferSize(4 * 1024 * 1024); // as a GCS would; capped by net.core.rmem_max
  const dec = new MavlinkDecoder();
  let msgs = 0;
  let heartbeats = 0;
  sink.on('message', (buf) => {
    for (const p of dec.pushDatagram(buf)) {
      msgs++;
      if (p.msgid === 0) heartbeats++;
    }
  });
  const clock = new WallClock();
  const fleet = await startSitl({
    vehicles: n, flavour: 'px4', clock, home: HOME, basePort: 0, gcsUrl: `udpout://127.0.0.1:${sink.address().port}`, physicsHz: PHYSICS_HZ,
  });
  await sleep(1500);
  const t0 = performance.now();
  const ticks0 = fleet.ticks();
  const msgs0 = msgs;
  const hb0 = heartbeats;
  await sleep(seconds * 1000);
  const dt = (performance.now() - t0) / 1000;
  const tickRatio = (fleet.ticks() - ticks0) / dt / PHYSICS_HZ;
  const msgRatio = (msgs - msgs0) / dt / (NOMINAL_MSG_HZ * n);
  const heartbeatHz = (heartbeats - hb0) / dt / n;
  await fleet.stop();
  await new Promise<void>((r) => sink.close(() => r()));
  return { n, tickRatio, msgRatio, heartbeatHz, holds: tickRatio >= 0.95 && msgRatio >= 0.95 };
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
  const max = get('--max', 250);
  const seconds = get('--seconds', 4);
  const ladder = [10, 25, 50, 75, 100, 125, 150, 200, 250].filter((n) => n <= max);
  const results: Trial[] = [];
  for (const n of ladder) {
    const r = await trial(n, seconds);
    results.push(r);
    console.log(`N=${n}: loop ${(100 * r.tickRatio).toFixed(1)} %, messages ${(100 * r.msgRatio).toFixed(1)} %, heartbeat ${r.heartbeatHz.toFixed(2)} Hz/vehicle → ${r.holds ? 'holds' : 'falls behind'}`);
    if (!r.holds) break;
  }
  const best = results.filter((r) => r.holds).at(-1)?.n ?? 0;
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const rows = results.map((r) => `| ${r.n} | ${(100 * r.tickRatio).toFixed(1)} | ${(100 * r.msgRatio).toFixed(1)} | ${r.heartbeatHz.toFixed(2)} | ${r.holds ? 'yes' : 'no'} |`);
  const text = [
    '## SITL capacity',
    '',
    `Largest number of SITL vehicles one process keeps in real time (loop at ${PHYSICS_HZ} Hz and default streams, ${NOMINAL_MSG_HZ} msg/s per vehicle, both ≥ 95 % of nominal): **${best}**${best === results.at(-1)?.n ? ` (the largest N tried; limit not reached)` : ''}.`,
    '',
    `Machine: ${cpu}, ${os.cpus().length} cores (shared), Node ${process.version}; ${new Date().toISOString().slice(0, 10)}. PX4 flavour, vehicles idle on the ground, all streaming to one GCS sink socket in the same process, ${seconds} s per N after 1.5 s warm-up. Run: \`node --import tsx bench/sitl.ts\`.`,
    '',
    '| vehicles | loop rate % | messages % | heartbeat Hz/vehicle | real time |',
    '|---:|---:|---:|---:|:---:|',
    ...rows,
  ].join('\n');
  writeSection(text);
  console.log(`SITL capacity: ${best} vehicles (written to docs/benchmarks.md)`);
}

await main();
