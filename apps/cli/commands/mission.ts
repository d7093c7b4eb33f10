import path from 'node:path';
import { Progress } from '../../common/progress.ts';
import { runMission } from '../../mission/run.ts';
import { preparePolicyMission, type PolicyMissionSetup } from '../../mission/policy.ts';
import { DEFAULT_POLICY_MODEL } from '../../mission/policy-model.ts';
import { prepareS2Mission, S2_POLICIES, type S2MissionSetup } from '../../mission/s2.ts';
import { formatSummary } from '../../mission/summary.ts';
import { formatShards } from '../../mission/shards.ts';
import { formatSlotTiming } from '../../mission/timing.ts';
import { missionView, VIEW_HELP, VIEW_OPTIONS } from './mission-view.ts';
import { missionSecurityFrom } from '../mission-security.ts';
import { FAILOVER_HELP, FAILOVER_OPTIONS, runFailoverCommand, wantsFailover } from './mission-failover.ts';
import { int, num, oneOf, parse } from '../args.ts';
import { TASK_MODEL_HELP } from '../../../sim/world/index.ts';
import { UsageError, type Command } from '../command.ts';
import { brokerUrlsFrom } from '../broker-auth.ts';
import { runS0Mission, S0_HELP, S0_OPTIONS } from '../s0-options.ts';
import { SCENARIO_HELP, SCENARIO_OPTIONS, TASK_MODEL_OPTIONS, taskScenarioFrom } from '../common-options.ts';

