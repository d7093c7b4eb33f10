/**
 * The whole agent process's cost at its 10 Hz setpoint loop: `uavmec agent` runs as a child
 * process against a SITL (ArduCopter flavour, UDP MAVLink 2) and the embedded broker in this
 * process, with a stand-in controller publishing FleetState at 5 Hz and one long GOTO plan. Once
 * airborne, the child's CPU time (utime + stime from /proc/<pid>/stat) and resident memory
 * (VmRSS, and VmHWM = peak) are sampled over `measureS` wall seconds. Targets (issue 6):
 * ≤ 5 % of one core, ≤ 150 MB.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WallClock } from '../core/clock.ts';
import { Bus, silentLogger } from '../apps/common/index.ts';
import { startEmbeddedBroker } from '../apps/common/broker.ts';
import { FlightMode } from '../proto/index.ts';
import { startSitl } from '../sim/autopilot/index.ts';
import { defaultScenario, uavProfile } from '../sim/world/index.ts';
import { profileJson } from '../apps/agent/profile/index.ts';

export interface AgentProcessResult {
  /** 'tsx' (`bin/uavmec.mjs agent`, TypeScript through tsx) or 'built' (the installed agent package, plain node). */
  build: 'tsx' | 'built';
  /** Spawn → first MAVLink packet from the agent at the SITL (its heartbeat), s. */
  coldStartHeartbeatS: number;
  /** Spawn → first twin state on the broker (locks, autopilot, presence, bus all up), s. */
  coldStartTwinS: number;
  measureS: number;
  cpuPctOfCore: number;
  rssMb: number;
  peakRssMb: number;
  setpointsPerS: number;
  executor: string;
}

/** USER_HZ: Linux reports /proc/<pid>/stat times in 1/100 s. */
const TICK = 100;

function procCpuS(pid: number): number {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return (Number(rest[11]) + Number(rest[12])) / TICK; // utime, stime (fields 14, 15)
}

function procMemMb(pid: number): { rss: number; hwm: number } {
  const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(s)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface AgentProcessOptions {
  measureS?: number;
  executor?: 'simulated' | 'worker';
  /** Run this compiled `uavmec-agent.js` (the installed agent package) with plain node instead of the tsx checkout. */
  builtAgent?: string;
}

export async function measureAgentProcess(o: AgentProcessOptions = {}): Promise<AgentProcessResult> {
  const measureS = o.measureS ?? 20;
  const scenario = defaultScenario({ uavs: 1, users: 0 });
  const clock = new WallClock();
  const broker = await startEmbeddedBroker();
  const sitl = await startSitl({ vehicles: 1, flavour: 'ardupilot', clock, home: scenario.origin, basePort: 0, batteryJ: scenario.uav.batteryJ });
  const bus = await Bus.connect({ url: broker.url, clientId: `bench-ctl-${process.pid}`, sender: 'controller', clock, log: silentLogger() });
  const fleet = setInterval(() => void bus.publish('fleet', {}, { slot: 0, slot_s: scenario.slotS, members: [] }).catch(() => undefined), 200);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-agent-'));
  const root = path.resolve(import.meta.dirname, '..');
  const profile = path.join(dir, 'uav-1.profile.json');
  fs.writeFileSync(profile, profileJson(uavProfile(scenario, 1, clock.nowUs())));
  let firstTwinMs: number | undefined;
  await bus.subscribe('twin', { uav: 1 }, () => (firstTwinMs ??= performance.now()));
  const entry = o.builtAgent ? [o.builtAgent] : [path.join(root, 'bin/uavmec.mjs'), 'agent'];
  const spawnMs = performance.now();
  const child = spawn(process.execPath, [...entry, '--uav', '1', '--profile', profile, '--autopilot', sitl.vehicles[0]!.url, '--broker', broker.url, '--state-dir', path.join(dir, 'state'), '--executor', o.executor ?? 'simulated'], {
    stdio: 'ignore', env: { ...process.env, LOG_LEVEL: 'warn', RUNTIME_DIRECTORY: path.join(dir, 'locks') },
  });
  let firstPacketMs: number | undefined;
  const watch = setInterval(() => {
    if (firstPacketMs === undefined && sitl.vehicles[0]!.stats().packetsIn > 0) firstPacketMs = performance.now();
  }, 2);
  try {
    const truth = () => sitl.vehicles[0]!.truth();
    const deadline = Date.now() + 120_000;
    while (truth().global.relAltM < scenario.cruiseAltM * 0.9) {
      if (Date.now() > deadline) throw new Error('agent did not take off');
      if (!truth().armed) {
        const now = Math.round(clock.nowUs());
        // Re-sent (with a newer seq) until the agent is up and takes it; 400 m away, slowly.
        await bus.publish('plan', { uav: 1 }, { uav_id: 1, plan_seq: Math.floor(now / 1000), slot: 0, valid_from_t_us: now, expires_t_us: now + 600e6, planner: 'bench',
          flight: { mode: FlightMode.FLIGHT_MODE_GOTO, target: { x_east_m: 400, y_north_m: 400, alt_m: scenario.cruiseAltM }, speed_m_s: 3 } });
      }
      await sleep(1000);
    }
    await sleep(2000);
    const pkts0 = sitl.vehicles[0]!.stats().packetsIn;
    const cpu0 = procCpuS(child.pid!);
    const t0 = performance.now();
    let rssSum = 0;
    let n = 0;
    while (performance.now() - t0 < measureS * 1000) {
      await sleep(1000);
      rssSum += procMemMb(child.pid!).rss;
      n++;
    }
    const wallS = (performance.now() - t0) / 1000;
    const cpuS = procCpuS(child.pid!) - cpu0;
    const mem = procMemMb(child.pid!);
    return {
      build: o.builtAgent ? 'built' : 'tsx', coldStartHeartbeatS: ((firstPacketMs ?? NaN) - spawnMs) / 1000, coldStartTwinS: ((firstTwinMs ?? NaN) - spawnMs) / 1000,
      measureS: wallS, cpuPctOfCore: (100 * cpuS) / wallS, rssMb: rssSum / n, peakRssMb: mem.hwm,
      setpointsPerS: (sitl.vehicles[0]!.stats().packetsIn - pkts0) / wallS, executor: o.executor ?? 'simulated',
    };
  } finally {
    child.kill('SIGKILL');
    clearInterval(watch);
    clearInterval(fleet);
    await bus.close();
    await sitl.stop();
    await broker.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await measureAgentProcess({ measureS: Number(process.env.MEASURE_S ?? 20) }));
}
