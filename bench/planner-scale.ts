/**
 * CD + KKT at fleet scale (issue 20): time, peak memory and DOR of `planOffloading(…, 'cd-kkt')`
 * as the fleet grows at 10 users per UAV (30×300 … 1000×10000, plus the bench/planner.ts
 * instances 30×200 and 100×1000), beside the previous planner — the same engine as of commit
 * PREVIOUS_REV, before relay pruning and the compact option arrays, extracted from git into
 * .tmp/ — on the same seeded instances. Each (planner, size) runs in its own process, so its peak
 * RSS (VmHWM) is its own. A growth table gives the exponent fitted to time ∝ (K·N)^b.
 *
 * Writes the "Planner at fleet scale" section of docs/benchmarks.md.
 * Run: npm run bench:planner-scale -- [--reps 3] [--previous-max 3000]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { machineLine, writeBenchmarkSection } from './report.ts';
import type * as Engine from '../engines/planning/offload/index.ts';
import type * as Rng from '../core/rng.ts';

/** The last commit with the planner as it was before issue 20. */
export const PREVIOUS_REV = '6dbd7dc';
const ROOT = path.join(import.meta.dirname, '..');
const PREV_DIR = path.join(ROOT, '.tmp', `planner-${PREVIOUS_REV}`);

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] ?? dflt : dflt;
}

interface Result {
  ms: number[];
  cpuMs: number[];
  dor: number;
  rssPeakMb: number;
  optionsPerUser?: number;
}

/** Child: plan one seeded instance `reps` times (after a warm-up) and report. */
async function child(which: 'new' | 'previous', K: number, N: number, reps: number, areaOverride?: number): Promise<void> {
  const base = which === 'new' ? path.join(ROOT, 'engines/planning/offload/index.ts') : path.join(PREV_DIR, 'engines/planning/offload/index.ts');
  const eng = (await import(pathToFileURL(base).href)) as typeof Engine;
  const { createRng } = (await import(pathToFileURL(path.join(which === 'new' ? ROOT : PREV_DIR, 'core/rng.ts')).href)) as typeof Rng;
  const area = areaOverride ?? 50 * Math.sqrt(K / 4);
  const inst = eng.generateS3Instance(createRng(1000), { users: N, uavs: K, areaM: area, uavPositions: eng.gridHover(K, area, 15) });
  // Warm-up (JIT), not counted: at least one plan, and more while they are short (≤ 20 plans or
  // 1 s), so the small instances are not timed on half-compiled code.
  let dor = eng.planOffloading(inst, 'cd-kkt').dor;
  for (let w = 1, t0 = performance.now(); w < 20 && performance.now() - t0 < 1000; w++) dor = eng.planOffloading(inst, 'cd-kkt').dor;
  const ms: number[] = [];
  const cpuMs: number[] = [];
  for (let r = 0; r < reps; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    dor = eng.planOffloading(inst, 'cd-kkt').dor;
    ms.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpuMs.push((c.user + c.system) / 1000);
  }
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  const out: Result = { ms, cpuMs, dor, rssPeakMb: hwm ? Number(hwm[1]) / 1024 : process.memoryUsage().rss / 2 ** 20 };
  process.stdout.write(`RESULT ${JSON.stringify(out)}\n`);
}

