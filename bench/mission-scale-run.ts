/**
 * One lockstep planner mission in its own process, for bench/mission-scale.ts: argv = uavs, users,
 * slots, run folder. Sends `{ summary, cpuMs, peakRssMb }` to its parent and exits (run by hand,
 * e.g. under `node --cpu-prof --import tsx`, it prints them).
 */
import { readFileSync } from 'node:fs';
import { runMission } from '../apps/mission/run.ts';
import { defaultScenario } from '../sim/world/index.ts';

const [uavs, users, slots] = process.argv.slice(2, 5).map(Number) as [number, number, number];
const runDir = process.argv[5]!;
const summary = await runMission({ scenario: defaultScenario({ uavs, users, slots, seed: 1 }), flavour: 'ardupilot', algo: 'cd-kkt', runDir });
const cpu = process.cpuUsage();
const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
const result = { summary, cpuMs: (cpu.user + cpu.system) / 1000, peakRssMb: hwm ? Number(hwm[1]) / 1024 : NaN };
// Forked by the benchmark: to its parent; run by hand (e.g. under --cpu-prof): to stdout.
if (process.send) process.send(result, () => process.exit(0));
else console.log(JSON.stringify({ ...result, summary: { wallS: summary.wallS, simS: summary.simS, totals: summary.totals } }));
