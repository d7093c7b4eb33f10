import { createLogger } from '../../common/index.ts';
import { createAgent } from '../../agent/create.ts';
import { publicKeyFingerprint } from '../../security/plan-signing.ts';
import { BROKER_AUTH_HELP, BROKER_AUTH_OPTIONS, brokerAuthFrom, mavlinkKeyFrom, planVerifyKeyFrom } from '../broker-auth.ts';
import { int, oneOf, parse } from '../args.ts';
import { UsageError, type Command } from '../command.ts';
import { CLOCK_HELP, CLOCK_OPTIONS, clockFrom, SCENARIO_HELP, SCENARIO_OPTIONS, scenarioFrom } from '../common-options.ts';

const command: Command = {
  name: 'agent',
  summary: 'run the on-UAV agent: drives one autopilot, talks to the controller over MQTT',
  help: `Usage: uavmec agent --uav N --autopilot URL --broker URL [options]

Runs on the UAV's companion computer. Connects to the autopilot over MAVLink 2 (PX4 or
ArduPilot, real or SITL), executes the controller's plans inside the safety envelope, computes the
tasks assigned to this UAV and reports its twin state. Runs until Ctrl-C.

Options:
  --uav N            this UAV's id (1-based; also the autopilot's MAVLink system id to bind to)
  --autopilot URL    udp://:14540 (listen; PX4 SITL's offboard port), udpout://host:port,
                     tcp://127.0.0.1:5760 (ArduPilot SITL), serial:///dev/ttyACM0:921600
  --broker URL       mqtt://host:1883 or mqtts://host:8883
  --tlog FILE        record every MAVLink frame to this .tlog
  --state-dir DIR    persisted state (last plan, model, open tasks) and the on-disk outbox that
                     keeps telemetry and completions while the broker is unreachable; a restarted
                     agent resumes from it (default: none — in-memory only, a restart starts afresh)
  --models DIR       directory of ONNX actors that POLICY plans name by sha256 (default: none —
                     POLICY plans are refused with MODEL_UNAVAILABLE)
  --executor KIND    simulated (default: t = cycles/f on the clock) or worker (real work in worker
                     threads; the measured rate is reported as cpu_hz_measured)
  --threads N        worker threads for --executor worker (default 1)
  --hold-after-slots N   controller silent for more than N slots → hold (default 3)
  --rtl-after-slots M    controller silent for more than M slots → RTL (default 10; M > N)
  --plan-pubkey FILE     pin the controller's Ed25519 public key (SPKI PEM, plan-signing.pub): plans
                         that are unsigned, signed by another key, altered or replayed are nacked
                         (BAD_SIGNATURE / STALE_SEQ) and counted (default: none — plans are NOT
                         authenticated, and the agent warns so at start)
  --mavlink-key FILE     MAVLink 2 signing key (64 hex characters, mavlink-uav-<i>.key): sent to the
                         autopilot once with SETUP_SIGNING over --autopilot, which must be the direct
                         link (serial or loopback), then every frame is signed (default: unsigned)
${BROKER_AUTH_HELP}
${SCENARIO_HELP}
${CLOCK_HELP}

Stops on Ctrl-C or SIGTERM (setpoints stop; queued messages stay in the outbox).

Examples:
  uavmec agent --uav 1 --autopilot udp://:14540 --broker mqtt://10.0.0.2:1883        # PX4 SITL
  uavmec agent --uav 1 --autopilot udp://:14540 --broker mqtt://10.0.0.2:1883 --state-dir /var/lib/uavmec --models ./models --executor worker   # flight setup
  uavmec agent --uav 1 --autopilot tcp://127.0.0.1:5760 --broker mqtt://10.0.0.2:1883 # ArduPilot SITL
  uavmec agent --uav 1 --autopilot serial:///dev/ttyACM0:921600 --broker mqtts://10.0.0.2:8883 \\
    --ca secrets/ca.crt --cert secrets/uav-1.crt --key secrets/uav-1.key \\
    --plan-pubkey secrets/plan-signing.pub --mavlink-key secrets/mavlink-uav-1.key   # secure`,
  async run(argv) {
    const { values: v } = parse(argv, {
      uav: { type: 'string' },
      autopilot: { type: 'string' },
      broker: { type: 'string' },
      tlog: { type: 'string' },
      'state-dir': { type: 'string' },
      models: { type: 'string' },
      executor: { type: 'string' },
      threads: { type: 'string' },
      'hold-after-slots': { type: 'string' },
      'rtl-after-slots': { type: 'string' },
      'plan-pubkey': { type: 'string' },
      'mavlink-key': { type: 'string' },
      ...BROKER_AUTH_OPTIONS,
      ...SCENARIO_OPTIONS,
      ...CLOCK_OPTIONS,
    });
    if (!v.uav) throw new UsageError('--uav is required');
    if (!v.autopilot) throw new UsageError('--autopilot is required (e.g. udp://:14540 or tcp://127.0.0.1:5760)');
    if (!v.broker) throw new UsageError('--broker is required (e.g. mqtt://127.0.0.1:1883)');
    const uavId = int(v.uav, 'uav', 1, 1, 255);
    const executor = oneOf(v.executor, 'executor', ['simulated', 'worker'] as const, 'simulated');
    const holdAfterSlots = int(v['hold-after-slots'], 'hold-after-slots', 3, 1, 1_000_000);
    const rtlAfterSlots = int(v['rtl-after-slots'], 'rtl-after-slots', 10, 2, 1_000_000);
    if (rtlAfterSlots <= holdAfterSlots) throw new UsageError(`--rtl-after-slots (${rtlAfterSlots}) must exceed --hold-after-slots (${holdAfterSlots})`);
    const auth = brokerAuthFrom(v, v.broker);
    const planVerifyKey = v['plan-pubkey'] ? planVerifyKeyFrom(v['plan-pubkey']) : undefined;
    const mavlinkSigningKey = v['mavlink-key'] ? mavlinkKeyFrom(v['mavlink-key'], 'mavlink-key') : undefined;
    const clock = clockFrom(v);
    const log = createLogger({ name: `uav-${uavId}` });
    if (planVerifyKey) log.info({ fingerprint: publicKeyFingerprint(planVerifyKey) }, 'pinned controller key (compare with the controller\'s)');
    const agent = await createAgent({
      uavId, autopilotUrl: v.autopilot, clock, log, scenario: scenarioFrom(v),
      broker: { url: v.broker, ...auth },
      ...(planVerifyKey ? { planVerifyKey } : {}),
      ...(mavlinkSigningKey ? { mavlinkSigningKey } : {}),
      ...(v.tlog ? { tlogPath: v.tlog } : {}),
      ...(v['state-dir'] ? { stateDir: v['state-dir'] } : {}),
      ...(v.models ? { modelsDir: v.models } : {}),
      executor, workerThreads: int(v.threads, 'threads', 1, 1, 64),
      failsafe: { holdAfterSlots, rtlAfterSlots },
    });
    const up = await agent.vehicle.waitConnected(30_000);
    if (!up.ok) log.warn('no autopilot heartbeat yet; still waiting (check --autopilot and that the autopilot streams to this port)');
    else log.info({ flavour: up.value.flavour, sysid: up.value.sysid }, 'autopilot connected');
    log.info({ stateDir: v['state-dir'] ?? null, executor, resumed: agent.service.stats.resumed, lastSeq: agent.service.lastSeq }, 'agent running');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await agent.close();
    return 0;
  },
};
export default command;
