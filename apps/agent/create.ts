/**
 * Builds a running agent from URLs: the autopilot transport (udp://, udpout://, tcp://,
 * serial://), the MAVLink bridge, the bus, the safety envelope and the executor. Used by the
 * `uavmec agent` command and by the single-machine mission. Security (issue 9), when configured:
 * the pinned plan-verification key, and MAVLink 2 signing provisioned over the direct link before
 * the bridge opens it.
 */
import type { KeyObject } from 'node:crypto';
import path from 'node:path';
import type { Clock } from '../../core/clock.ts';
import { MavlinkVehicle } from '../../firmware-bridge/bridge/index.ts';
import { openTransport } from '../../firmware-bridge/transport/index.ts';
import { TlogWriter } from '../../firmware-bridge/tlog/index.ts';
import { validateMessage, type UavProfile } from '../../proto/index.ts';
import { Bus, type BusOptions } from '../common/bus.ts';
import { provisionMavlinkSigning } from '../security/mavlink-signing.ts';
import type { Logger } from '../common/log.ts';
import { SimulatedExecutor, WorkerExecutor, type Executor } from './executor/index.ts';
import type { FailsafeConfig } from './failsafe/index.ts';
import { openOutbox, type Outbox } from './outbox/index.ts';
import { ModelDirectory, PolicyRunner } from './policy/index.ts';
import { PolicyDriver } from './policy-driver.ts';
import { agentSettings } from './profile/index.ts';
import { AgentStartError, claimPresence, lockAgent, type HeldLock, type PresenceClaim } from './start/index.ts';
import { createEnvelope, type EnvelopeConfigInput, type HorizontalFence } from './safety/index.ts';
import { AgentService } from './service/index.ts';
import { StateStore } from './state/index.ts';
import { Uplink } from './uplink/index.ts';

export interface CreateAgentOptions {
  uavId: number;
  autopilotUrl: string;
  broker: Pick<BusOptions, 'url' | 'username' | 'password' | 'ca' | 'cert' | 'key' | 'connectTimeoutMs'>;
  clock: Clock;
  log: Logger;
  /** What the agent knows about its vehicle and mission area (profile.proto); checked here. */
  profile: UavProfile;
  /** A fence replacing the profile's (e.g. a QGroundControl .plan read by `--fence`), mission frame. */
  fence?: HorizontalFence;
  /** MQTT client id; default uavmec-uav-<id> (stable, so the broker keeps the session). */
  clientId?: string;
  /** Write every MAVLink frame to this .tlog file. */
  tlogPath?: string;
  /** Overrides of the envelope derived from the profile. */
  envelope?: Partial<EnvelopeConfigInput>;
  /** Directory of ONNX actors a POLICY plan can name by sha256; without it POLICY plans are nacked. */
  modelsDir?: string;
  /**
   * Directory for the persisted state and the on-disk outbox. Without it a restart starts afresh
   * and messages made while the broker is unreachable are kept in memory only.
   */
  stateDir?: string;
  /** 'simulated' (default: t = cycles / f on the clock) or 'worker' (real work in worker threads). */
  executor?: 'simulated' | 'worker';
  /** Worker threads for the worker executor (default 1). */
  workerThreads?: number;
  /** Controller silence failsafe: hold after N slots, RTL after M (default the profile's). */
  failsafe?: Partial<Pick<FailsafeConfig, 'holdAfterSlots' | 'rtlAfterSlots'>>;
  /** Outbox bounds (defaults 20 000 messages, 16 MiB). */
  outbox?: { maxMessages?: number; maxBytes?: number };
  /** The controller's pinned Ed25519 public key: only plans it signed are flown (AgentDeps.planVerifyKey). */
  planVerifyKey?: KeyObject;
  /**
   * MAVLink 2 signing key (32 bytes): provisioned once with SETUP_SIGNING over `autopilotUrl`
   * (which must be the direct link to the autopilot), then every frame both ways is signed.
   */
  mavlinkSigningKey?: Buffer;
  /** How long to wait for the autopilot to confirm the signing key, clock ms (default 10 000). */
  signingTimeoutMs?: number;
  /**
   * Wait this long (clock ms) for the autopilot's first heartbeat before touching the broker; none
   * → AgentStartError 'autopilot_unreachable' and nothing is published. Default: do not wait.
   */
  autopilotTimeoutMs?: number;
  /** Take the local locks of the UAV id and the autopilot link in this directory (start/lock.ts). */
  lockDir?: string;
  /** Hold the UAV's retained presence record on the broker; refuse to start if another agent does (start/presence.ts). */
  presence?: boolean;
  /**
   * The fraction of the CPU the simulated executor really delivers (the twin's compute deviation,
   * S0 §VI-C; default 1): a property of the simulation, not of the vehicle, so not in the profile.
   */
  computeEfficiency?: number;
}

