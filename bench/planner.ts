/**
 * Planner latency (issue 4): CD + KKT (SPEC §5.1) and coalition formation (SPEC §5.2, the
 * multi-MED slot planner) at 4/10/30/100 UAVs × 20/200/1000 users, median and p99 over seeded
 * instances. Offload instances: S3 setting with the area grown as 50 m·√(K/4) so user density per
 * UAV stays S3's, UAVs at grid hover positions (15 m). Coalition instances: S0 setting (1 km²,
 * Rayleigh), one task request per user. Writes docs/benchmarks.md section "## Planner".
 * Targets: 30 UAVs × 200 users ≤ 50 ms median (CD + KKT), 100 × 1000 ≤ 1 s.
 * Run: node --import tsx bench/planner.ts [--quick]
 */
import { machineLine, writeBenchmarkSection } from './report.ts';
import { createRng } from '../core/rng.ts';
import { generateS0Instance, generateS3Instance, gridHover, planCoalitions, planOffloading } from '../engines/planning/index.ts';

const quick = process.argv.includes('--quick');
const UAVS = [4, 10, 30, 100];
const USERS = [20, 200, 1000];
/** Repetitions per cell: until `budgetMs` of planning time or `maxReps`, at least `minReps`. */
const minReps = quick ? 3 : 7;
const maxReps = quick ? 5 : 41;
const budgetMs = quick ? 500 : 3000;

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
};

function time<I>(make: (rep: number) => I, run: (inst: I, rep: number) => void): number[] {
  run(make(-1), -1); // warm-up (JIT), not counted
  const ts: number[] = [];
  let spent = 0;
  for (let rep = 0; rep < maxReps && (rep < minReps || spent < budgetMs); rep++) {
    const inst = make(rep);
    const t0 = performance.now();
    run(inst, rep);
    const dt = performance.now() - t0;
    ts.push(dt);
    spent += dt;
  }
  return ts;
}

const rows: string[] = [];
/** Cells: the grid with S3's density, plus S3's fixed 50 m area at 30 × 200 (every UAV covers every user: ~K² options per user). */
const cells: [number, number, boolean][] = [...UAVS.flatMap((K) => USERS.map((N) => [K, N, false] as [number, number, boolean])), [30, 200, true]];
for (const [K, N, dense] of cells) {
  {
    const area = dense ? 50 : 50 * Math.sqrt(K / 4);
    // A fresh seeded instance per repetition (seed = rep), so the numbers are not one lucky layout.
    const off = (rep: number) => generateS3Instance(createRng(1000 + rep), { users: N, uavs: K, areaM: area, uavPositions: gridHover(K, area, 15) });
    const co = (rep: number) => generateS0Instance(createRng(2000 + rep), { uavs: K, meds: N, rayleigh: true });
    let sweeps = 0, served = 0, reps = 0;
    const cd = time(off, (inst, rep) => {
      const p = planOffloading(inst, 'cd-kkt');
      if (rep >= 0) sweeps += p.sweeps;
    });
    const cdSingle = time(off, (inst) => {
      planOffloading(inst, 'cd-kkt', { singleStart: true });
    });
    const coal = time(co, (inst, rep) => {
      const p = planCoalitions(inst, 'coalition');
      if (rep >= 0) {
        served += p.assignments.filter((a) => a.uavIds.length > 0).length;
        reps++;
      }
    });
    const f = (x: number) => x.toFixed(1);
    const line = `| ${K} | ${N}${dense ? ' (50 m area)' : ''} | ${f(quantile(cd, 0.5))} | ${f(quantile(cd, 0.99))} | ${f(quantile(cdSingle, 0.5))} | ${(sweeps / cd.length).toFixed(1)} | ${f(quantile(coal, 0.5))} | ${f(quantile(coal, 0.99))} | ${(served / Math.max(1, reps)).toFixed(1)} | ${cd.length}/${coal.length} |`;
    console.log(line);
    rows.push(line);
  }
}

const section = [
  '## Planner',
  '',
  `${machineLine()}${quick ? '; --quick' : ''}. Times are wall-clock ms per slot plan (instance generation excluded, one JIT warm-up run excluded), a fresh seeded instance per repetition. CD + KKT: \`planOffloading(…, 'cd-kkt')\` = 3-start CD (SPEC §5.1 [choice], cd.ts) + KKT allocation; "1-start" is \`singleStart: true\`. Coalition: \`planCoalitions(…, 'coalition')\` over all users' requests (EDF order, TU merge/split/switch/exchange, shortlist of 24 candidates per MED). p99 is the largest of the repetitions when fewer than 100 ran. Targets: 30 × 200 ≤ 50 ms median, 100 × 1000 ≤ 1 s. Command: \`node --import tsx bench/planner.ts\`.`,
  '',
  '| UAVs | users | CD+KKT median ms | CD+KKT p99 ms | 1-start median ms | CD sweeps | coalition median ms | coalition p99 ms | MEDs served | reps (CD/coal) |',
  '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...rows,
  '',
].join('\n');
writeBenchmarkSection('Planner', section);
