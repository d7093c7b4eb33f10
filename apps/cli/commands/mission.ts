import path from 'node:path';
import { Progress } from '../../common/progress.ts';
import { runMission } from '../../mission/run.ts';
import { formatSummary } from '../../mission/summary.ts';
import { num, oneOf, parse } from '../args.ts';
import type { Command } from '../command.ts';
import { SCENARIO_HELP, SCENARIO_OPTIONS, scenarioFrom } from '../common-options.ts';

const command: Command = {
  name: 'mission',
  summary: 'fly a whole mission on this machine (what `npm start` runs)',
  help: `Usage: uavmec mission [options]

Flies a complete UAV-MEC mission on this machine: an MQTT broker (embedded, on a free loopback
port, unless --broker is given), a SITL fleet speaking MAVLink 2 over UDP loopback, one agent per
UAV, the simulated users and the controller, on an accelerated clock. Prints a per-slot summary
and writes runs/<timestamp>/ with summary.json, mqtt.rec (every MQTT message, length-delimited
uavmec.v1.RecordedMessage) and one MAVLink .tlog per UAV.

Options:
  --speed X          simulated seconds per wall second (default 10)
  --flavour F        SITL autopilot flavour: ardupilot or px4 (default ardupilot)
  --algo NAME        planner: cd-kkt, ao or al (default cd-kkt)
  --broker URL       use this MQTT broker instead of the embedded one
  --runs DIR         where run folders go (default runs)
${SCENARIO_HELP}

Example:
  uavmec mission --uavs 6 --users 40 --slots 120 --flavour px4`,
  async run(argv) {
    const { values: v } = parse(argv, {
      speed: { type: 'string' },
      flavour: { type: 'string' },
      algo: { type: 'string' },
      broker: { type: 'string' },
      runs: { type: 'string' },
      ...SCENARIO_OPTIONS,
    });
    const scenario = scenarioFrom(v);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const runDir = path.join(v.runs ?? 'runs', stamp);
    const progress = new Progress('mission', scenario.slots);
    const summary = await runMission({
      scenario,
      speed: num(v.speed, 'speed', 10, 0.1, 200),
      flavour: oneOf(v.flavour, 'flavour', ['ardupilot', 'px4'] as const, 'ardupilot'),
      algo: oneOf(v.algo, 'algo', ['cd-kkt', 'ao', 'al'] as const, 'cd-kkt'),
      ...(v.broker ? { brokerUrl: v.broker } : {}),
      runDir,
      onPhase: (p) => process.stderr.write(`· ${p}\n`),
      onSlot: (m, k) => progress.update(k + 1, `planned DOR ${m.predictedDor.toFixed(2)}, ${m.servingUavs} UAVs serving`),
    });
    progress.done();
    console.log(formatSummary(summary));
    console.log(`\nRun folder: ${runDir}`);
    console.log(`Report: ${path.join(runDir, 'report.html')}`);
    const t = summary.totals;
    const ok = t.dor > 0 && t.plansAcked === t.plansSent && summary.uavs.every((u) => u.distanceM > 1);
    if (!ok) console.error('mission did not meet its checks: DOR > 0, every plan acked, every UAV moved');
    return ok ? 0 : 1;
  },
};
export default command;
