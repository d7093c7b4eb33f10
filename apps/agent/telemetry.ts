/**
 * What the agent reports: the twin state (SPEC §2; every slot and on change) and process health
 * (1 Hz), built from plain inputs. Pure.
 */
import { hoverPowerW } from '../../core/models/propulsion.ts';
import type { VehicleState, Vec3 } from '../../firmware-bridge/vehicle.ts';
import { FlightState, type Health, type MessageInput, type TwinState } from '../../proto/index.ts';
import type { HealthSample } from './health/index.ts';

export type Phase = 'ground' | 'takeoff' | 'flying' | 'rtl' | 'landing';

export function flightState(phase: Phase, holding: boolean, s: VehicleState): FlightState {
  if (phase === 'rtl') return FlightState.FLIGHT_STATE_RETURNING;
  if (phase === 'landing') return FlightState.FLIGHT_STATE_LANDING;
  if (phase === 'takeoff') return FlightState.FLIGHT_STATE_TAKING_OFF;
  if (phase === 'flying') return holding ? FlightState.FLIGHT_STATE_HOLDING : FlightState.FLIGHT_STATE_FLYING;
  return s.landed === 'in_air' ? FlightState.FLIGHT_STATE_HOLDING : FlightState.FLIGHT_STATE_ON_GROUND;
}

export interface TwinInput {
  uavId: number;
  s: VehicleState;
  /** Mission-frame NED position (north, east, down), if known. */
  posNed?: Vec3;
  batteryJ?: number;
  computeEnergyJ: number;
  cpuHz: number;
  measuredCpuHz?: number;
  bandwidthHz: number;
  cacheBits: number;
  flightState: FlightState;
  planSeq: number;
  tasksInProgress: number;
}

export function twinMessage(t: TwinInput): MessageInput<TwinState> {
  const { s, posNed: p } = t;
  const v = s.velocityNedMS;
  return {
    uav_id: t.uavId,
    ...(p ? { position: { x_east_m: p.y, y_north_m: p.x, alt_m: -p.z } } : {}),
    ...(v ? { velocity: { vx_east_m_s: v.y, vy_north_m_s: v.x, vz_up_m_s: -v.z } } : {}),
    ...(t.batteryJ !== undefined ? { battery_remaining_j: t.batteryJ } : {}),
    ...(s.batteryRemainingPct !== undefined ? { battery_pct: s.batteryRemainingPct } : {}),
    ...(s.batteryConsumedJ !== undefined ? { flight_energy_used_j: s.batteryConsumedJ } : {}),
    compute_energy_used_j: t.computeEnergyJ,
    cpu_hz_available: t.cpuHz,
    ...(t.measuredCpuHz !== undefined ? { cpu_hz_measured: t.measuredCpuHz } : {}),
    bandwidth_hz: t.bandwidthHz,
    cache_bits_available: t.cacheBits,
    hover_power_w: hoverPowerW(),
    flight_state: t.flightState,
    plan_seq: t.planSeq,
    autopilot_link_up: s.connected,
    autopilot_mode: s.modeRaw,
    armed: s.armed,
    tasks_in_progress: t.tasksInProgress,
  };
}

export function healthMessage(uavId: number, h: HealthSample, links: { autopilot: boolean; broker: boolean }, outboxDepth: number, dropped: number): MessageInput<Health> {
  return {
    uav_id: uavId,
    ...(h.cpuPct !== undefined ? { cpu_pct: h.cpuPct } : {}),
    rss_bytes: h.rssBytes,
    ...(h.inferenceP50Us !== undefined ? { inference_p50_us: h.inferenceP50Us } : {}),
    ...(h.inferenceP99Us !== undefined ? { inference_p99_us: h.inferenceP99Us } : {}),
    autopilot_link_up: links.autopilot,
    broker_link_up: links.broker,
    outbox_depth: outboxDepth,
    dropped_messages: dropped,
  };
}