function runChild(which: 'new' | 'previous', K: number, N: number, reps: number, area?: number): Result | string {
  const args = ['--import', 'tsx', path.join(import.meta.dirname, 'planner-scale.ts'), '--child', which, String(K), String(N), String(reps), ...(area ? ['--area', String(area)] : [])];
  const r = spawnSync(process.execPath, ['--max-old-space-size=3072', ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) return `failed (${r.status ?? r.signal}): ${(r.stderr.trim().split('\n').at(-1) ?? '').slice(0, 120)}`;
  return JSON.parse(line.slice(7)) as Result;
}

/** Extracts the previous engine (and the core it imports) from git into .tmp/ once. */
function extractPrevious(): string | undefined {
  if (existsSync(path.join(PREV_DIR, 'engines/planning/offload/index.ts'))) return undefined;
  try {
    mkdirSync(PREV_DIR, { recursive: true });
    const tar = execFileSync('git', ['-C', ROOT, 'archive', PREVIOUS_REV, 'engines/planning/offload', 'engines/planning/shared', 'core'], { maxBuffer: 1 << 28 });
    execFileSync('tar', ['-x', '-C', PREV_DIR], { input: tar });
    return undefined;
  } catch (e) {
    return `cannot extract the previous planner from git (${(e as Error).message.split('\n')[0]})`;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Least-squares slope of log y on log x. */
export function fittedExponent(xs: number[], ys: number[]): number {
  const lx = xs.map(Math.log);
  const ly = ys.map(Math.log);
  const mx = lx.reduce((s, v) => s + v, 0) / lx.length;
  const my = ly.reduce((s, v) => s + v, 0) / ly.length;
  let num = 0;
  let den = 0;
  lx.forEach((x, i) => {
    num += (x - mx) * (ly[i]! - my);
    den += (x - mx) ** 2;
  });
  return num / den;
}

async function main(): Promise<void> {
  if (process.argv.includes('--help')) {
    console.log('usage: npm run bench:planner-scale -- [--reps 3] [--previous-max 3000]   (writes the "Planner at fleet scale" section of docs/benchmarks.md)');
    return;
  }
  const ci = process.argv.indexOf('--child');
  if (ci > 0) {
    const [which, K, N, reps] = process.argv.slice(ci + 1, ci + 5);
    const area = process.argv.includes('--area') ? Number(arg('area', '0')) : undefined;
    await child(which as 'new' | 'previous', Number(K), Number(N), Number(reps), area);
    return;
  }
  const reps = Number(arg('reps', '3'));
  const previousMax = Number(arg('previous-max', '3000'));
  if (!(reps >= 1) || !(previousMax >= 0)) {
    console.error('--reps must be ≥ 1 and --previous-max ≥ 0 (users; larger instances skip the previous planner)');
    process.exit(2);
  }
  const prevProblem = extractPrevious();
  const sizes: [number, number][] = [[30, 200], [30, 300], [100, 1000], [300, 3000], [1000, 10000]];
  const rows: { K: number; N: number; now: Result | string; prev: Result | string }[] = [];
  for (const [K, N] of sizes) {
    const now = runChild('new', K, N, reps);
    const prev = prevProblem ?? (N <= previousMax ? runChild('previous', K, N, reps) : 'not run');
    rows.push({ K, N, now, prev });
    const f = (r: Result | string) => (typeof r === 'string' ? r : `${median(r.ms).toFixed(1)} ms, ${median(r.cpuMs).toFixed(1)} ms CPU, ${r.rssPeakMb.toFixed(0)} MB, DOR ${r.dor.toFixed(3)}`);
    console.log(`${K} × ${N}: new ${f(now)} | previous ${f(prev)}`);
  }
  const growth = rows.filter((r) => r.N === 10 * r.K && typeof r.now !== 'string');
  const kn = growth.map((r) => r.K * r.N);
  const expWall = fittedExponent(kn, growth.map((r) => median((r.now as Result).ms)));
  const expCpu = fittedExponent(kn, growth.map((r) => median((r.now as Result).cpuMs)));
  const expMem = fittedExponent(kn, growth.map((r) => (r.now as Result).rssPeakMb));
  const prevGrowth = rows.filter((r) => r.N === 10 * r.K && typeof r.prev !== 'string');
  const expPrev = prevGrowth.length >= 2 ? fittedExponent(prevGrowth.map((r) => r.K * r.N), prevGrowth.map((r) => median((r.prev as Result).cpuMs))) : NaN;

  const cell = (r: Result | string, f: (x: Result) => string) => (typeof r === 'string' ? r : f(r));
  const lines = [
    '## Planner at fleet scale',
    '',
    `${machineLine()}. Command: \`npm run bench:planner-scale\`.`,
    '',
    `\`planOffloading(…, 'cd-kkt')\` on the bench/planner.ts instances (S3 setting, area 50 m·√(K/4), UAVs on a grid at 15 m, seed 1000), median of ${reps} plans after a warm-up of up to 20 plans or 1 s, each planner and size in its own process (peak RSS = VmHWM, Node start-up included). "Previous" = the same engine at commit ${PREVIOUS_REV} (every UAV a relay target, one object per option), run on the same instances. Wall time is bent by the other jobs on the 2 cores; CPU time (user + system of the process during the plan) much less. Targets (issue 20): 100 × 1000 ≤ 50 ms, 1000 × 10000 ≤ 2 s and ≤ 1 GB, DOR within ±0.5 % of the previous planner on 30 × 200 and 100 × 1000.`,
    '',
    '| UAVs | users | ms (wall) | ms (CPU) | peak RSS MB | DOR | previous ms (wall) | previous ms (CPU) | previous peak RSS MB | previous DOR | DOR difference | × faster (CPU) |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(({ K, N, now, prev }) => {
      const both = typeof now !== 'string' && typeof prev !== 'string';
      return `| ${K} | ${N} | ${cell(now, (r) => median(r.ms).toFixed(1))} | ${cell(now, (r) => median(r.cpuMs).toFixed(1))} | ${cell(now, (r) => r.rssPeakMb.toFixed(0))} | ${cell(now, (r) => r.dor.toFixed(3))} | ${cell(prev, (r) => median(r.ms).toFixed(1))} | ${cell(prev, (r) => median(r.cpuMs).toFixed(1))} | ${cell(prev, (r) => r.rssPeakMb.toFixed(0))} | ${cell(prev, (r) => r.dor.toFixed(3))} | ${both ? `${(((now as Result).dor / (prev as Result).dor - 1) * 100).toFixed(3)} %` : ''} | ${both ? (median((prev as Result).cpuMs) / median((now as Result).cpuMs)).toFixed(1) : ''} |`;
    }),
    '',
    `"not run": above ${previousMax} users the previous planner is not run (the issue measured it at 1000 × 10000: 24 s and 8.2 GB).`,
    '',
    `Growth at 10 users per UAV (${growth.map((r) => `${r.K}×${r.N}`).join(', ')}): time ∝ (K·N)^b with b = ${expWall.toFixed(2)} (wall), ${expCpu.toFixed(2)} (CPU); peak RSS ∝ (K·N)^${expMem.toFixed(2)} (it includes Node's ~50 MB start-up). With N = 10 K, K·N = 10 K², so work linear in the users (a fixed number of options per user) shows as b ≈ 0.5. Previous planner: b = ${Number.isNaN(expPrev) ? 'n/a' : expPrev.toFixed(2)} (CPU) over the sizes it ran.`,
    '',
  ];
  const section = lines.join('\n');
  console.log(section);
  writeBenchmarkSection('Planner at fleet scale', section);
}

await main();
