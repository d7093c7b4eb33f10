/**
 * What an agent flies and computes with, from its UavProfile (profile.proto): the safety
 * envelope's configuration and the AgentConfig. Pure. Geodetic fence zones become mission-frame
 * (north, east) metres with core/geo.ts, the projection the agent maps the autopilot's position
 * with, so fence and position agree.
 */
import { geoToNorthEast, type GeoPoint } from '../../../core/geo.ts';
import type { FenceZone, UavProfile } from '../../../proto/index.ts';
import type { AgentConfig } from '../config.ts';
import type { EnvelopeConfigInput, HorizontalFence, Zone } from '../safety/index.ts';

/** Control loop and twin-report rates of the agent (not a property of the vehicle). */
export const CONTROL_RATE_HZ = 10;
export const TELEMETRY_RATE_HZ = 5;

export interface AgentSettings {
  envelope: EnvelopeConfigInput;
  config: AgentConfig;
}

export function profileOrigin(p: UavProfile): GeoPoint {
  const o = p.origin!;
  return { latDeg: o.lat_deg, lonDeg: o.lon_deg, altAmslM: o.alt_amsl_m };
}

function zone(origin: GeoPoint, z: FenceZone): Zone {
  if (z.polygon.length) return { kind: 'polygon', vertices: z.polygon.map((v) => geoToNorthEast(origin, v.lat_deg, v.lon_deg)) };
  const c = z.circle_center!;
  return { kind: 'circle', center: geoToNorthEast(origin, c.lat_deg, c.lon_deg), radiusM: z.circle_radius_m };
}

/** The profile's horizontal fence in the mission frame. */
export function profileFence(p: UavProfile): HorizontalFence {
  const g = p.geofence!;
  if (g.box) return { kind: 'box', northM: [g.box.north_min_m, g.box.north_max_m], eastM: [g.box.east_min_m, g.box.east_max_m] };
  const origin = profileOrigin(p);
  return {
    kind: 'zones',
    inclusions: g.zones.filter((z) => z.inclusion).map((z) => zone(origin, z)),
    exclusions: g.zones.filter((z) => !z.inclusion).map((z) => zone(origin, z)),
  };
}

/** The envelope a profile implies (battery reserve always on). */
export function profileEnvelope(p: UavProfile, uavId: number): EnvelopeConfigInput {
  const l = p.limits!;
  const b = p.battery!;
  return {
    fence: profileFence(p),
    altitude: { minAltM: p.altitude!.min_alt_m, maxAltM: p.altitude!.max_alt_m },
    maxSpeedMS: l.max_speed_m_s,
    maxVerticalSpeedMS: l.max_vertical_speed_m_s,
    maxAccelMS2: l.max_accel_m_s2,
    dMinM: l.separation_m,
    selfId: String(uavId),
    battery: {
      ...(b.reserve_margin_j !== undefined ? { marginJ: b.reserve_margin_j } : {}),
      ...(b.reserve_margin_fraction !== undefined ? { marginFraction: b.reserve_margin_fraction } : {}),
    },
  };
}

/** Envelope and AgentConfig of UAV `uavId` from a validated profile. */
export function agentSettings(p: UavProfile, uavId: number): AgentSettings {
  const r = p.radio!;
  const c = p.compute!;
  const f = p.failsafe!;
  return {
    envelope: profileEnvelope(p, uavId),
    config: {
      uavId,
      origin: profileOrigin(p),
      channel: {
        carrierHz: r.carrier_hz, losA: r.los_a, losB: r.los_b, etaLosDb: r.eta_los_db, etaNlosDb: r.eta_nlos_db,
        noiseG2AW: r.noise_g2a_w, noiseA2AW: r.noise_a2a_w, thetaMaxDeg: r.theta_max_deg,
      },
      cpuHz: c.cpu_hz,
      bandwidthHz: r.bandwidth_hz,
      cacheBits: c.cache_bits,
      txPowerW: r.tx_power_w,
      batteryCapacityJ: p.battery!.capacity_j,
      kappa: c.kappa,
      link: { bandwidthHz: r.pool_bandwidth_hz, txPowerW: r.pool_tx_power_w, refGain: r.pool_ref_gain, pathLossExponent: r.pool_path_loss_exponent, noiseW: r.pool_noise_w },
      controlRateHz: CONTROL_RATE_HZ,
      telemetryRateHz: TELEMETRY_RATE_HZ,
      takeoffAltM: p.altitude!.takeoff_alt_m,
      guidance: { speedMS: p.limits!.cruise_speed_m_s, reachedM: 1.5 },
      failsafe: { slotS: f.slot_s, holdAfterSlots: f.hold_after_slots, rtlAfterSlots: f.rtl_after_slots },
    },
  };
}
