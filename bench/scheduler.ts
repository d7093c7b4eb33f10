/**
 * Scheduler benchmark (SPEC §5.3 P2): GA latency (median of repeated runs, default GA options)
 * and quality vs HEFT (max weighted energy, lower is better) for 2/5/10/30 UAVs × 50/200/1000
 * subtasks, plus the target point 10 UAVs × 500 subtasks (≤ 200 ms median). Instances come from
 * `syntheticProblem` (seeded). Writes the table to docs/benchmarks.md under "## Scheduler".
 *
 * Run: node --import tsx bench/scheduler.ts [--reps 5] [--quick]
 */
import { machineLine, writeBenchmarkSection } from './report.ts';
import { createRng } from '../core/rng.ts';
import { compileProblem, fitnessOf, heft, runGa, syntheticProblem } from '../engines/scheduling/schedule/index.ts';

const arg = (k: string) => {
  const i = process.argv.indexOf(k);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const reps = Number(arg('--reps') ?? 5);
const quick = process.argv.includes('--quick');
const points: [number, number][] = [];
for (const n of [2, 5, 10, 30]) for (const t of [50, 200, 1000]) points.push([n, t]);
points.push([10, 500]);
const todo = quick ? points.filter(([, t]) => t <= 200 || t === 500) : points;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const rows: string[] = [];
for (const [N, T] of todo) {
  const times: number[] = [];
  const gains: number[] = [];
  let gens = 0;
  let evals = 0;
  for (let r = 0; r < reps; r++) {
    const cp = compileProblem(syntheticProblem(createRng(1000 * N + T + r), { tasks: T, uavs: N, fixedMoveJ: [1e3, 3e3] }));
    const t0 = performance.now();
    const g = runGa(cp, createRng(r + 1));
    times.push(performance.now() - t0);
    const h = fitnessOf(cp, heft(cp));
    gains.push(100 * (1 - g.fitness / h));
    gens += g.generations;
    evals += g.evaluations;
  }
  const line = `| ${N} | ${T} | ${median(times).toFixed(1)} | ${Math.max(...times).toFixed(1)} | ${(gens / reps).toFixed(0)} | ${(evals / reps).toFixed(0)} | ${median(gains).toFixed(2)} | ${Math.min(...gains).toFixed(2)} |`;
  console.log(line);
  rows.push(line);
}

const section = [
  '## Scheduler',
  '',
  `${machineLine()}. ${reps} seeded instances per row (\`syntheticProblem\`, 4 CPU levels, fixed movement energy 1–3 kJ per UAV), default GA options (population 40, ≤ 200 generations, patience 40, 3 restarts, local search every 10 generations, HEFT-seeded). Gain = 1 − GA/HEFT on the objective max_n(γE_move + E_c); ≥ 0 by construction (elitism + HEFT seed). Target: 10 UAVs × 500 subtasks ≤ 200 ms median. Command: \`node --import tsx bench/scheduler.ts\`.`,
  '',
  '| UAVs | subtasks | median ms | max ms | generations | evaluations | median gain vs HEFT % | min gain % |',
  '|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...rows,
  '',
].join('\n');
writeBenchmarkSection('Scheduler', section);
