/** S0 Fig. 11: mean participant utility u_j (S0 Eq. 10) vs MED deadline τ, 10 UAVs. */
import type { ExperimentRun } from '../registry.ts';
import { writeSweep } from '../sweep.ts';
import { S0_ALGOS, S0_LABELS, s0Instance, s0Metrics } from './common.ts';

const run: ExperimentRun = async ({ seed, outDir, quick }) => {
  const r = await writeSweep(
    {
      name: 's0-fig11-utility-vs-deadline',
      title: 'S0 Fig. 11 — participant utility vs deadline (10 UAVs)',
      xName: 'deadline_s',
      xLabel: 'deadline τ (s)',
      yLabel: 'mean participant utility u_j',
      xs: quick ? [0.15, 0.3, 0.5] : [0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5],
      trials: quick ? 6 : 60,
      algos: S0_ALGOS,
      labels: S0_LABELS,
      instance: (rng, x) => s0Instance(rng, { uavs: 10, deadlineS: [x, x] }),
      measure: s0Metrics,
      plot: 'participant_utility',
    },
    seed,
    outDir,
  );
  return { files: r.files };
};
export default run;