export interface RunningAgent {
  service: AgentService;
  vehicle: MavlinkVehicle;
  /** The presence record this agent holds (with `presence: true`). */
  presence?: PresenceClaim;
  bus: Bus;
  uplink: Uplink;
  executor: Executor;
  outbox?: Outbox;
  tlog?: TlogWriter;
  close(): Promise<void>;
}

export async function createAgent(o: CreateAgentOptions): Promise<RunningAgent> {
  const badProfile = validateMessage('UavProfile', o.profile);
  if (badProfile) throw new AgentStartError('bad_profile', `invalid UAV profile: ${badProfile}`);
  if (o.profile.uav_id !== 0 && o.profile.uav_id !== o.uavId) throw new AgentStartError('bad_profile', `the profile is for UAV ${o.profile.uav_id}, this agent flies UAV ${o.uavId}: give this UAV's profile`);
  const settings = agentSettings(o.profile, o.uavId);
  const env = createEnvelope({ ...settings.envelope, ...(o.fence ? { fence: o.fence } : {}), ...o.envelope });
  if (!env.ok) throw new AgentStartError('bad_profile', `invalid safety envelope: ${env.detail ?? env.reason}`);
  const undo: (() => Promise<void> | void)[] = [];
  const abort = async (e: unknown): Promise<never> => {
    for (const u of undo.reverse()) await Promise.resolve(u()).catch(() => undefined);
    throw e;
  };
  let lock: HeldLock | undefined;
  if (o.lockDir) {
    const l = lockAgent(o.lockDir, o.uavId, o.autopilotUrl);
    if (!l.ok) throw new AgentStartError('locked', `another agent runs on this computer: ${l.detail ?? l.reason}; stop it first (two agents must never fly one vehicle)`);
    lock = l.value;
    undo.push(() => lock!.release());
  }
  if (o.mavlinkSigningKey) {
    // Signed with the same key, so an autopilot already signing with it (agent restart) accepts the
    // re-key; one with signing off accepts any SETUP_SIGNING from the direct link.
    const p = await provisionMavlinkSigning({
      url: o.autopilotUrl, targetSysid: o.uavId, key: o.mavlinkSigningKey, currentKey: o.mavlinkSigningKey, clock: o.clock, timeoutMs: o.signingTimeoutMs ?? 10_000,
    });
    if (!p.ok) await abort(new AgentStartError('signing_failed', `MAVLink signing not set up on ${o.autopilotUrl}: ${p.detail ?? p.reason}; check --mavlink-key and that --autopilot is the direct link`));
    o.log.info({ uav: o.uavId }, 'MAVLink 2 signing on');
  }
  // Real I/O (binding a socket) holds a lockstep clock until done (core/clock.ts).
  const opening = openTransport(o.autopilotUrl, { clock: o.clock });
  const t = await (o.clock.activity ? o.clock.activity.during(opening, 'autopilot-open') : opening);
  if (!t.ok) return abort(new AgentStartError('autopilot_unreachable', `cannot open the autopilot link ${o.autopilotUrl}: ${t.detail ?? t.reason}`));
  let linkError: Error | undefined;
  t.value.onError((e) => (linkError = e));
  const tlog = o.tlogPath ? new TlogWriter(path.resolve(o.tlogPath)) : undefined;
  const vehicle = new MavlinkVehicle(t.value, o.clock, { targetSysid: o.uavId, ...(tlog ? { tlog } : {}), ...(o.mavlinkSigningKey ? { signing: { key: o.mavlinkSigningKey } } : {}) });
  undo.push(() => vehicle.close(), async () => tlog?.close());
  if (o.autopilotTimeoutMs !== undefined) {
    const up = await vehicle.waitConnected(o.autopilotTimeoutMs);
    if (!up.ok) {
      await abort(new AgentStartError('autopilot_unreachable',
        `no heartbeat from autopilot ${o.uavId} on ${o.autopilotUrl} within ${o.autopilotTimeoutMs / 1000} s${linkError ? ` (${linkError.message})` : ''}: check that it is powered, that --autopilot names its link and that it sends MAVLink with system id ${o.uavId} there`));
    }
  }
  let presence: PresenceClaim | undefined;
  if (o.presence) {
    // The presence record lives on the first node of a clustered broker (retained messages are replicated).
    const c = await claimPresence({ ...o.broker, url: o.broker.url.split(',')[0]!.trim(), uavId: o.uavId });
    if (!c.ok) {
      await abort(c.reason === 'duplicate_agent'
        ? new AgentStartError('duplicate_agent', `another agent already flies UAV ${o.uavId} (${c.detail}): stop it first; if it is gone, the broker clears its record within 15 s`)
        : new AgentStartError('broker_unreachable', `${c.detail ?? c.reason}: is the broker running there, and are the credentials right?`));
    }
    presence = (c as { value: PresenceClaim }).value;
    undo.push(() => presence!.release());
  }
  let bus: Bus;
  try {
    bus = await Bus.connect({ ...o.broker, clientId: o.clientId ?? `uavmec-uav-${o.uavId}`, sender: `uav-${o.uavId}`, clock: o.clock, log: o.log, persistentSession: true });
  } catch (e) {
    return abort(new AgentStartError('broker_unreachable', `${(e as Error).message}`));
  }
  undo.push(() => bus.close());
  const cfg = settings.config;
  const store = o.stateDir ? new StateStore(o.stateDir) : undefined;
  const saved = store?.load(o.uavId);
  if (saved && !saved.ok) await abort(new AgentStartError('state_unreadable', `cannot resume from ${store!.path}: ${saved.detail ?? saved.reason}; move it aside to start afresh`));
  let outbox: Outbox | undefined;
  if (o.stateDir) {
    const ob = await openOutbox(path.join(o.stateDir, 'outbox'), { maxMessages: o.outbox?.maxMessages ?? 20_000, maxBytes: o.outbox?.maxBytes ?? 16 << 20 });
    if (!ob.ok) return abort(new AgentStartError('state_unreadable', `cannot open the outbox in ${o.stateDir}: ${ob.detail ?? ob.reason}`));
    outbox = ob.value;
  }
  const uplink = new Uplink({ bus, ...(outbox ? { outbox } : {}), log: o.log });
  const executor: Executor =
    o.executor === 'worker'
      ? await WorkerExecutor.start({ clock: o.clock, threads: o.workerThreads ?? 1 })
      : new SimulatedExecutor({ clock: o.clock, fMaxHz: cfg.cpuHz, ...(o.computeEfficiency !== undefined ? { efficiency: o.computeEfficiency } : {}) });
  const slotS = cfg.failsafe.slotS;
  const policy = o.modelsDir
    ? new PolicyDriver(new PolicyRunner({ slotS, expect: { agent: String(o.uavId - 1) } }), new ModelDirectory(path.resolve(o.modelsDir)), { tickUs: 1e6 / cfg.controlRateHz, slotS, ...(o.clock.activity ? { activity: o.clock.activity } : {}) })
    : undefined;
  const service = new AgentService(
    { bus, uplink, vehicle, clock: o.clock, log: o.log, envelope: env.value, executor, ...(policy ? { policy } : {}), ...(store ? { store } : {}),
      ...(o.planVerifyKey ? { planVerifyKey: o.planVerifyKey } : {}) },
    { ...cfg, failsafe: { ...cfg.failsafe, ...o.failsafe } },
  );
  // A restarted agent rejoins a flying vehicle, from its state or, without, from the vehicle's own
  // mode and position (service.adoptFlight): wait for the autopilot to say whether it flies. (A
  // fresh in-process agent — the mission's — starts next to a vehicle on the ground: no wait.)
  const resume = saved?.ok && saved.value.savedUs > 0 ? saved.value : undefined;
  if (resume || (o.autopilotTimeoutMs !== undefined && vehicle.state().connected)) {
    await vehicle.waitConnected(5_000);
    for (let i = 0; i < 40 && vehicle.state().landed === 'unknown'; i++) await new Promise((r) => setTimeout(r, 50));
  }
  if (resume) await service.restore(resume);
  else service.adoptFlight();
  await service.start();
  return {
    service, vehicle, bus, ...(tlog ? { tlog } : {}), ...(presence ? { presence } : {}),
    uplink, executor, ...(outbox ? { outbox } : {}),
    async close() {
      service.stop();
      await uplink.close();
      await executor.close();
      await policy?.close();
      await outbox?.close();
      await vehicle.close();
      await bus.close();
      await tlog?.close();
      await presence?.release();
      lock?.release();
    },
  };
}
