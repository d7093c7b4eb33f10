import { loadRun } from '../../replay/recording.ts';
import { formatReplay, replayRun } from '../../replay/replay.ts';
import { REPLAY_PLANNERS, type ReplayPlanner } from '../../replay/replan.ts';
import { oneOf, parse } from '../args.ts';
import { UsageError, type Command } from '../command.ts';

const command: Command = {
  name: 'replay',
  summary: 'replay a recorded run: check the plans are reproduced byte for byte, or re-plan it with another planner',
  help: `Usage: uavmec replay <run-dir> [--planner NAME] [--json]

Feeds a recorded mission (<run-dir>/mqtt.rec + summary.json) into a fresh, pure re-planner on a
simulated (manual) clock — as fast as the CPU allows. For every slot it rebuilds what the controller
knew when it planned (the twin states and task requests received before the recorded plans'
valid_from_t_us, the twin's fidelity from completions) and re-runs the slot planner at the
recorded planning time. By default it checks that every re-made plan is byte-identical to the
recorded one (encoded under the recorded header) and reports the first divergence: slot, UAV,
byte offset and field. Exit code 1 when any plan differs.

With --planner it also re-plans every slot with that algorithm and prints its predicted metrics
next to the recorded planner's, per slot and in total: DOR (SPEC §5.1), energy (UAV compute +
user transmission), utility (S0 Eq. 8), completions within the deadline and late tasks.

Options:
  --planner NAME   what-if planner: ${REPLAY_PLANNERS.join(', ')} (default: none, check only)
                   (cd-kkt/ao/al: SPEC §5.1 on S3's channel; coalition/grand/nash: S0's game)
  --json           print the result as JSON (default: text)

Examples:
  uavmec replay runs/2026-11-21T05-52-34-112Z
  uavmec replay runs/2026-11-21T05-52-34-112Z --planner nash`,
  async run(argv) {
    const { values: v, positionals } = parse(argv, { planner: { type: 'string' }, json: { type: 'boolean' } }, true);
    if (positionals.length !== 1) throw new UsageError('give one run folder');
    const planner = v.planner === undefined ? undefined : oneOf<ReplayPlanner>(v.planner, 'planner', REPLAY_PLANNERS, 'cd-kkt');
    const run = loadRun(positionals[0]!);
    if (!run.ok) {
      console.error(`uavmec replay: ${run.detail ?? run.reason}`);
      return 1;
    }
    const rep = replayRun(run.value, planner);
    console.log(v.json ? JSON.stringify(rep, null, 2) : formatReplay(rep));
    return rep.check.first ? 1 : 0;
  },
};
export default command;
