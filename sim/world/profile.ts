/**
 * The UavProfile (proto/uavmec/v1/profile.proto) of each UAV of a scenario: what the mission hands
 * its agents, and what `uavmec profile` writes for a fleet flown from separate processes. The
 * envelope: the mission area plus 20 m, the band from the ground to the scenario's ceiling,
 * 1.5 × the cruise speed, 3 m separation (S2/S3's d_min). The acceleration bound must not exceed
 * what the autopilot achieves on any axis, or braking paths are longer than the envelope thinks:
 * ArduCopter's default vertical acceleration (WPNAV_ACCEL_Z) is 1 m/s², so 1 m/s² it is. Pure.
 */
import type { UavProfile } from '../../proto/index.ts';
import { CONTRACT_VERSION } from '../../proto/index.ts';
import { poolParams, UAV_KAPPA } from './dag.ts';
import type { Scenario } from './scenario.ts';

/** Room around the mission area the fence allows, m. */
export const FENCE_MARGIN_M = 20;

export interface ProfileOptions {
  /** Controller-silence failsafe, slots (defaults 3 and 10). */
  holdAfterSlots?: number;
  rtlAfterSlots?: number;
  /** Ceiling of the envelope's band, m (default the scenario's altMaxM). */
  maxAltM?: number;
}

export function uavProfile(s: Scenario, uavId: number, nowUs: number, o: ProfileOptions = {}): UavProfile {
  const m = FENCE_MARGIN_M;
  const pool = poolParams(s);
  const ch = s.channel;
  return {
    header: { version: CONTRACT_VERSION, sender: 'mission', t_us: nowUs, seq: 0 },
    uav_id: uavId,
    origin: { lat_deg: s.origin.latDeg, lon_deg: s.origin.lonDeg, alt_amsl_m: s.origin.altAmslM },
    geofence: { box: { north_min_m: -m, north_max_m: s.areaM + m, east_min_m: -m, east_max_m: s.areaM + m }, zones: [] },
    altitude: { min_alt_m: 0, max_alt_m: o.maxAltM ?? s.altMaxM, takeoff_alt_m: s.cruiseAltM },
    limits: { cruise_speed_m_s: s.uavSpeedMS, max_speed_m_s: Math.max(s.uavSpeedMS * 1.5, 5), max_vertical_speed_m_s: 2.5, max_accel_m_s2: 1, separation_m: 3 },
    compute: { cpu_hz: s.uav.cpuHz, cache_bits: s.uav.cacheBits, kappa: UAV_KAPPA },
    radio: {
      bandwidth_hz: s.uav.bandwidthHz, tx_power_w: s.uav.txPowerW,
      carrier_hz: ch.carrierHz, los_a: ch.losA, los_b: ch.losB, eta_los_db: ch.etaLosDb, eta_nlos_db: ch.etaNlosDb,
      noise_g2a_w: ch.noiseG2AW, noise_a2a_w: ch.noiseA2AW, theta_max_deg: ch.thetaMaxDeg,
      pool_bandwidth_hz: pool.bandwidthHz, pool_tx_power_w: pool.uavTxW, pool_ref_gain: pool.h0, pool_path_loss_exponent: pool.alpha, pool_noise_w: pool.noiseW,
    },
    battery: { capacity_j: s.uav.batteryJ },
    failsafe: { slot_s: s.slotS, hold_after_slots: o.holdAfterSlots ?? 3, rtl_after_slots: o.rtlAfterSlots ?? 10 },
  };
}
