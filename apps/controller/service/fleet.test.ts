/** FleetState members from the twin (fleet.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FlightState, type TwinState } from '../../../proto/index.ts';
import { applyTwinState, emptyTwin } from '../twin/index.ts';
import { fleetMembers } from './fleet.ts';

test('fleetMembers: the UAVs with a position, in mission frame, velocity when known, reported time in whole µs', () => {
  let t = emptyTwin();
  const base: Omit<TwinState, 'uav_id'> = {
    compute_energy_used_j: 0, cpu_hz_available: 1e9, bandwidth_hz: 1e6, cache_bits_available: 0, flight_state: FlightState.FLIGHT_STATE_FLYING,
    plan_seq: 0, autopilot_link_up: true, autopilot_mode: 'GUIDED', armed: true, tasks_in_progress: 0,
  };
  t = applyTwinState(t, { ...base, uav_id: 1, position: { x_east_m: 1, y_north_m: 2, alt_m: 3 }, velocity: { vx_east_m_s: 4, vy_north_m_s: 5, vz_up_m_s: -1 } }, 1000.6);
  t = applyTwinState(t, { ...base, uav_id: 2 }, 2000);
  t = applyTwinState(t, { ...base, uav_id: 3, position: { x_east_m: -1, y_north_m: 0, alt_m: 15 } }, 3000.2);
  assert.deepEqual(fleetMembers(t.values()), [
    { uav_id: 1, position: { x_east_m: 1, y_north_m: 2, alt_m: 3 }, velocity: { vx_east_m_s: 4, vy_north_m_s: 5, vz_up_m_s: -1 }, reported_t_us: 1001 },
    { uav_id: 3, position: { x_east_m: -1, y_north_m: 0, alt_m: 15 }, reported_t_us: 3000 },
  ]);
});
