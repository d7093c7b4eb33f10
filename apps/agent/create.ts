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
import { poolParams, UAV_KAPPA, type Scenario } from '../../sim/world/index.ts';
import { Bus, type BusOptions } from '../common/bus.ts';
import { provisionMavlinkSigning } from '../security/mavlink-signing.ts';
import type { Logger } from '../common/log.ts';
import { SimulatedExecutor, WorkerExecutor, type Executor } from './executor/index.ts';
import type { FailsafeConfig } from './failsafe/index.ts';
import { openOutbox, type Outbox } from './outbox/index.ts';
import { ModelDirectory, PolicyRunner } from './policy/index.ts';
import { PolicyDriver } from './policy-driver.ts';
import { createEnvelope, type EnvelopeConfigInput } from './safety/index.ts';
import { AgentService } from './service.ts';
import { StateStore } from './state/index.ts';
import { Uplink } from './uplink/index.ts';

export interface CreateAgentOptions {
  uavId: number;
  autopilotUrl: string;
  broker: Pick<BusOptions, 'url' | 'username' | 'password' | 'ca' | 'cert' | 'key'>;
  clock: Clock;
  log: Logger;
  scenario: Scenario;
  /** MQTT client id; default uavmec-uav-<id> (stable, so the broker keeps the session). */
  clientId?: string;
  /** Write every MAVLink frame to this .tlog file. */
  tlogPath?: string;
  /** Overrides of the envelope derived from the scenario (fence = the mission area + margin). */
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
  /** Controller silence failsafe: hold after N slots, RTL after M (defaults 3 and 10). */
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
   * This UAV's own resources when they differ from the scenario's fleet-wide `uav` (S0's
   * heterogeneous fleet); `computeEfficiency` is the fraction of the CPU the simulated executor
   * really delivers (the twin's compute deviation, S0 §VI-C; default 1).
   */
  profile?: { cpuHz?: number; bandwidthHz?: number; cacheBits?: number; kappa?: number; computeEfficiency?: number };
}

export interface RunningAgent {
  service: AgentService;
  vehicle: MavlinkVehicle;
  bus: Bus;
  uplink: Uplink;
  executor: Executor;
  outbox?: Outbox;
  tlog?: TlogWriter;
  close(): Promise<void>;
}

/**
 * The envelope a scenario implies: its area plus 20 m, its altitude band, 1.5 × the cruise speed,
 * 3 m separation (S2/S3's d_min). The acceleration bound must not exceed what the autopilot
 * achieves on any axis, or braking paths are longer than the envelope thinks: ArduCopter's default
 * vertical acceleration (WPNAV_ACCEL_Z) is 1 m/s², so 1 m/s² it is.
 */
export function scenarioEnvelope(s: Scenario, uavId: number): EnvelopeConfigInput {
  const m = 20;
  return {
    fence: { kind: 'box', northM: [-m, s.areaM + m], eastM: [-m, s.areaM + m] },
    altitude: { minAltM: 0, maxAltM: s.altMaxM },
    maxSpeedMS: Math.max(s.uavSpeedMS * 1.5, 5),
    maxVerticalSpeedMS: 2.5,
    maxAccelMS2: 1,
    dMinM: 3,
    selfId: String(uavId),
    battery: {},
  };
}

export async function createAgent(o: CreateAgentOptions): Promise<RunningAgent> {
  if (o.mavlinkSigningKey) {
    // Signed with the same key, so an autopilot already signing with it (agent restart) accepts the
    // re-key; one with signing off accepts any SETUP_SIGNING from the direct link.
    const p = await provisionMavlinkSigning({
      url: o.autopilotUrl, targetSysid: o.uavId, key: o.mavlinkSigningKey, currentKey: o.mavlinkSigningKey, clock: o.clock, timeoutMs: o.signingTimeoutMs ?? 10_000,
    });
    if (!p.ok) throw new Error(`MAVLink signing not set up on ${o.autopilotUrl}: ${p.detail ?? p.reason}`);
    o.log.info({ uav: o.uavId }, 'MAVLink 2 signing on');
  }
  // Real I/O (binding a socket) holds a lockstep clock until done (core/clock.ts).
  const opening = openTransport(o.autopilotUrl, { clock: o.clock });
  const t = await (o.clock.activity ? o.clock.activity.during(opening, 'autopilot-open') : opening);
  if (!t.ok) throw new Error(`cannot open the autopilot link ${o.autopilotUrl}: ${t.detail ?? t.reason}`);
  const tlog = o.tlogPath ? new TlogWriter(path.resolve(o.tlogPath)) : undefined;
  const vehicle = new MavlinkVehicle(t.value, o.clock, { targetSysid: o.uavId, ...(tlog ? { tlog } : {}), ...(o.mavlinkSigningKey ? { signing: { key: o.mavlinkSigningKey } } : {}) });
  const env = createEnvelope({ ...scenarioEnvelope(o.scenario, o.uavId), ...o.envelope });
  if (!env.ok) throw new Error(`invalid safety envelope: ${env.detail ?? env.reason}`);
  const bus = await Bus.connect({ ...o.broker, clientId: o.clientId ?? `uavmec-uav-${o.uavId}`, sender: `uav-${o.uavId}`, clock: o.clock, log: o.log, persistentSession: true });
  const s = o.scenario;
  const store = o.stateDir ? new StateStore(o.stateDir) : undefined;
  const saved = store?.load(o.uavId);
  if (saved && !saved.ok) throw new Error(`cannot resume from ${store!.path}: ${saved.detail ?? saved.reason}`);
  let outbox: Outbox | undefined;
  if (o.stateDir) {
    const ob = await openOutbox(path.join(o.stateDir, 'outbox'), { maxMessages: o.outbox?.maxMessages ?? 20_000, maxBytes: o.outbox?.maxBytes ?? 16 << 20 });
    if (!ob.ok) throw new Error(`cannot open the outbox in ${o.stateDir}: ${ob.detail ?? ob.reason}`);
    outbox = ob.value;
  }
  const uplink = new Uplink({ bus, ...(outbox ? { outbox } : {}), log: o.log });
  const executor: Executor =
    o.executor === 'worker' ? await WorkerExecutor.start({ clock: o.clock, threads: o.workerThreads ?? 1 }) : new SimulatedExecutor({ clock: o.clock, fMaxHz: o.profile?.cpuHz ?? s.uav.cpuHz, ...(o.profile?.computeEfficiency !== undefined ? { efficiency: o.profile.computeEfficiency } : {}) });
  const controlRateHz = 10;
  const policy = o.modelsDir
    ? new PolicyDriver(new PolicyRunner({ slotS: s.slotS, expect: { agent: String(o.uavId - 1) } }), new ModelDirectory(path.resolve(o.modelsDir)), { tickUs: 1e6 / controlRateHz, slotS: s.slotS, ...(o.clock.activity ? { activity: o.clock.activity } : {}) })
    : undefined;
  const service = new AgentService(
    { bus, uplink, vehicle, clock: o.clock, log: o.log, envelope: env.value, executor, ...(policy ? { policy } : {}), ...(store ? { store } : {}),
      ...(o.planVerifyKey ? { planVerifyKey: o.planVerifyKey } : {}) },
    {
      uavId: o.uavId, origin: s.origin, channel: s.channel, cpuHz: o.profile?.cpuHz ?? s.uav.cpuHz, bandwidthHz: o.profile?.bandwidthHz ?? s.uav.bandwidthHz, cacheBits: o.profile?.cacheBits ?? s.uav.cacheBits,
      txPowerW: s.uav.txPowerW, batteryCapacityJ: s.uav.batteryJ, kappa: o.profile?.kappa ?? UAV_KAPPA, pool: poolParams(s), controlRateHz, telemetryRateHz: 5, takeoffAltM: s.cruiseAltM,
      guidance: { speedMS: s.uavSpeedMS, reachedM: 1.5 },
      failsafe: { slotS: s.slotS, holdAfterSlots: o.failsafe?.holdAfterSlots ?? 3, rtlAfterSlots: o.failsafe?.rtlAfterSlots ?? 10 },
    },
  );
  if (saved?.ok && saved.value.savedUs > 0) {
    // The vehicle's state decides whether the agent resumes in the air: wait for the autopilot.
    await vehicle.waitConnected(5_000);
    for (let i = 0; i < 40 && vehicle.state().landed === 'unknown'; i++) await new Promise((r) => setTimeout(r, 50));
    await service.restore(saved.value);
  }
  await service.start();
  return {
    service, vehicle, bus, ...(tlog ? { tlog } : {}),
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
    },
  };
}
