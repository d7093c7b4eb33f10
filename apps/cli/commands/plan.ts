/**
 * `uavmec plan` — plans one slot for a JSON instance (docs/instance-schema.md) and prints the plan
 * and its objective as JSON. Offload instances: CD + KKT / AO / AL (SPEC §5.1); coalition
 * instances: TU coalition formation / grand coalition / Nash (SPEC §5.2).
 */
import { readFile } from 'node:fs/promises';
import { UsageError, type Command } from '../command.ts';
import { oneOf, parse } from '../args.ts';
import { defaultAlgo, parseInstance, PLAN_ALGOS, solve, type PlanAlgo } from '../../../engines/planning/instance.ts';

const help = `Usage: uavmec plan --input <instance.json> [options]

Plans one slot for the instance and prints JSON to stdout:
  { "kind", "algo", "objective": { "name", "value" }, "plan": { … } }
The instance is either an offloading instance ("users" + "uavs"; objective: DOR, SPEC §5.1) or a
coalition-game instance ("meds" + "uavs"; objective: the serving coalitions' total worth
Σ v(g), SPEC §5.2). Its schema is in docs/instance-schema.md; examples in docs/examples/.

Options:
  --input <file>     instance JSON file (required; "-" reads stdin)
  --algo <name>      offload:   cd-kkt (coordinate descent + KKT) | ao (all offload) | al (all local)
                     coalition: coalition (TU merge/split/switch/exchange) | grand | nash
                     (default: cd-kkt for offload instances, coalition for coalition instances)
  --compact          print the JSON on one line (default: indented)

Exit codes: 0 planned, 1 invalid instance or unreadable file, 2 usage error.

Examples:
  uavmec plan --input docs/examples/instance.json
  uavmec plan --input docs/examples/instance.json --algo ao
  uavmec plan --input docs/examples/coalition-instance.json --algo nash --compact`;

async function readInput(path: string): Promise<string> {
  if (path !== '-') return readFile(path, 'utf8');
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const command: Command = {
  name: 'plan',
  summary: 'plan one slot for a JSON instance (CD+KKT, AO, AL, coalition game, grand, Nash) and print it as JSON',
  help,
  async run(argv) {
    const { values } = parse(argv, { input: { type: 'string' }, algo: { type: 'string' }, compact: { type: 'boolean' } });
    if (values.input === undefined) throw new UsageError('--input <instance.json> is required');
    const algo = values.algo === undefined ? undefined : oneOf<PlanAlgo>(values.algo, 'algo', PLAN_ALGOS, 'cd-kkt');
    let text: string;
    try {
      text = await readInput(values.input);
    } catch (e) {
      console.error(`uavmec plan: cannot read ${values.input}: ${(e as Error).message}`);
      return 1;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      console.error(`uavmec plan: ${values.input} is not valid JSON: ${(e as Error).message}`);
      return 1;
    }
    const parsed = parseInstance(raw);
    if (!parsed.ok) {
      console.error(`uavmec plan: invalid instance in ${values.input}: ${parsed.detail ?? parsed.reason}`);
      return 1;
    }
    const out = solve(parsed.value, algo ?? defaultAlgo(parsed.value.kind));
    if (!out.ok) throw new UsageError(out.detail ?? out.reason);
    console.log(JSON.stringify(out.value, null, values.compact ? undefined : 2));
    return 0;
  },
};

export default command;
