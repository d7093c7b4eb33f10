/**
 * Builds a running agent from URLs: the autopilot transport (udp://, udpout://, tcp://,
 * serial://), the MAVLink bridge, the bus, the safety envelope and the executor. Used by the
 * `uavmec agent` command and by the single-machine mission.
 */
import path from 'node:path';
import type { Clock } from '../../core/clock.ts';
import { MavlinkVehicle } from '../../firmware-bridge/bridge/index.ts';
import { openTransport } from '../../firmware-bridge/transport/index.ts';
import { TlogWriter } from '../../firmware-bridge/tlog/index.ts';
import type { Scenario } from '../../sim/world/index.ts';
import { Bus, type BusOptions } from '../common/bus.ts';
import type { Logger } from '../common/log.ts';
import { SimulatedExecutor } from './executor/index.ts';
import { createEnvelope, type EnvelopeConfigInput } from './safety/index.ts';
import { AgentService } from './service.ts';

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
}

export interface RunningAgent {
  service: AgentService;
  vehicle: MavlinkVehicle;
  bus: Bus;
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
  const t = await openTransport(o.autopilotUrl, { clock: o.clock });
  if (!t.ok) throw new Error(`cannot open the autopilot link ${o.autopilotUrl}: ${t.detail ?? t.reason}`);
  const tlog = o.tlogPath ? new TlogWriter(path.resolve(o.tlogPath)) : undefined;
  const vehicle = new MavlinkVehicle(t.value, o.clock, { targetSysid: o.uavId, ...(tlog ? { tlog } : {}) });
  const env = createEnvelope({ ...scenarioEnvelope(o.scenario, o.uavId), ...o.envelope });
  if (!env.ok) throw new Error(`invalid safety envelope: ${env.detail ?? env.reason}`);
  const bus = await Bus.connect({ ...o.broker, clientId: o.clientId ?? `uavmec-uav-${o.uavId}`, sender: `uav-${o.uavId}`, clock: o.clock, log: o.log, persistentSession: true });
  const s = o.scenario;
  const executor = new SimulatedExecutor({ clock: o.clock, fMaxHz: s.uav.cpuHz });
  const service = new AgentService(
    { bus, vehicle, clock: o.clock, log: o.log, envelope: env.value, executor },
    {
      uavId: o.uavId, origin: s.origin, channel: s.channel, cpuHz: s.uav.cpuHz, bandwidthHz: s.uav.bandwidthHz, cacheBits: s.uav.cacheBits,
      txPowerW: s.uav.txPowerW, batteryCapacityJ: s.uav.batteryJ, kappa: 1e-28, controlRateHz: 10, telemetryRateHz: 5, takeoffAltM: s.cruiseAltM,
      guidance: { speedMS: s.uavSpeedMS, slowRadiusM: 8, reachedM: 1.5 },
    },
  );
  await service.start();
  return {
    service, vehicle, bus, ...(tlog ? { tlog } : {}),
    async close() {
      service.stop();
      await executor.close();
      await vehicle.close();
      await bus.close();
      await tlog?.close();
    },
  };
}
