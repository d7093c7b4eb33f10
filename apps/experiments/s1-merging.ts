/**
 * S1 Figs. 6–9: with vs without merging identical subtasks — energy and time vs users (10–50,
 * Figs. 6–7) and vs average number of repetitions (Figs. 8–9, 30 users, repeat ratio swept).
 * Proposed scheme in both arms. Writes s1-merging-users.csv, s1-merging-reps.csv and four SVGs;
 * prints the average reductions (S1 §5.2.2: 21.68 % energy, 18.41 % time).
 */
import { join } from 'node:path';
import { writeCsv, writeText } from './csv.ts';
import { lineChart } from './plot/svg.ts';
import type { ExperimentOptions } from './registry.ts';
import { mergeTasks, averageRepetitions } from '../../engines/scheduling/merge/index.ts';
import { mean, runPlan, s1Users } from './s1-common.ts';

export const name = 's1-merging';
export const description = 'S1 Figs. 6–9: energy and time with vs without merging repeated subtasks, vs users and vs repetitions';

export interface MergingSummary {
  energyReductionPct: number;
  totalTimeReductionPct: number;
  computeTimeReductionPct: number;
}

export async function run({ seed, outDir, quick }: ExperimentOptions): Promise<{ files: string[]; summary: MergingSummary }> {
  const counts = quick ? [10, 30, 50] : [10, 20, 30, 40, 50];
  const reps = quick ? 1 : 3;
  const rows: (string | number)[][] = [];
  const pts = { eM: [] as [number, number][], eN: [] as [number, number][], tM: [] as [number, number][], tN: [] as [number, number][] };
  const red = { e: [] as number[], t: [] as number[], c: [] as number[] };
  for (const M of counts) {
    const acc = { eM: [] as number[], eN: [] as number[], tM: [] as number[], tN: [] as number[], cM: [] as number[], cN: [] as number[] };
    for (let r = 0; r < reps; r++) {
      const s = seed * 1000 + M * 10 + r;
      const users = s1Users(s, M);
      const a = runPlan(s, users, 'proposed', true);
      const b = runPlan(s, users, 'proposed', false);
      rows.push([M, r, a.totalEnergyJ, b.totalEnergyJ, a.totalTimeS, b.totalTimeS, a.computeTimeS, b.computeTimeS, a.mergedNodes, b.mergedNodes]);
      acc.eM.push(a.totalEnergyJ);
      acc.eN.push(b.totalEnergyJ);
      acc.tM.push(a.totalTimeS);
      acc.tN.push(b.totalTimeS);
      acc.cM.push(a.computeTimeS);
      acc.cN.push(b.computeTimeS);
    }
    pts.eM.push([M, mean(acc.eM)]);
    pts.eN.push([M, mean(acc.eN)]);
    pts.tM.push([M, mean(acc.tM)]);
    pts.tN.push([M, mean(acc.tN)]);
    red.e.push(1 - mean(acc.eM) / mean(acc.eN));
    red.t.push(1 - mean(acc.tM) / mean(acc.tN));
    red.c.push(1 - mean(acc.cM) / mean(acc.cN));
  }
  const summary: MergingSummary = {
    energyReductionPct: 100 * mean(red.e),
    totalTimeReductionPct: 100 * mean(red.t),
    computeTimeReductionPct: 100 * mean(red.c),
  };
  const files = [
    await writeCsv(join(outDir, 's1-merging-users.csv'), ['users', 'rep', 'energy_merge_J', 'energy_nomerge_J', 'time_merge_s', 'time_nomerge_s', 'compute_merge_s', 'compute_nomerge_s', 'nodes_merge', 'nodes_nomerge'], rows),
  ];
  files.push(await writeText(join(outDir, 's1-fig6-energy-merging.svg'), lineChart({ title: 'S1 Fig. 6 — total energy, with vs without merging', xLabel: 'users', yLabel: 'energy (J)', yMin: 0, series: [{ name: 'merging', points: pts.eM }, { name: 'no merging', points: pts.eN }] })));
  files.push(await writeText(join(outDir, 's1-fig7-time-merging.svg'), lineChart({ title: 'S1 Fig. 7 — total time, with vs without merging', xLabel: 'users', yLabel: 'time (s)', yMin: 0, series: [{ name: 'merging', points: pts.tM }, { name: 'no merging', points: pts.tN }] })));
  // Figs. 8–9: sweep the repeat ratio at 30 users; x = measured average repetitions.
  const ratios = quick ? [0.2, 0.5, 0.8] : [0.1, 0.3, 0.5, 0.7, 0.9];
  const repRows: (string | number)[][] = [];
  const r8 = { eM: [] as [number, number][], eN: [] as [number, number][], tM: [] as [number, number][], tN: [] as [number, number][] };
  for (const ratio of ratios) {
    const xs: number[] = [];
    const acc = { eM: [] as number[], eN: [] as number[], tM: [] as number[], tN: [] as number[] };
    for (let r = 0; r < reps; r++) {
      const s = seed * 7919 + Math.round(ratio * 100) * 10 + r;
      const users = s1Users(s, 30, ratio);
      const dag = mergeTasks(users.map((u) => u.task));
      const x = dag.ok ? averageRepetitions(dag.value) : 1;
      const a = runPlan(s, users, 'proposed', true);
      const b = runPlan(s, users, 'proposed', false);
      xs.push(x);
      acc.eM.push(a.totalEnergyJ);
      acc.eN.push(b.totalEnergyJ);
      acc.tM.push(a.totalTimeS);
      acc.tN.push(b.totalTimeS);
      repRows.push([ratio, r, x, a.totalEnergyJ, b.totalEnergyJ, a.totalTimeS, b.totalTimeS]);
    }
    const x = mean(xs);
    r8.eM.push([x, mean(acc.eM)]);
    r8.eN.push([x, mean(acc.eN)]);
    r8.tM.push([x, mean(acc.tM)]);
    r8.tN.push([x, mean(acc.tN)]);
  }
  files.push(await writeCsv(join(outDir, 's1-merging-reps.csv'), ['repeat_ratio', 'rep', 'avg_repetitions', 'energy_merge_J', 'energy_nomerge_J', 'time_merge_s', 'time_nomerge_s'], repRows));
  files.push(await writeText(join(outDir, 's1-fig8-energy-reps.svg'), lineChart({ title: 'S1 Fig. 8 — energy vs average repetitions (30 users)', xLabel: 'average repetitions', yLabel: 'energy (J)', yMin: 0, series: [{ name: 'merging', points: r8.eM }, { name: 'no merging', points: r8.eN }] })));
  files.push(await writeText(join(outDir, 's1-fig9-time-reps.svg'), lineChart({ title: 'S1 Fig. 9 — time vs average repetitions (30 users)', xLabel: 'average repetitions', yLabel: 'time (s)', yMin: 0, series: [{ name: 'merging', points: r8.tM }, { name: 'no merging', points: r8.tN }] })));
  console.log(`merging vs no merging (mean over user counts): energy −${summary.energyReductionPct.toFixed(2)} %, total time −${summary.totalTimeReductionPct.toFixed(2)} %, compute time −${summary.computeTimeReductionPct.toFixed(2)} %`);
  return { files, summary };
}

export const experiment = { name, description, run };
export default run;