const command: Command = {
  name: 'mission',
  summary: 'fly a whole mission on this machine (what `npm start` runs)',
  help: `Usage: uavmec mission [options]

Flies a complete UAV-MEC mission on this machine: an MQTT broker (embedded, on a free loopback
port, unless --broker is given), a SITL fleet speaking MAVLink 2 over UDP loopback, one agent per
UAV, the simulated users and the controller, in lockstep: simulated time advances only when every
participant has finished what is due (every MQTT message delivered and handled, every MAVLink
datagram, every ONNX inference), so the same scenario and --seed give the same summary, mqtt.rec
and .tlogs whether the machine is idle or saturated — it just takes the wall time it needs.
Prints a per-slot summary and writes runs/<timestamp>/ with summary.json, mqtt.rec (every MQTT
message, length-delimited uavmec.v1.RecordedMessage) and one MAVLink .tlog per UAV.

S2 (issue 18):
  --system s2        video streams with D2D offloading and transcoding (SPEC §5.4). A trained S2
                     actor on the controller (onnxruntime) decides every slot, from the digital
                     twin, each UAV's flight target and speed, CPU, price and transcoding level, each
                     busy device's split ε1/ε2/ε3 and idle partner, each idle device's CPU and price;
                     the UAVs receive and transcode their shares, idle devices compute theirs over
                     D2D, busy devices their local part. The scenario is the actor's training env (200 m
                     area, 100–200 m band, 10 busy + 10 idle devices, 5 UAVs, 1 s slots); the summary
                     sets the revenue Q (U_K, U_J, U_I) flown against the same actor in the env.
                     Lockstep like every mission (the actor's inference holds the clock, so machine
                     load cannot bend the 1 s slots); --realtime / --speed X fly on wall time × X
                     (default 2).
                     Scenario options other than --slots and --seed do not apply.
  --policy P         (s2) td3 (default, ${S2_POLICIES.td3}), ddpg, ppo (the baselines in
                     models/baselines/) or an S2 actor's .onnx file

Trajectories:
  --trajectory T     policy (default) or planner.
                     policy: the UAVs fly the trained S3 actors (FLIGHT_MODE_POLICY, each UAV its own
                     <model>.uav<k>.onnx, named in every plan by sha256; onnxruntime on the agent,
                     inside the safety envelope) and the controller decides offloading and allocation
                     (CD+KKT) from where they are. The scenario is the model's training env (its
                     metadata): its users, tasks, UAV capabilities, coverage angle, 50 × 50 m area,
                     10–20 m band, slot length, and start corners (the SITL vehicles stand there).
                     The summary sets the flight against the same actors in the env (DOR per slot,
                     positions): the sim-to-SITL gap, and against the oracle (straight flight to
                     the best static placement found, then hover). Scenario options other than --slots and --seed
                     do not apply.
                     planner: the controller's cluster planner (k-means hover targets, GOTO plans)
                     over the scenario below.
  --model BASE       policy model: BASE.uav0.onnx … (or BASE.onnx, one shared actor)
                     (default ${DEFAULT_POLICY_MODEL})
  --env-episodes N   env episodes averaged for the prediction (default 5)
  --slots N          (policy) slots to fly (default 100, at most the training episode length)

Options:
  --realtime         run on wall time × --speed instead of lockstep (what separate processes and
                     hardware in the loop need). A busy machine then changes the results: lateness
                     (real-time factor reached, timers' lag, requests that missed their slot's plan)
                     is shown as it flies and the summary says when the numbers are degraded
  --speed X          with --realtime: simulated seconds per wall second (default 10; policy: 4);
                     implies --realtime
  --flavour F        SITL autopilot flavour: ardupilot or px4 (default ardupilot)
  --algo NAME        offloading planner: cd-kkt, ao or al (default cd-kkt; policy: the env's)
  --broker URL       use this MQTT broker instead of the embedded one
  --runs DIR         where run folders go (default runs)
  --deterministic    accepted for compatibility: lockstep is the default (same scenario and --seed
                     → the same mqtt.rec and .tlogs, SHA-256 in summary.json "determinism"; health
                     messages' host CPU/RSS readings excepted)

Security (README, "Deploying securely"; default: off, an open loopback broker):
  --secure           run as a secure deployment: every process connects with its own identity
                     (controller, world, uav-<id>, recorder) and the broker enforces the ACL
                     generated from the topic table; the controller signs plans and the agents pin
                     its key; each agent provisions MAVLink 2 signing with its autopilot over the
                     direct link. Keys are ephemeral (made in memory for this run, never written)
                     unless --secrets is given
  --secrets DIR      use the keys in DIR from \`uavmec keys --fleet N --recorder\` (required with
                     --broker and --secure; implies --secure)
  --auth KIND        password or certificate: how processes log in to an external broker
                     (default password; the embedded broker takes passwords)
  --mavlink-signing on|off   MAVLink 2 signing in secure mode (default on)
${VIEW_HELP}
${FAILOVER_HELP}
  --shards N         N sharded controllers (issue 19 §3; planner trajectory, lockstep or --realtime):
                     the area is cut into N strips along x east, each controller plans the UAVs
                     over its strip and its users' tasks, hands a UAV to the next shard when it
                     crosses the border (a Handover message with its twin state), and sends UAVs
                     to a strip short of them; shard 1 keeps the slot clock and publishes the
                     merged fleet picture. The summary lists each shard's books and the handovers
                     (docs/failover.md, "Sharded controllers")
${TASK_MODEL_HELP}
${S0_HELP}
${SCENARIO_HELP}

Examples:
  uavmec mission                                   (= npm start: the trained S3 policy)
  uavmec mission --system s2                       (S2: TD3 on the controller; --policy ppo for a baseline)
  uavmec mission --model runs/my-s3 --slots 100     (actors from uavmec train maddpg --env s3 --out runs/my-s3.onnx)
  uavmec mission --trajectory planner --uavs 6 --users 40 --slots 120 --flavour px4
  uavmec mission --trajectory planner --secure --uavs 2 --slots 20
  uavmec mission --trajectory planner --uavs 2 --users 10 --slots 4 --seed 11
  uavmec mission --realtime --speed 4              (real time: lateness shown, summary says if degraded)
  uavmec mission --trajectory planner --tasks dag --uavs 3 --users 6 --slots 40 --pool-every 40
  uavmec keys --fleet 2 --recorder --out ./secrets --bind 127.0.0.1 && mosquitto -c ./secrets/mosquitto.conf &
  uavmec mission --trajectory planner --uavs 2 --broker mqtts://127.0.0.1:8884 --secrets ./secrets
  uavmec mission --trajectory planner --cluster 3 --controllers 2 --uavs 6 --slots 24 --speed 1 --chaos leader@6,restart@10,broker@14`,
  async run(argv) {
    const { values: v } = parse(argv, {
      speed: { type: 'string' },
      flavour: { type: 'string' },
      algo: { type: 'string' },
      broker: { type: 'string' },
      runs: { type: 'string' },
      secure: { type: 'boolean' },
      secrets: { type: 'string' },
      auth: { type: 'string' },
      'mavlink-signing': { type: 'string' },
      ...TASK_MODEL_OPTIONS,
      deterministic: { type: 'boolean' },
      realtime: { type: 'boolean' },
      trajectory: { type: 'string' },
      model: { type: 'string' },
      'env-episodes': { type: 'string' },
      policy: { type: 'string' },
      shards: { type: 'string' },
      ...VIEW_OPTIONS,
      ...FAILOVER_OPTIONS,
      ...SCENARIO_OPTIONS,
      ...S0_OPTIONS,
    });
    const system = oneOf(v.system, 'system', ['s3', 's0', 's2'] as const, 's3');
    if (wantsFailover(v)) {
      if (system !== 's3') throw new UsageError('--cluster/--controllers/--chaos run the S3 planner mission; not with --system s0 or s2');
      return runFailoverCommand(v);
    }
    if (system === 's0') return runS0Mission(v);
    if (system === 's2') return runS2(v);
    if (v.policy !== undefined) throw new UsageError('--policy needs --system s2 (S3 models: --model)');
    const s0Only = (['planner', 'warm-start', 'meds'] as const).filter((k) => v[k] !== undefined);
    if (s0Only.length) throw new UsageError(`--${s0Only.join(', --')} need --system s0`);
    const trajectory = oneOf(v.trajectory, 'trajectory', ['policy', 'planner'] as const, 'policy');
    const shards = int(v.shards, 'shards', 1, 1, 8);
    if (shards > 1 && (trajectory !== 'planner' || v.tasks === 'dag')) throw new UsageError('--shards flies the planner trajectory with independent tasks: use --trajectory planner');
    if (typeof v.broker === 'string') brokerUrlsFrom(v.broker);
    const realtime = v.realtime === true || v.speed !== undefined;
    if (realtime && v.deterministic === true) throw new UsageError('--deterministic and --realtime/--speed exclude each other: lockstep (the default) is the deterministic mode');
    const security = missionSecurityFrom(v);
    let policy: PolicyMissionSetup | undefined;
    let scenario;
    if (trajectory === 'policy') {
      const given = (['scenario', 'uavs', 'users', 'slot-s', 'tasks', 'pool-every'] as const).filter((k) => v[k] !== undefined);
      if (given.length) throw new UsageError(`--${given.join(', --')}: a policy mission's scenario comes from the model's training env; use --trajectory planner for your own scenario`);
      const model = v.model ?? DEFAULT_POLICY_MODEL;
      const p = preparePolicyMission(model, { seed: int(v.seed, 'seed', 1), ...(v.slots !== undefined ? { slots: int(v.slots, 'slots', 1, 1, 1_000_000) } : {}) });
      if (!p.ok) throw new UsageError(`--model ${model}: ${p.detail ?? p.reason}`);
      policy = p.value;
      scenario = policy.scenario;
    } else {
      if (v.model !== undefined || v['env-episodes'] !== undefined) throw new UsageError('--model and --env-episodes need --trajectory policy');
      scenario = taskScenarioFrom(v);
    }
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const runDir = path.join(v.runs ?? 'runs', stamp);
    const progress = new Progress('mission', scenario.slots);
    let timingNote = '';
    const view = missionView(v, scenario);
    const summary = await runMission({
      ...view.missionOptions,
      scenario,
      ...(realtime ? { clock: 'scaled' as const, speed: num(v.speed, 'speed', policy ? 4 : 10, 0.1, 200) } : { clock: 'virtual' as const }),
      flavour: oneOf(v.flavour, 'flavour', ['ardupilot', 'px4'] as const, 'ardupilot'),
      algo: oneOf(v.algo, 'algo', ['cd-kkt', 'ao', 'al'] as const, policy?.model.env.planner ?? 'cd-kkt'),
      ...(policy ? { policy, envEpisodes: int(v['env-episodes'], 'env-episodes', 5, 1, 1000) } : {}),
      ...(v.broker ? { brokerUrl: v.broker } : {}),
      ...(security ? { security } : {}),
      runDir,
      ...(shards > 1 ? { shards } : {}),
      onTiming: (t) => {
        timingNote = formatSlotTiming(t);
        if ((t.lateRequestsPrevSlot ?? 0) > 0 || t.maxLagMs > 100 * scenario.slotS) process.stderr.write(`\n! slot ${t.slot}: ${timingNote}\n`);
      },
      onPhase: (p) => process.stderr.write(`· ${p}\n`),
      onSlot: (m, k) => progress.update(k + 1, `${scenario.taskModel === 'dag' ? `${m.servingUavs} UAVs serving` : `planned DOR ${m.predictedDor.toFixed(2)}, ${m.servingUavs} UAVs serving`}${timingNote ? `; ${timingNote}` : ''}`),
    });
    progress.done();
    await view.close();
    console.log(formatSummary(summary));
    if (summary.shards) console.log(formatShards(summary.shards));
    console.log(`\nRun folder: ${runDir}`);
    console.log(`Report: ${path.join(runDir, 'report.html')}`);
    if (summary.determinism) console.log(`Lockstep run: recording SHA-256 ${summary.determinism.recordingSha256}${summary.determinism.stalls ? ` (${summary.determinism.stalls} stalls: not reproducible)` : ''}`);
    const t = summary.totals;
    if (summary.timing?.degraded) console.error(`${t.missedWindow} of ${t.released} task requests missed their slot's plan: the machine could not keep up with --speed ${summary.timing.speed}; run in lockstep (without --realtime/--speed) or try a lower speed`);
    const pools = summary.pools ?? [];
    const worked = scenario.taskModel === 'dag' ? pools.length > 0 && pools.every((p) => p.finished) && t.failed === 0 : t.dor > 0;
    const ok = worked && t.plansAcked === t.plansSent && summary.uavs.every((u) => u.distanceM > 1);
    if (!ok) console.error(`mission did not meet its checks: ${scenario.taskModel === 'dag' ? 'every pool round finished, no task failed' : 'DOR > 0'}, every plan acked, every UAV moved`);
    return ok ? 0 : 1;
  },
};

