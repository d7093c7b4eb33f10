/**
 * S1 Figs. 3–5: total energy, total time and UAV waiting time vs number of users (10–50) for
 * the proposed scheme and S1's four baselines (queue, region, distance, data). Merging on.
 * Writes s1-users.csv and s1-fig3-energy.svg, s1-fig4-time.svg, s1-fig5-waiting.svg.
 */
import { join } from 'node:path';
import { writeCsv, writeText } from './csv.ts';
import { lineChart } from './plot/svg.ts';
import type { ExperimentOptions } from './registry.ts';
import { METHODS } from '../../engines/scheduling/pipeline/index.ts';
import type { PlanMetrics } from '../../engines/scheduling/pipeline/index.ts';
import { mean, runPlan, s1Users } from './s1-common.ts';

export const name = 's1-users';
export const description = 'S1 Figs. 3–5: energy, time, waiting time vs users (10–50), proposed vs queue/region/distance/data';

export async function run({ seed, outDir, quick }: ExperimentOptions): Promise<{ files: string[] }> {
  const counts = quick ? [10, 30, 50] : [10, 20, 30, 40, 50];
  const reps = quick ? 1 : 3;
  const rows: (string | number)[][] = [];
  const agg = new Map<string, Map<number, PlanMetrics[]>>();
  for (const M of counts)
    for (let r = 0; r < reps; r++) {
      const s = seed * 1000 + M * 10 + r;
      const users = s1Users(s, M);
      for (const method of METHODS) {
        const m = runPlan(s, users, method, true);
        rows.push([method, M, r, m.totalEnergyJ, m.maxObjectiveJ, m.collectionTimeS, m.computeTimeS, m.totalTimeS, m.collectWaitS, m.computeWaitS, m.minSeparationM, m.feasible ? 1 : 0]);
        const byM = agg.get(method) ?? new Map<number, PlanMetrics[]>();
        byM.set(M, [...(byM.get(M) ?? []), m]);
        agg.set(method, byM);
      }
    }
  const files = [
    await writeCsv(join(outDir, 's1-users.csv'), ['method', 'users', 'rep', 'total_energy_J', 'max_objective_J', 'collection_s', 'compute_s', 'total_time_s', 'collect_wait_s', 'compute_wait_s', 'min_separation_m', 'feasible'], rows),
  ];
  const series = (f: (m: PlanMetrics) => number) =>
    METHODS.map((method) => ({ name: method, points: counts.map((M) => [M, mean(agg.get(method)!.get(M)!.map(f))] as const) }));
  const charts: [string, string, string, (m: PlanMetrics) => number][] = [
    ['s1-fig3-energy.svg', 'S1 Fig. 3 — total UAV energy', 'energy (J)', (m) => m.totalEnergyJ],
    ['s1-fig4-time.svg', 'S1 Fig. 4 — total time (collection + compute)', 'time (s)', (m) => m.totalTimeS],
    ['s1-fig5-waiting.svg', 'S1 Fig. 5 — UAV waiting time (Σ after collection + idle in compute)', 'time (s)', (m) => m.collectWaitS + m.computeWaitS],
  ];
  for (const [file, title, yLabel, f] of charts) {
    files.push(await writeText(join(outDir, file), lineChart({ title, xLabel: 'users', yLabel, series: series(f), yMin: 0 })));
  }
  return { files };
}

export const experiment = { name, description, run };
export default run;
