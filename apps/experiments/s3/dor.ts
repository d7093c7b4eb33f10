/**
 * S3-style DOR comparisons (SPEC §5.1): CD + KKT vs all-offload (AO) vs all-local (AL) with UAVs
 * hovering at fixed grid positions (15 m) over the 50 m × 50 m area, sweeping the number of
 * users, the UAV CPU and the user CPU. DOR is reported per user (DOR / N) in the plot so sweeps
 * over N stay comparable; the CSV has both.
 */
import type { Rng } from '../../../core/rng.ts';
import { generateS3Instance, gridHover, planOffloading, type OffloadAlgo, type OffloadInstance, type S3GenOptions } from '../../../engines/planning/offload/index.ts';
import type { ExperimentRun } from '../registry.ts';
import { writeSweep } from '../sweep.ts';

const ALGOS: readonly OffloadAlgo[] = ['cd-kkt', 'ao', 'al'];
const LABELS: Record<string, string> = { 'cd-kkt': 'CD + KKT (ours)', ao: 'all offload (AO)', al: 'all local (AL)' };
const UAVS = 4;

function instance(rng: Rng, o: Partial<S3GenOptions>): OffloadInstance {
  return generateS3Instance(rng, { users: 30, uavs: UAVS, uavPositions: gridHover(UAVS, 50, 15), ...o });
}

function measure(inst: OffloadInstance, algo: string): Record<string, number> {
  const p = planOffloading(inst, algo as OffloadAlgo);
  const n = inst.users.length;
  return { dor: p.dor, dor_per_user: p.dor / n, offloaded: p.decisions.filter((d) => d.mode === 'edge').length / n, mean_delay_s: p.perUser.reduce((s, u) => s + u.tS, 0) / n };
}

function sweep(kind: 'users' | 'uav-cpu' | 'user-cpu'): ExperimentRun {
  return async ({ seed, outDir, quick }) => {
    const trials = quick ? 4 : 40;
    const common = { trials, algos: ALGOS, labels: LABELS, measure, plot: 'dor_per_user', yLabel: 'DOR per user', yMin: 0 };
    const spec =
      kind === 'users'
        ? { ...common, name: 's3-dor-vs-users', title: 'DOR vs number of users (4 UAVs, fixed hover)', xName: 'users', xLabel: 'number of users', xs: quick ? [10, 40, 80] : [10, 20, 30, 40, 50, 60, 80, 100], instance: (rng: Rng, x: number) => instance(rng, { users: x }) }
        : kind === 'uav-cpu'
          ? { ...common, name: 's3-dor-vs-uav-cpu', title: 'DOR vs UAV CPU (4 UAVs, 30 users)', xName: 'uav_cpu_ghz', xLabel: 'UAV CPU F_k (GHz)', xs: quick ? [2, 10, 20] : [2, 4, 6, 8, 10, 15, 20], instance: (rng: Rng, x: number) => instance(rng, { uavCpuHz: x * 1e9 }) }
          : { ...common, name: 's3-dor-vs-user-cpu', title: 'DOR vs user CPU (4 UAVs, 30 users)', xName: 'user_cpu_ghz', xLabel: 'user CPU f_loc (GHz)', xs: quick ? [0.2, 1, 2] : [0.2, 0.4, 0.6, 0.8, 1, 1.5, 2], instance: (rng: Rng, x: number) => instance(rng, { fLocalHz: [x * 1e9, x * 1e9] }) };
    const r = await writeSweep(spec, seed, outDir);
    return { files: r.files };
  };
}

export const dorVsUsers = sweep('users');
export const dorVsUavCpu = sweep('uav-cpu');
export const dorVsUserCpu = sweep('user-cpu');
