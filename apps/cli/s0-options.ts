/** `uavmec mission --system s0` options (issue 15): S0's coalitions flown end to end. */
import path from 'node:path';
import { int, num, oneOf, type OptionSpec } from './args.ts';
import { UsageError } from './command.ts';
import { missionSecurityFrom } from './mission-security.ts';
import { missionView } from './commands/mission-view.ts';
import { Progress } from '../common/progress.ts';
import { runMission } from '../mission/run.ts';
import { DEFAULT_WARM_START, prepareS0Mission } from '../mission/s0.ts';
import { formatS0Summary } from '../mission/s0-format.ts';
import { formatSecurity } from '../mission/summary.ts';
import { S0_DEFAULTS } from '../../sim/world/s0/index.ts';
import { WarmStartModel } from '../controller/s0/index.ts';

export const S0_OPTIONS = {
  system: { type: 'string' },
  planner: { type: 'string' },
  'warm-start': { type: 'string' },
  meds: { type: 'string' },
} as const satisfies OptionSpec;

/** Parsed `mission` option values. */
export type ParsedValues = Record<string, string | boolean | undefined>;

export const S0_HELP = `System:
  --system S         s3 (default: S3's offloading, everything above) or s0: S0's coalition game
                     (SPEC §5.6, scaled in time). The HAP keeps the twin of the MEDs and UAVs, corrects
                     each UAV's compute from measured shares, forms coalitions every slot and sends
                     each member its share (bits, bandwidth, CPU, deadline); UAVs outside every
                     coalition hover in energy-saving mode. ArduCopter SITL at 800 m over 1 km².
  s0 options (with --uavs, --slots, --slot-s, --seed, --realtime, --speed, --runs, --broker and the
  security options; lockstep by default):
  --meds N           MEDs issuing one request per slot (default ${S0_DEFAULTS.meds}; --uavs default ${S0_DEFAULTS.uavs},
                     --slots ${S0_DEFAULTS.slots}, --slot-s ${S0_DEFAULTS.slotS})
  --planner P        coalition (default), grand or nash (S0's baselines)
  --warm-start FILE  warm-start coalition formation with the generative model (onnxruntime), e.g.
                     ${DEFAULT_WARM_START}; default none (formation from singletons)`;

const S3_ONLY = ['trajectory', 'model', 'env-episodes', 'users', 'tasks', 'pool-every', 'algo', 'scenario'] as const;

/** Runs an S0 mission from the parsed `mission` options; returns the exit code. */
export async function runS0Mission(v: ParsedValues): Promise<number> {
  const given = S3_ONLY.filter((k) => v[k] !== undefined);
  if (given.length) throw new UsageError(`--${given.join(', --')}: not with --system s0 (its setting is S0's; see --help)`);
  if (v.flavour !== undefined && v.flavour !== 'ardupilot') throw new UsageError('--system s0 flies ArduCopter SITL only (PX4 returns at most 150 m high; S0 hovers at 800 m)');
  const planner = oneOf(v.planner, 'planner', ['coalition', 'grand', 'nash'] as const, 'coalition');
  const ws = typeof v['warm-start'] === 'string' && v['warm-start'] !== 'none' ? v['warm-start'] : undefined;
  if (ws && planner !== 'coalition') throw new UsageError('--warm-start applies to --planner coalition (grand and nash form no coalitions)');
  if (ws) {
    // Checked before anything starts: a bad model is one line, not a failed mission.
    const m = await WarmStartModel.load(ws);
    if (!m.ok) throw new UsageError(`--warm-start ${m.detail ?? m.reason} (the default model is ${DEFAULT_WARM_START})`);
    await m.value.close();
  }
  const setup = prepareS0Mission({
    seed: int(v.seed, 'seed', 1), uavs: int(v.uavs, 'uavs', S0_DEFAULTS.uavs, 1, 30), meds: int(v.meds, 'meds', S0_DEFAULTS.meds, 1, 30),
    slots: int(v.slots, 'slots', S0_DEFAULTS.slots, 1, 100_000), slotS: num(v['slot-s'], 'slot-s', S0_DEFAULTS.slotS, 1, 3600), planner, ...(ws ? { warmStart: ws } : {}),
  });
  if (!setup.ok) throw new UsageError(setup.detail ?? setup.reason);
  const s = setup.value;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const runDir = path.join(typeof v.runs === 'string' ? v.runs : 'runs', stamp);
  const progress = new Progress('s0 mission', s.setting.slots);
  // Lockstep by default, as every mission (issue 13): the HAP's formation, the shares' compute
  // and ONNX warm starts hold the clock, so load cannot bend the slots; --realtime/--speed fly on
  // a scaled wall clock.
  const realtime = v.realtime === true || v.speed !== undefined;
  if (realtime && v.deterministic === true) throw new UsageError('--deterministic and --realtime/--speed exclude each other: lockstep (the default) is the deterministic mode');
  const security = missionSecurityFrom(v);
  const view = missionView(v, s.scenario);
  const summary = await runMission({
    ...view.missionOptions,
    ...(security ? { security } : {}),
    scenario: s.scenario, s0: s, speed: num(v.speed, 'speed', 10, 0.1, 200), flavour: 'ardupilot', algo: 'cd-kkt', runDir,
    ...(typeof v.broker === 'string' ? { brokerUrl: v.broker } : {}), ...(realtime ? { clock: 'scaled' as const } : { clock: 'virtual' as const }),
    onPhase: (p) => process.stderr.write(`· ${p}\n`),
    onSlot: (m, k) => progress.update(k + 1, `${m.offloaded} MEDs served by ${m.servingUavs} UAVs`),
  });
  progress.done();
  await view.close();
  const r = summary.s0!;
  console.log(formatS0Summary(r));
  const sec = formatSecurity(summary);
  if (sec) console.log(sec);
  console.log(`\nRun folder: ${runDir}`);
  console.log(`Report: ${path.join(runDir, 'report.html')}`);
  if (summary.determinism) console.log(`Lockstep run: recording SHA-256 ${summary.determinism.recordingSha256}`);
  const t = r.totals;
  const ok = t.sharesComputed === t.sharesPlanned && t.sharesDuplicate === 0 && t.medsCompleted === t.servedMeds && summary.totals.plansAcked === summary.totals.plansSent;
  if (!ok) console.error('mission did not meet its checks: every share computed once, every served MED complete, every plan acked');
  return ok ? 0 : 1;
}
