import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../common/log.ts';
import { createAgent } from '../../agent/create.ts';
import { parseTransportUrl } from '../../../firmware-bridge/transport/index.ts';
import { readProfileFile } from '../../agent/profile/index.ts';
import { parseQgcPlanFence } from '../../agent/safety/index.ts';
import { AgentStartError, defaultLockDir } from '../../agent/start/index.ts';
import { publicKeyFingerprint } from '../../security/plan-signing.ts';
import { BROKER_AUTH_HELP, BROKER_AUTH_OPTIONS, brokerAuthFrom, mavlinkKeyFrom, planVerifyKeyFrom } from '../broker-auth.ts';
import { int, num, oneOf, parse } from '../args.ts';
import { CommandError, UsageError, type Command } from '../command.ts';
import { CLOCK_HELP, CLOCK_OPTIONS, clockFrom } from '../clock-options.ts';

/** Default state directory: systemd's StateDirectory, else ~/.local/state/uavmec; one subfolder per UAV. */
function defaultStateDir(uavId: number): string {
  const base = process.env.STATE_DIRECTORY ?? path.join(process.env.XDG_STATE_HOME ?? path.join(os.homedir(), '.local', 'state'), 'uavmec');
  return path.join(base, `uav-${uavId}`);
}

/** Simulated ms per wall ms of --speed (the heartbeat wait is on the agent's clock). */
function clockSpeed(v: Record<string, string | boolean | undefined>): number {
  return typeof v.speed === 'string' ? Number(v.speed) : 1;
}

function ensureDir(dir: string): string {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o750 });
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (e) {
    throw new CommandError(`state directory ${dir} is not writable (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): give --state-dir DIR you may write, or --no-state`);
  }
  return dir;
}

/** `--fence FILE.plan`: the QGroundControl geofence about the profile's origin. */
function fenceFrom(file: string, origin: { lat_deg: number; lon_deg: number }) {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`--fence: cannot read '${file}': ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  const r = parseQgcPlanFence(text, { latDeg: origin.lat_deg, lonDeg: origin.lon_deg });
  if (!r.ok) throw new UsageError(`--fence '${file}': ${r.detail ?? r.reason}`);
  return r.value.fence;
}

const command: Command = {
  name: 'agent',
  summary: 'run the on-UAV agent: drives one autopilot, talks to the controller over MQTT',
  help: `Usage: uavmec agent --uav N --profile FILE --autopilot URL --broker URL [options]

Runs on the UAV's companion computer. Connects to the autopilot over MAVLink 2 (PX4 or
ArduPilot, real or SITL), executes the controller's plans inside the safety envelope, computes the
tasks assigned to this UAV and reports its twin state. Runs until Ctrl-C.

Start-up, in this order (each failure is one line and exit code 1): the local locks of the UAV id
and the autopilot link; the autopilot's first heartbeat (--connect-timeout); the UAV's presence
record on the broker (another agent flying this UAV → refused); then the agent runs. A vehicle
that is already flying is rejoined (from the state directory, or by adopting its mode and
position), never launched again.

