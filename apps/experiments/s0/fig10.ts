/** S0 Fig. 10: total energy (S0 Eq. 7) vs task complexity ϑ (cycles/bit), 10 UAVs. */
import type { ExperimentRun } from '../registry.ts';
import { writeSweep } from '../sweep.ts';
import { S0_ALGOS, S0_LABELS, s0Instance, s0Metrics } from './common.ts';

const run: ExperimentRun = async ({ seed, outDir, quick }) => {
  const r = await writeSweep(
    {
      name: 's0-fig10-energy-vs-complexity',
      title: 'S0 Fig. 10 — total energy vs task complexity ϑ (10 UAVs)',
      xName: 'cycles_per_bit',
      xLabel: 'task complexity ϑ (cycles/bit)',
      yLabel: 'total energy E_tr + E_cp + E_h (J)',
      xs: quick ? [50, 175, 300] : [50, 100, 150, 200, 250, 300],
      trials: quick ? 6 : 60,
      algos: S0_ALGOS,
      labels: S0_LABELS,
      instance: (rng, x) => s0Instance(rng, { uavs: 10, cyclesPerBit: [x, x] }),
      measure: s0Metrics,
      plot: 'energy_j',
      yMin: 0,
    },
    seed,
    outDir,
  );
  return { files: r.files };
};
export default run;
