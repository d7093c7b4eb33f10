import { failoverRefusal, loadRun, type RunFolder } from '../../replay/recording.ts';
import { diverged, formatDivergence, formatReplay, replayRun } from '../../replay/replay.ts';
import { formatS0Replay, replayS0Run, S0_PLANNERS } from '../../replay/s0.ts';
import { REPLAY_PLANNERS, type ReplayPlanner } from '../../replay/replan.ts';
import { POOL_REPLAY_PLANNERS, poolConfigFromSummary, type PoolReplayPlanner } from '../../replay/pool-replan.ts';
import { oneOf, parse } from '../args.ts';
import { formatS2Replay, replayS2 } from '../../replay/s2.ts';
import { loadS2Actor } from '../../controller/s2/index.ts';
import { prepareS2Mission, S2_POLICIES } from '../../mission/s2.ts';
import { UsageError, type Command } from '../command.ts';

const PLANNERS = [...REPLAY_PLANNERS, ...POOL_REPLAY_PLANNERS] as const;

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

Dag runs (uavmec mission --tasks dag) also have computing-power-pool rounds (SPEC §5.3): each
round's DAG tasks and twin are rebuilt the same way (from the controller's planning-inputs event)
and re-planned with planPoolSlot; their plans are checked byte for byte too.

With --planner it also re-plans with that algorithm and prints its predicted metrics next to the
recorded planner's, per slot/round and in total:
- slot planners (slot plans): DOR (SPEC §5.1), energy (UAV compute + user transmission), utility
  (S0 Eq. 8), completions within the deadline and late tasks;
- pool planners (dag runs' pool rounds): max UAV energy (S1's objective), total energy, makespan
  (compute stage), completion time (collection + compute), mean task completion, waiting
  (collection wait + compute idle) and tasks completed, plus the recorded rounds as flown
  (summary.json pools and the recorded subtask completions).

Runs several planning cores planned — sharded controllers (mission --shards N) and failover
(mission --cluster N --controllers M, a leader killed) — are replayed core by core: each shard
and each leader tenure from its own recorded PlanningInputs (core_id, leader_epoch; a standby's
consumed messages and the leader's slots it followed, a shard's released UAVs), every plan of all
cores checked together; one line per core. Such a run recorded before PlanningInputs named their
core is refused (exit 1, saying why), as is --planner on it.

S2 runs (uavmec mission --system s2) are replayed from their recorded VideoSlot records: the
actor (the recorded file, sha256 checked) re-runs on every recorded observation, its action must
match bit for bit, and the decision, the UAVs' flight plans and the devices' splits are re-made and
checked against the recorded plans. --policy td3|ddpg|ppo|FILE also lets another S2 actor decide
the same observations (what-if), side by side.

Options:
  --policy P       (S2 runs) what-if actor: td3, ddpg, ppo or an S2 actor's .onnx file
  --planner NAME   what-if planner (default: none, check only):
                   slot: ${REPLAY_PLANNERS.join(', ')}
                     (cd-kkt/ao/al: SPEC §5.1 on S3's channel; coalition/grand/nash: S0's game)
                   pool (dag runs): ${POOL_REPLAY_PLANNERS.join(', ')}
                     (proposed = ga: the controller's P1/P2 alternation with the GA; heft: the
                     same P1 association with HEFT as P2; queue/region/distance/data: S1's baselines)
                   S0 runs (mission --system s0): coalition, grand, nash — the same recorded
                     requests and twin re-planned, next to the recorded planner and what flew
  --json           print the result as JSON (default: text)

Examples:
  uavmec replay runs/2026-11-21T05-52-34-112Z
  uavmec replay runs/2026-11-21T05-52-34-112Z --planner nash
  uavmec replay runs/2026-11-21T06-10-02-554Z --planner heft`,
  async run(argv) {
    const { values: v, positionals } = parse(argv, { planner: { type: 'string' }, json: { type: 'boolean' }, policy: { type: 'string' } }, true);
    if (positionals.length !== 1) throw new UsageError('give one run folder');
    const planner = v.planner === undefined ? undefined : oneOf<ReplayPlanner | PoolReplayPlanner>(v.planner, 'planner', PLANNERS, 'cd-kkt');
    const refusal = failoverRefusal(positionals[0]!);
    if (refusal) {
      console.error(`uavmec replay: ${refusal}`);
      return 1;
    }
    const run = loadRun(positionals[0]!);
    if (!run.ok) {
      console.error(`uavmec replay: ${run.detail ?? run.reason}`);
      return 1;
    }
    if (run.value.summary.s0) return replayS0(run.value, planner, v.json === true);
    if (run.value.summary.video) return replayS2Run(run.value, v.policy, v.json === true);
    if (v.policy !== undefined) throw new UsageError('--policy re-decides S2 runs (uavmec mission --system s2) only');
    if (planner && (POOL_REPLAY_PLANNERS as readonly string[]).includes(planner) && !poolConfigFromSummary(run.value.summary)) {
      throw new UsageError(`--planner ${planner} re-plans pool rounds; ${positionals[0]!} is not a dag run (uavmec mission --tasks dag)`);
    }
    let rep;
    try {
      rep = replayRun(run.value, planner);
    } catch (e) {
      console.error(`uavmec replay: ${(e as Error).message}`);
      return 1;
    }
    console.log(v.json ? JSON.stringify(rep, null, 2) : formatReplay(rep));
    return diverged(rep) ? 1 : 0;
  },
};
/** S2 runs: re-run the recorded actor on every recorded observation (and a what-if actor). */
async function replayS2Run(run: RunFolder, policy: string | undefined, json: boolean): Promise<number> {
  const video = run.summary.video!;
  const setup = await prepareS2Mission(video.model.file, { seed: 1, slots: 1 });
  if (!setup.ok) {
    console.error(`uavmec replay: the run's actor ${video.model.file}: ${setup.detail ?? setup.reason}`);
    return 1;
  }
  const other = policy === undefined ? undefined : await loadS2Actor((S2_POLICIES as Record<string, string>)[policy] ?? policy);
  try {
    if (other && !other.ok) throw new UsageError(`--policy ${policy}: ${other.detail ?? other.reason}`);
    const rep = await replayS2(run.dir, setup.value.env, setup.value.actor, other?.ok ? other.value : undefined);
    console.log(json ? JSON.stringify(rep, null, 2) : formatS2Replay(rep));
    return rep.reproduced === rep.slots.length && rep.slots.length > 0 ? 0 : 1;
  } finally {
    await setup.value.actor.release();
    if (other?.ok) await other.value.release();
  }
}

export default command;

/** S0 runs (`mission --system s0`): coalition plans re-made byte for byte; grand/nash/coalition what-ifs. */
function replayS0(run: RunFolder, planner: string | undefined, json: boolean): number {
  if (planner !== undefined && !(S0_PLANNERS as readonly string[]).includes(planner)) throw new UsageError(`--planner ${planner}: an S0 run re-plans with ${S0_PLANNERS.join(', ')}`);
  const rep = replayS0Run(run, planner as (typeof S0_PLANNERS)[number] | undefined);
  console.log(json ? JSON.stringify(rep, null, 2) : formatS0Replay(rep, formatDivergence(rep.check, 'slot')));
  return rep.check.first ? 1 : 0;
}