Options:
  --uav N            this UAV's id (1-based; also the autopilot's MAVLink system id to bind to)
  --profile FILE     this UAV's profile (proto uavmec.v1.UavProfile as JSON, or binary): origin,
                     geofence, altitude band, limits, CPU, radio, κ, battery, failsafe timings.
                     \`uavmec profile\` writes one per UAV of a scenario
  --fence FILE.plan  a QGroundControl .plan whose geoFence (polygons, circles) replaces the
                     profile's fence, mapped about the profile's origin
  --autopilot URL    udp://:14540 (listen; PX4 SITL's offboard port), udpout://host:port,
                     tcp://127.0.0.1:5760 (ArduPilot SITL), serial:///dev/ttyACM0:921600
  --broker URL       mqtt://host:1883 or mqtts://host:8883
  --tlog FILE        record every MAVLink frame to this .tlog
  --state-dir DIR    persisted state (last plan, model, open tasks) and the on-disk outbox that
                     keeps telemetry and completions while the broker is unreachable; a restarted
                     agent resumes from it (default: $STATE_DIRECTORY/uav-N under systemd, else
                     ~/.local/state/uavmec/uav-N)
  --no-state         keep nothing on disk (a restart still rejoins a flying vehicle, holding)
  --connect-timeout S   seconds to wait for the autopilot's first heartbeat and for the broker
                     (default 30)
  --models DIR       directory of ONNX actors that POLICY plans name by sha256 (default: none —
                     POLICY plans are refused with MODEL_UNAVAILABLE)
  --executor KIND    simulated (default: t = cycles/f on the clock) or worker (real work in worker
                     threads; the measured rate is reported as cpu_hz_measured)
  --threads N        worker threads for --executor worker (default 1)
  --hold-after-slots N   controller silent for more than N slots → hold (default: the profile's)
  --rtl-after-slots M    controller silent for more than M slots → RTL (default: the profile's; M > N)
  --plan-pubkey FILE     pin the controller's Ed25519 public key (SPKI PEM, plan-signing.pub): plans
                         that are unsigned, signed by another key, altered or replayed are nacked
                         (BAD_SIGNATURE / STALE_SEQ) and counted (default: none — plans are NOT
                         authenticated, and the agent warns so at start)
  --mavlink-key FILE     MAVLink 2 signing key (64 hex characters, mavlink-uav-<i>.key): sent to the
                         autopilot once with SETUP_SIGNING over --autopilot, which must be the direct
                         link (serial or loopback), then every frame is signed (default: unsigned)
${BROKER_AUTH_HELP}
${CLOCK_HELP}

Stops on Ctrl-C or SIGTERM (setpoints stop; queued messages stay in the outbox).

Examples:
  uavmec profile --uavs 4 --out profiles/           # once: uav-1.profile.json … uav-4.profile.json
  uavmec agent --uav 1 --profile profiles/uav-1.profile.json --autopilot udp://:14540 --broker mqtt://10.0.0.2:1883        # PX4 SITL
  uavmec agent --uav 1 --profile uav-1.profile.json --fence field.plan --autopilot tcp://127.0.0.1:5760 --broker mqtt://10.0.0.2:1883 # ArduPilot SITL, QGC fence
  uavmec agent --uav 1 --profile uav-1.profile.json --models ./models --executor worker \\
    --autopilot serial:///dev/ttyAMA0:921600 --broker mqtts://10.0.0.2:8883 \\
    --ca secrets/ca.crt --cert secrets/uav-1.crt --key secrets/uav-1.key \\
    --plan-pubkey secrets/plan-signing.pub --mavlink-key secrets/mavlink-uav-1.key   # secure`,
  async run(argv) {
    const { values: v } = parse(argv, {
      uav: { type: 'string' },
      autopilot: { type: 'string' },
      broker: { type: 'string' },
      tlog: { type: 'string' },
      profile: { type: 'string' },
      fence: { type: 'string' },
      'state-dir': { type: 'string' },
      'no-state': { type: 'boolean' },
      'connect-timeout': { type: 'string' },
      models: { type: 'string' },
      executor: { type: 'string' },
      threads: { type: 'string' },
      'hold-after-slots': { type: 'string' },
      'rtl-after-slots': { type: 'string' },
      'plan-pubkey': { type: 'string' },
      'mavlink-key': { type: 'string' },
      ...BROKER_AUTH_OPTIONS,
      ...CLOCK_OPTIONS,
    });
    if (!v.uav) throw new UsageError('--uav is required');
    if (!v.autopilot) throw new UsageError('--autopilot is required (e.g. udp://:14540 or tcp://127.0.0.1:5760)');
    if (!v.broker) throw new UsageError('--broker is required (e.g. mqtt://127.0.0.1:1883)');
    if (!v.profile) throw new UsageError('--profile is required (this UAV\'s profile; `uavmec profile --help` writes one)');
    const uavId = int(v.uav, 'uav', 1, 1, 255);
    const link = parseTransportUrl(v.autopilot);
    if (!link.ok) throw new UsageError(`--autopilot: ${link.detail ?? link.reason}`);
    const profile = readProfileFile(v.profile);
    if (!profile.ok) throw new UsageError(`--profile '${v.profile}': ${profile.detail ?? profile.reason}`);
    if (v['state-dir'] && v['no-state']) throw new UsageError('give --state-dir or --no-state, not both');
    const stateDir = v['no-state'] ? undefined : (v['state-dir'] ?? defaultStateDir(uavId));
    const connectTimeoutS = num(v['connect-timeout'], 'connect-timeout', 30, 1, 3600);
    const executor = oneOf(v.executor, 'executor', ['simulated', 'worker'] as const, 'simulated');
    const fs0 = profile.value.failsafe!;
    const holdAfterSlots = int(v['hold-after-slots'], 'hold-after-slots', fs0.hold_after_slots, 1, 1_000_000);
    const rtlAfterSlots = int(v['rtl-after-slots'], 'rtl-after-slots', fs0.rtl_after_slots, 2, 1_000_000);
    if (rtlAfterSlots <= holdAfterSlots) throw new UsageError(`--rtl-after-slots (${rtlAfterSlots}) must exceed --hold-after-slots (${holdAfterSlots})`);
    const auth = brokerAuthFrom(v, v.broker);
    const planVerifyKey = v['plan-pubkey'] ? planVerifyKeyFrom(v['plan-pubkey']) : undefined;
    const mavlinkSigningKey = v['mavlink-key'] ? mavlinkKeyFrom(v['mavlink-key'], 'mavlink-key') : undefined;
    const fence = v.fence ? fenceFrom(v.fence, profile.value.origin!) : undefined;
    const clock = clockFrom(v);
    const log = createLogger({ name: `uav-${uavId}` });
    if (planVerifyKey) log.info({ fingerprint: publicKeyFingerprint(planVerifyKey) }, 'pinned controller key (compare with the controller\'s)');
    let agent;
    try {
      agent = await createAgent({
        uavId, autopilotUrl: v.autopilot, clock, log, profile: profile.value, ...(fence ? { fence } : {}),
        broker: { url: v.broker, ...auth, connectTimeoutMs: connectTimeoutS * 1000 },
        ...(planVerifyKey ? { planVerifyKey } : {}),
        ...(mavlinkSigningKey ? { mavlinkSigningKey } : {}),
        ...(v.tlog ? { tlogPath: v.tlog } : {}),
        ...(stateDir ? { stateDir: ensureDir(stateDir) } : {}),
        ...(v.models ? { modelsDir: v.models } : {}),
        executor, workerThreads: int(v.threads, 'threads', 1, 1, 64),
        failsafe: { holdAfterSlots, rtlAfterSlots },
        autopilotTimeoutMs: connectTimeoutS * 1000 * clockSpeed(v), lockDir: defaultLockDir(), presence: true,
      });
    } catch (e) {
      if (e instanceof AgentStartError) throw new CommandError(e.message);
      throw e;
    }
    const st = agent.vehicle.state();
    log.info({ flavour: st.flavour, sysid: st.sysid, mode: st.modeRaw, inAir: agent.service.stats.resumed }, 'autopilot connected');
    log.info({ stateDir: stateDir ?? null, executor, resumed: agent.service.stats.resumed, lastSeq: agent.service.lastSeq, fence: fence ? v.fence : 'profile' }, 'agent running');
    let lostTo: string | undefined;
    const stopped = new Promise<void>((resolve) => {
      agent.presence?.onLost((by) => {
        lostTo = `another agent took UAV ${uavId} (host ${by.host}, pid ${by.pid}) at the same time; this one stops`;
        resolve();
      });
    });
    await Promise.race([stopped, new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    })]);
    await agent.close();
    if (lostTo) throw new CommandError(lostTo);
    return 0;
  },
};
export default command;
