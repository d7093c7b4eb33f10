import path from 'node:path';
import { createLogger } from '../../common/index.ts';
import { recordMission } from '../../recorder/index.ts';
import { BROKER_AUTH_HELP, BROKER_AUTH_OPTIONS, brokerAuthFrom } from '../broker-auth.ts';
import { int, oneOf, parse } from '../args.ts';
import { TASK_MODEL_HELP } from '../../../sim/world/index.ts';
import { UsageError, type Command } from '../command.ts';
import { CLOCK_HELP, CLOCK_OPTIONS, clockFrom, SCENARIO_HELP, SCENARIO_OPTIONS, TASK_MODEL_OPTIONS, taskScenarioFrom } from '../common-options.ts';

const command: Command = {
  name: 'recorder',
  summary: 'record a mission flown as separate processes into a run folder (mqtt.rec, summary.json) for replay and report',
  help: `Usage: uavmec recorder --broker URL --out DIR [options]

Records a mission whose processes run separately (the README recipe: broker, sitl, agents, world,
controller): subscribes to uavmec/# and writes every message to DIR/mqtt.rec, as \`uavmec mission\`
does. When the controller closes the mission (its last PlanningInputs) and --grace-s more seconds
passed, or on Ctrl-C, it writes DIR/summary.json — per-slot metrics and totals counted by the
controller's own planning core replayed over the recording, plans and acks, each UAV's path and
energy from its twin states — so \`uavmec replay DIR\` and \`uavmec report DIR\` work on it. Start it
before the controller. It only reads: under TLS/ACL give it the read-only \`recorder\` identity
(\`uavmec keys --recorder\`).

Give it the same scenario and clock options as the mission's processes (the summary and replay
need the scenario: slots, slot length, channel, …).

Options:
  --broker URL      MQTT broker, mqtt://host:port or mqtts://host:port (required)
  --out DIR         the run folder to write (required), e.g. runs/2026-12-02-field
  --algo NAME       the controller's planner: cd-kkt, ao or al (default cd-kkt)
  --grace-s S       clock seconds to keep recording after the mission closed (default 2)
  --client-id ID    MQTT client id (default uavmec-recorder-<pid>)
${BROKER_AUTH_HELP}
${TASK_MODEL_HELP}
${SCENARIO_HELP}
${CLOCK_HELP}

Example:
  uavmec recorder --broker mqtt://127.0.0.1:1883 --out runs/field-1 --uavs 4 &
  uavmec controller --broker mqtt://127.0.0.1:1883 --uavs 4
  uavmec replay runs/field-1 && uavmec report runs/field-1`,
  async run(argv) {
    const { values: v } = parse(argv, {
      broker: { type: 'string' },
      out: { type: 'string' },
      algo: { type: 'string' },
      'grace-s': { type: 'string' },
      'client-id': { type: 'string' },
      ...TASK_MODEL_OPTIONS,
      ...BROKER_AUTH_OPTIONS,
      ...SCENARIO_OPTIONS,
      ...CLOCK_OPTIONS,
    });
    if (!v.broker) throw new UsageError('--broker is required');
    if (!v.out) throw new UsageError('--out DIR is required (the run folder to write)');
    const scenario = {
      ...taskScenarioFrom(v),
      algo: oneOf(v.algo, 'algo', ['cd-kkt', 'ao', 'al'] as const, 'cd-kkt'),
      broker: 'external',
    };
    const graceS = int(v['grace-s'], 'grace-s', 2, 0, 3600);
    const clock = clockFrom(v);
    const auth = brokerAuthFrom(v, v.broker);
    const log = createLogger({ name: 'recorder' });
    const stop = new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    let shown = 0;
    process.stderr.write(`recording uavmec/# from ${v.broker} into ${path.join(v.out, 'mqtt.rec')} (Ctrl-C to stop early)\n`);
    const r = await recordMission({
      broker: { url: v.broker, ...auth }, clientId: v['client-id'] ?? `uavmec-recorder-${process.pid}`, outDir: v.out, clock, log,
      scenario: scenario as unknown as Record<string, unknown>, graceS, stop,
      onMessage: (n) => {
        if (n - shown >= 1000) {
          shown = n;
          process.stderr.write(`· ${n} messages\n`);
        }
      },
    });
    if (!r.ok) {
      console.error(`uavmec recorder: ${r.detail ?? r.reason}`);
      return 1;
    }
    const t = r.value.totals;
    console.log(`${r.value.recording.messages} messages, ${r.value.slots.length} slots: DOR ${t.dor.toFixed(2)}, ${t.completed}/${t.released} tasks completed, plans ${t.plansAcked}/${t.plansSent} acked, ${t.missedWindow} requests late.`);
    console.log(`Run folder: ${v.out} (uavmec replay ${v.out}; uavmec report ${v.out})`);
    return 0;
  },
};
export default command;
