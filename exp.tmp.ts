import { createRng } from './core/rng.ts';
import { generateS3Instance, gridHover, planOffloading } from './engines/planning/offload/index.ts';
import { prepare } from './engines/planning/offload/prepare.ts';
for (const [K, N] of [[100, 1000], [300, 3000], [1000, 10000]] as const) {
  const area = 50 * Math.sqrt(K / 4);
  const inst = generateS3Instance(createRng(1000), { users: N, uavs: K, areaM: area, uavPositions: gridHover(K, area, 15) });
  planOffloading(inst);
  const ts: number[] = [];
  for (let r = 0; r < 3; r++) { const t0 = performance.now(); planOffloading(inst); ts.push(performance.now() - t0); }
  const t1 = performance.now(); const p = prepare(inst); const tp = performance.now() - t1;
  const opts = p.options.reduce((s, o) => s + o.length, 0) / N;
  console.log(K, N, ts.map((t) => t.toFixed(0)).join(' '), 'ms; prepare', tp.toFixed(0), 'ms; options/user', opts.toFixed(1), 'rss MB', (process.memoryUsage().rss / 1e6).toFixed(0));
}
