/**
 * `uavmec experiment` — regenerates a paper figure: runs a registered experiment
 * (apps/experiments/registry.ts) and writes its CSV + SVG files.
 */
import { UsageError, type Command } from '../command.ts';
import { int, parse } from '../args.ts';
import { EXPERIMENTS, findExperiment } from '../../experiments/registry.ts';

const help = `Usage: uavmec experiment <name> [options]
       uavmec experiment --list

Runs one experiment — a reproduction of a paper figure on seeded synthetic instances — and writes
its data (CSV) and plot (SVG) into the output folder, then prints the written paths.

Options:
  --list            list the experiments with a one-line description, and exit
  --out <dir>       output folder (default docs/figures)
  --seed <n>        root seed; every instance derives from it (default 1)
  --quick           fewer instances and points (same files and columns), for smoke tests
  --cached-only     learning experiments: train nothing, use only the runs already cached in
                    runs/learning (a learner without any is left out; the seeds column says how
                    many each row has)

Examples:
  uavmec experiment --list
  uavmec experiment s0-fig9 --out docs/figures
  uavmec experiment s3-dor-users --quick --out /tmp/figs`;

const command: Command = {
  name: 'experiment',
  summary: 'regenerate a paper figure (CSV + SVG): uavmec experiment --list shows them',
  help,
  async run(argv) {
    const { values, positionals } = parse(argv, { list: { type: 'boolean' }, out: { type: 'string' }, seed: { type: 'string' }, quick: { type: 'boolean' }, 'cached-only': { type: 'boolean' } }, true);
    if (values.list) {
      const w = Math.max(8, ...EXPERIMENTS.map((e) => e.name.length));
      for (const e of EXPERIMENTS) console.log(`${e.name.padEnd(w)}  ${e.description}`);
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'name an experiment (uavmec experiment --list shows them)' : `one experiment at a time, got ${positionals.join(' ')}`);
    const name = positionals[0]!;
    const exp = findExperiment(name);
    if (!exp) throw new UsageError(`unknown experiment '${name}'; known: ${EXPERIMENTS.map((e) => e.name).join(', ') || '(none)'}`);
    const seed = int(values.seed, 'seed', 1, 0, 2 ** 31 - 1);
    const outDir = typeof values.out === 'string' ? values.out : 'docs/figures';
    const t0 = performance.now();
    const { files } = await exp.run({ seed, outDir, quick: values.quick === true, cachedOnly: values['cached-only'] === true });
    for (const f of files) console.log(f);
    console.error(`uavmec experiment ${name}: ${files.length} file(s) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return 0;
  },
};

export default command;
