import { createRng } from '../../../../core/rng.ts';
import { compileProblem, runGa, solveExact, syntheticProblem, fitnessOf, heft } from './index.ts';
for (const seed of [21, 22, 23, 24]) {
  const cp = compileProblem(syntheticProblem(createRng(seed), { tasks: 12, uavs: 3, levels: [1.5e9, 2.25e9, 3e9], perUser: 6, fixedMoveJ: [0, 300] }));
  const t0 = performance.now();
  const ex = await solveExact(cp, 60);
  const t1 = performance.now();
  const g = runGa(cp, createRng(seed), { population: 40, generations: 300 });
  console.log(seed, ex.status, ex.objective.toFixed(3), fitnessOf(cp, ex.assignment).toFixed(3), 'GA', g.fitness.toFixed(3), 'HEFT', fitnessOf(cp, heft(cp)).toFixed(3), ((t1 - t0) / 1000).toFixed(1) + 's');
}
