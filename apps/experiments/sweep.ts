/**
 * A parameter sweep: for each x and trial, one seeded instance shared by every algorithm (common
 * random numbers), a set of metrics per (instance, algorithm), and the mean and 95 % confidence
 * half-width (1.96·s/√n) of each metric per (x, algorithm). Writes `<name>.csv` (one row per x and
 * algorithm, columns `<metric>_mean`, `<metric>_ci95`) and `<name>.svg` (the `plot` metric with
 * error bars).
 */
import { join } from 'node:path';
import { createRng, type Rng } from '../../core/rng.ts';
import { writeCsv, writeText } from './csv.ts';
import { lineChart } from './plot/svg.ts';

export interface SweepSpec<I> {
  /** File base name (without extension). */
  name: string;
  title: string;
  xName: string;
  xLabel: string;
  yLabel: string;
  xs: number[];
  trials: number;
  algos: readonly string[];
  /** Display name per algorithm (legend). */
  labels?: Record<string, string>;
  instance(rng: Rng, x: number): I;
  measure(inst: I, algo: string): Record<string, number>;
  /** The metric drawn in the SVG. */
  plot: string;
  yMin?: number;
}

export interface SweepPoint {
  x: number;
  algo: string;
  n: number;
  mean: Record<string, number>;
  ci95: Record<string, number>;
}

/** Runs the sweep (pure apart from the injected seed); no files. */
export function runSweep<I>(spec: SweepSpec<I>, seed: number): SweepPoint[] {
  const acc = new Map<string, Record<string, number[]>>();
  spec.xs.forEach((x, xi) => {
    for (let t = 0; t < spec.trials; t++) {
      // One stream per (x, trial): changing `trials` or the x grid leaves other points unchanged.
      const rng = createRng((seed * 7919 + xi * 104729 + t * 1299709) >>> 0);
      const inst = spec.instance(rng, x);
      for (const algo of spec.algos) {
        const m = spec.measure(inst, algo);
        const k = `${xi}|${algo}`;
        const rec = acc.get(k) ?? {};
        for (const [name, v] of Object.entries(m)) (rec[name] ??= []).push(v);
        acc.set(k, rec);
      }
    }
  });
  const out: SweepPoint[] = [];
  spec.xs.forEach((x, xi) => {
    for (const algo of spec.algos) {
      const rec = acc.get(`${xi}|${algo}`) ?? {};
      const mean: Record<string, number> = {};
      const ci95: Record<string, number> = {};
      let n = 0;
      for (const [name, vs] of Object.entries(rec)) {
        n = vs.length;
        const mu = vs.reduce((a, b) => a + b, 0) / n;
        const sd = n > 1 ? Math.sqrt(vs.reduce((a, b) => a + (b - mu) ** 2, 0) / (n - 1)) : 0;
        mean[name] = mu;
        ci95[name] = (1.96 * sd) / Math.sqrt(n);
      }
      out.push({ x, algo, n, mean, ci95 });
    }
  });
  return out;
}

/** Runs the sweep and writes its CSV and SVG into `outDir`. */
export async function writeSweep<I>(spec: SweepSpec<I>, seed: number, outDir: string): Promise<{ files: string[]; points: SweepPoint[] }> {
  const points = runSweep(spec, seed);
  const metrics = Object.keys(points[0]?.mean ?? {});
  const header = [spec.xName, 'algo', 'n', ...metrics.flatMap((m) => [`${m}_mean`, `${m}_ci95`])];
  const rows = points.map((p) => [p.x, p.algo, p.n, ...metrics.flatMap((m) => [p.mean[m], p.ci95[m]])]);
  const csv = await writeCsv(join(outDir, `${spec.name}.csv`), header, rows);
  const series = spec.algos.map((algo) => {
    const ps = points.filter((p) => p.algo === algo);
    return { name: spec.labels?.[algo] ?? algo, points: ps.map((p) => [p.x, p.mean[spec.plot] ?? Number.NaN] as const), errors: ps.map((p) => p.ci95[spec.plot] ?? 0) };
  });
  const svg = await writeText(join(outDir, `${spec.name}.svg`), lineChart({ title: spec.title, xLabel: spec.xLabel, yLabel: spec.yLabel, series, yMin: spec.yMin }));
  return { files: [csv, svg], points };
}
