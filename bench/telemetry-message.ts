/**
 * The TwinState the telemetry benchmarks send: what an airborne agent reports every 200 ms (all
 * fields an agent fills, realistic magnitudes), header included.
 */
import type { MessageInput, TwinState } from '../proto/index.ts';

export function benchTwinState(uavId: number, nowUs: number): MessageInput<TwinState> & { header: { version: number; sender: string; t_us: number; seq: number } } {
  return {
    header: { version: 1, sender: `uav-${uavId}`, t_us: Math.round(nowUs), seq: 1234 },
    uav_id: uavId,
    position: { x_east_m: 123.456 + uavId, y_north_m: -78.9, alt_m: 25.25 },
    velocity: { vx_east_m_s: 3.2, vy_north_m_s: -1.1, vz_up_m_s: 0.05 },
    battery_remaining_j: 187_345.5,
    battery_pct: 71.5,
    flight_energy_used_j: 74_654.25,
    compute_energy_used_j: 812.5,
    cpu_hz_available: 1e10,
    cpu_hz_measured: 9.87e9,
    bandwidth_hz: 2e7,
    cache_bits_available: 8e9,
    hover_power_w: 212.4,
    flight_state: 3,
    plan_seq: 4321,
    autopilot_link_up: true,
    autopilot_mode: 'GUIDED',
    armed: true,
    tasks_in_progress: 2,
  };
}

/** UAV `uavId` of `uavs` at its hover point on a square grid over an `areaM` × `areaM` field (bench:controller-scale). */
export function gridPosition(uavId: number, uavs: number, areaM: number): { x_east_m: number; y_north_m: number; alt_m: number } {
  const cols = Math.ceil(Math.sqrt(uavs));
  const i = uavId - 1;
  return { x_east_m: ((i % cols) + 0.5) * (areaM / cols), y_north_m: (Math.floor(i / cols) + 0.5) * (areaM / cols), alt_m: 25 };
}
