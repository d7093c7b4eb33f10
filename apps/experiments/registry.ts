/**
 * The experiment registry behind `uavmec experiment <name>`. An experiment regenerates one
 * figure/table of a paper: it runs the planners on seeded instances and writes CSV (the data)
 * and SVG (the plot) into `outDir`, returning the paths it wrote.
 *
 * To add one, write a module that default-exports an `ExperimentRun` and add a line to
 * `EXPERIMENTS` below with `lazy(name, description, () => import('./<folder>/<file>.ts'))`.
 * Modules are loaded only when run, so the list stays cheap to print.
 */

export interface ExperimentOptions {
  /** Root seed; an experiment derives every instance's randomness from it. */
  seed: number;
  /** Folder for the CSV and SVG files (created if missing). */
  outDir: string;
  /** Fewer instances/points, for smoke tests and CI; same files and columns. */
  quick: boolean;
  /** Learning experiments: train nothing, use only cached runs (rows say how many seeds they have). */
  cachedOnly?: boolean;
}

export type ExperimentRun = (opts: ExperimentOptions) => Promise<{ files: string[] }>;

export interface Experiment {
  name: string;
  description: string;
  run: ExperimentRun;
}

/** An experiment whose module (default-exporting its `run`) is imported on first use. */
export function lazy(name: string, description: string, load: () => Promise<{ default: ExperimentRun }>): Experiment {
  return { name, description, run: async (opts) => (await load()).default(opts) };
}

export const EXPERIMENTS: Experiment[] = [
  // Planning engine I — paper S0 (TU coalition game) and S3-style DOR (CD + KKT offloading).
  lazy('s0-fig9', 'S0 Fig. 9: UAV utilisation vs number of UAVs (coalition, grand, Nash)', () => import('./s0/fig9.ts')),
  lazy('s0-fig10', 'S0 Fig. 10: total energy vs task complexity ϑ (coalition, grand, Nash)', () => import('./s0/fig10.ts')),
  lazy('s0-fig11', 'S0 Fig. 11: participant utility vs deadline (coalition, grand, Nash)', () => import('./s0/fig11.ts')),
  lazy('s3-dor-users', 'S3-style DOR vs number of users, fixed hover (CD+KKT, AO, AL)', () => import('./s3/dor-users.ts')),
  lazy('s3-dor-uav-cpu', 'S3-style DOR vs UAV CPU, fixed hover (CD+KKT, AO, AL)', () => import('./s3/dor-uav-cpu.ts')),
  lazy('s3-dor-user-cpu', 'S3-style DOR vs user CPU, fixed hover (CD+KKT, AO, AL)', () => import('./s3/dor-user-cpu.ts')),
  lazy('s1-users', 'S1 Figs. 3–5: energy, time, waiting vs users (10–50), proposed vs queue/region/distance/data', () => import('./s1-users.ts')),
  // Learning results (SPEC §5.4–5.5): trained policies over three seeds; checkpoints cached in runs/learning.
  lazy('s3-fig4', 'S3 Fig. 4: training reward curves, MUECRS (MADDPG) vs CEJOMU vs D3QN, 30 users, 3 seeds', () => import('./learning/s3.ts').then((m) => ({ default: m.fig4 }))),
  lazy('s3-fig6', 'S3 Fig. 6: DOR per slot over 500 slots, MUECRS vs CEJOMU vs D3QN vs RT, 30 users, 3 seeds', () => import('./learning/s3.ts').then((m) => ({ default: m.fig6 }))),
  lazy('s3-fig7', 'S3 Fig. 7: overall DOR vs users 5–30, MUECRS, CEJOMU, D3QN, RT, AO, AL (+ best static hover)', () => import('./learning/s3.ts').then((m) => ({ default: m.fig7 }))),
  lazy('s2-fig3', 'S2 Fig. 3: TD3 vs DDPG vs PPO convergence at equal env steps, 3 seeds, + final revenue', () => import('./learning/s2.ts').then((m) => ({ default: m.fig3 }))),
  lazy('s2-fig4', 'S2 Fig. 4: revenue vs number of UAVs (3/5/7), TD3 vs DDPG vs PPO retrained per point', () => import('./learning/s2.ts').then((m) => ({ default: m.fig4 }))),
  lazy('s2-fig5', 'S2 Fig. 5: revenue vs number of idle UDs (5/10/15), TD3 vs DDPG vs PPO retrained per point', () => import('./learning/s2.ts').then((m) => ({ default: m.fig5 }))),
  lazy('s2-fig6', 'S2 Fig. 6: revenue vs number of busy UDs (5/10/15), TD3 vs DDPG vs PPO retrained per point', () => import('./learning/s2.ts').then((m) => ({ default: m.fig6 }))),
  lazy('s1-merging', 'S1 Figs. 6–9: energy and time with vs without merging, vs users and vs repetitions', () => import('./s1-merging.ts')),
];

export function findExperiment(name: string): Experiment | undefined {
  return EXPERIMENTS.find((e) => e.name === name);
}
