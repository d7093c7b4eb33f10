/** S0 Fig. 9: average UAV computing utilisation μ (S0 Eq. 12) vs number of UAVs. */
import type { ExperimentRun } from '../registry.ts';
import { writeSweep } from '../sweep.ts';
import { S0_ALGOS, S0_LABELS, s0Instance, s0Metrics } from './common.ts';

const run: ExperimentRun = async ({ seed, outDir, quick }) => {
  const r = await writeSweep(
    {
      name: 's0-fig9-utilisation-vs-uavs',
      title: 'S0 Fig. 9 — UAV utilisation vs number of UAVs',
      xName: 'uavs',
      xLabel: 'number of UAVs',
      yLabel: 'mean utilisation μ of engaged UAVs',
      xs: quick ? [5, 15, 30] : [5, 10, 15, 20, 25, 30],
      trials: quick ? 6 : 60,
      algos: S0_ALGOS,
      labels: S0_LABELS,
      instance: (rng, x) => s0Instance(rng, { uavs: x }),
      measure: s0Metrics,
      plot: 'utilisation',
      yMin: 0,
    },
    seed,
    outDir,
  );
  return { files: r.files };
};
export default run;