/** `--system s2`: the S2 mission (apps/mission/s2.ts). */
async function runS2(v: Record<string, string | boolean | undefined>): Promise<number> {
  const given = ['scenario', 'uavs', 'users', 'slot-s', 'tasks', 'pool-every', 'trajectory', 'model', 'algo'].filter((k) => v[k] !== undefined);
  if (given.length) throw new UsageError(`--${given.join(', --')}: an S2 mission's scenario and planner come from its actor's training env; it takes --policy, --slots, --seed, --realtime, --speed, --flavour, --broker, --runs, --env-episodes and the security options`);
  const security = missionSecurityFrom(v);
  // Lockstep by default (the actor's inference holds the clock: load cannot bend the slots); --realtime or --speed fly on a scaled wall clock.
  const virtual = v.realtime !== true && v.speed === undefined;
  const policy = typeof v.policy === 'string' ? v.policy : 'td3';
  const seed = int(v.seed as string | undefined, 'seed', 1);
  const slots = v.slots !== undefined ? int(v.slots as string, 'slots', 1, 1, 100_000) : undefined;
  const p = await prepareS2Mission(policy, { seed, ...(slots !== undefined ? { slots } : {}) });
  if (!p.ok) throw new UsageError(`--policy ${policy}: ${p.detail ?? p.reason}`);
  const setup: S2MissionSetup = p.value;
  try {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const runDir = path.join((v.runs as string | undefined) ?? 'runs', stamp);
    const progress = new Progress('mission', setup.scenario.slots);
    const summary = await runMission({
      ...(security ? { security } : {}),
      scenario: setup.scenario, video: setup, speed: num(v.speed as string | undefined, 'speed', 2, 0.1, 200),
      flavour: oneOf(v.flavour as string | undefined, 'flavour', ['ardupilot', 'px4'] as const, 'ardupilot'), algo: 'cd-kkt',
      envEpisodes: int(v['env-episodes'] as string | undefined, 'env-episodes', 5, 1, 1000),
      ...(v.broker ? { brokerUrl: v.broker as string } : {}), ...(virtual ? { clock: 'virtual' as const } : {}),
      runDir, onPhase: (ph) => process.stderr.write(`· ${ph}\n`), onSlot: (m, k) => progress.update(k + 1, `${m.servingUavs} UAVs serving`),
    });
    progress.done();
    console.log(formatSummary(summary));
    console.log(`\nRun folder: ${runDir}`);
    console.log(`Report: ${path.join(runDir, 'report.html')}`);
    const t = summary.totals, vs = summary.video;
    const ok = !!vs && vs.parts.done === vs.parts.planned && vs.parts.duplicates === 0 && t.plansAcked === t.plansSent && summary.uavs.every((u) => u.distanceM > 1);
    if (!ok) console.error('mission did not meet its checks: every segment part completed once, every plan acked, every UAV moved');
    return ok ? 0 : 1;
  } finally {
    await setup.actor.release();
  }
}

export default command;
