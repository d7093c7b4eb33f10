/**
 * Options shared by the commands that take part in a mission: the scenario (fleet, users, slots,
 * radio), the clock and the broker.
 */
import fs from 'node:fs';
import { DEFAULT_POOL_EVERY_SLOTS, defaultScenario, validateScenario, type Scenario } from '../../sim/world/index.ts';
import { int, num, oneOf, type OptionSpec } from './args.ts';
import { UsageError } from './command.ts';

export { CLOCK_HELP, CLOCK_OPTIONS, clockFrom } from './clock-options.ts';

export const SCENARIO_OPTIONS = {
  scenario: { type: 'string' },
  uavs: { type: 'string' },
  users: { type: 'string' },
  slots: { type: 'string' },
  'slot-s': { type: 'string' },
  seed: { type: 'string' },
  area: { type: 'string' },
} as const satisfies OptionSpec;

export const SCENARIO_HELP = `Scenario (defaults: paper S3's setting, see README):
  --scenario FILE   JSON object overriding fields of the default scenario (sim/world/scenario.ts)
  --uavs N          number of UAVs (default 4)
  --users N         number of user devices (default 20)
  --slots N         number of slots (default 60)
  --slot-s S        slot length in seconds (default 2)
  --seed N          random seed (default 1)
  --area M          side of the square mission area, m (default 150; the scenario's areaM): the
                    users stand in it, the agents' fence is it + 20 m, and the UAVs take off from
                    launch pads 6 m apart in rows inside it (at most 676 in 150 m)`;

export function scenarioFrom(v: Record<string, string | boolean | undefined>): Scenario {
  let base: Partial<Scenario> = {};
  if (typeof v.scenario === 'string') {
    try {
      base = JSON.parse(fs.readFileSync(v.scenario, 'utf8')) as Partial<Scenario>;
    } catch (e) {
      throw new UsageError(`cannot read scenario file '${v.scenario}': ${(e as Error).message}`);
    }
  }
  const s = defaultScenario(base);
  s.uavs = int(v.uavs, 'uavs', s.uavs, 1, 250);
  s.users = int(v.users, 'users', s.users, 0, 100_000);
  s.slots = int(v.slots, 'slots', s.slots, 1, 1_000_000);
  s.slotS = num(v['slot-s'], 'slot-s', s.slotS, 0.05, 3600);
  s.seed = int(v.seed, 'seed', s.seed);
  s.areaM = num(v.area, 'area', s.areaM, 10, 100_000);
  const bad = validateScenario(s);
  if (bad) throw new UsageError(`scenario: ${bad}`);
  return s;
}

/** `--tasks` and `--pool-every` (help text: TASK_MODEL_HELP in sim/world). */
export const TASK_MODEL_OPTIONS = {
  tasks: { type: 'string' },
  'pool-every': { type: 'string' },
} as const satisfies OptionSpec;

/** The scenario options plus the task model (independent S3 tasks or S1's dag pool rounds). */
export function taskScenarioFrom(v: Record<string, string | boolean | undefined>): Scenario {
  const base = scenarioFrom(v);
  const tasks = typeof v.tasks === 'string' ? v.tasks : undefined;
  const every = typeof v['pool-every'] === 'string' ? v['pool-every'] : undefined;
  return {
    ...base,
    taskModel: oneOf(tasks, 'tasks', ['independent', 'dag'] as const, base.taskModel ?? 'independent'),
    poolEverySlots: int(every, 'pool-every', base.poolEverySlots ?? DEFAULT_POOL_EVERY_SLOTS, 1),
  };
}
