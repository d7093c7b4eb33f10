/**
 * Semantic checks of a UavProfile (profile.proto): every problem names its field path, e.g.
 * `limits.max_speed_m_s must be > 0` or `geofence.zones[1].polygon[2].lat_deg out of range`.
 */
import type { GeoPoint, Geofence, UavProfile } from './gen/types.ts';

type Rec = Record<string, unknown>;

function positive(m: object | undefined, path: string, fields: string[]): string | undefined {
  if (!m) return `${path} missing`;
  for (const f of fields) {
    const v = (m as Rec)[f];
    if (typeof v !== 'number' || !Number.isFinite(v) || !(v > 0)) return `${path}.${f} must be > 0, got ${JSON.stringify(v ?? null)}`;
  }
  return undefined;
}

function geoPoint(p: GeoPoint | undefined, path: string): string | undefined {
  if (!p) return `${path} missing`;
  if (!(Math.abs(p.lat_deg) <= 90)) return `${path}.lat_deg out of range (−90…90), got ${p.lat_deg}`;
  if (!(Math.abs(p.lon_deg) <= 180)) return `${path}.lon_deg out of range (−180…180), got ${p.lon_deg}`;
  if (!Number.isFinite(p.alt_amsl_m) || Math.abs(p.alt_amsl_m) > 20_000) return `${path}.alt_amsl_m out of range, got ${p.alt_amsl_m}`;
  return undefined;
}

function geofence(g: Geofence | undefined): string | undefined {
  if (!g) return 'geofence missing';
  if (g.box && g.zones.length) return 'geofence: give box or zones, not both';
  if (g.box) {
    const b = g.box;
    for (const k of ['north_min_m', 'north_max_m', 'east_min_m', 'east_max_m'] as const) if (!Number.isFinite(b[k])) return `geofence.box.${k} not finite`;
    if (!(b.north_min_m < b.north_max_m)) return 'geofence.box: north_min_m must be < north_max_m';
    if (!(b.east_min_m < b.east_max_m)) return 'geofence.box: east_min_m must be < east_max_m';
    return undefined;
  }
  if (!g.zones.length) return 'geofence: needs a box or at least one zone';
  if (!g.zones.some((z) => z.inclusion)) return 'geofence.zones: no inclusion zone (the UAV needs somewhere it may fly)';
  for (const [i, z] of g.zones.entries()) {
    const at = `geofence.zones[${i}]`;
    if (z.polygon.length && z.circle_center) return `${at}: a polygon or a circle, not both`;
    if (z.polygon.length) {
      if (z.polygon.length < 3) return `${at}.polygon needs at least 3 vertices`;
      for (const [k, v] of z.polygon.entries()) {
        const e = geoPoint(v, `${at}.polygon[${k}]`);
        if (e) return e;
      }
    } else {
      const e = geoPoint(z.circle_center, `${at}.circle_center`);
      if (e) return z.circle_center ? e : `${at}: needs polygon vertices or a circle_center`;
      if (!(z.circle_radius_m > 0) || !Number.isFinite(z.circle_radius_m)) return `${at}.circle_radius_m must be > 0`;
    }
  }
  return undefined;
}

export function validateUavProfile(m: UavProfile): string | undefined {
  const a = m.altitude;
  const f = m.failsafe;
  const b = m.battery;
  return (
    geoPoint(m.origin, 'origin') ??
    geofence(m.geofence) ??
    (a ? undefined : 'altitude missing') ??
    (a && Number.isFinite(a.min_alt_m) && Number.isFinite(a.max_alt_m) && a.min_alt_m < a.max_alt_m ? undefined : 'altitude: min_alt_m must be < max_alt_m') ??
    (a && a.takeoff_alt_m > a.min_alt_m && a.takeoff_alt_m <= a.max_alt_m ? undefined : 'altitude.takeoff_alt_m must lie in (min_alt_m, max_alt_m]') ??
    positive(m.limits, 'limits', ['cruise_speed_m_s', 'max_speed_m_s', 'max_vertical_speed_m_s', 'max_accel_m_s2', 'separation_m']) ??
    positive(m.compute, 'compute', ['cpu_hz', 'kappa']) ??
    (m.compute && m.compute.cache_bits >= 0 ? undefined : 'compute.cache_bits must be ≥ 0') ??
    positive(m.radio, 'radio', [
      'bandwidth_hz', 'tx_power_w', 'carrier_hz', 'los_a', 'los_b', 'noise_g2a_w', 'noise_a2a_w', 'theta_max_deg',
      'pool_bandwidth_hz', 'pool_tx_power_w', 'pool_ref_gain', 'pool_path_loss_exponent', 'pool_noise_w',
    ]) ??
    (m.radio && m.radio.theta_max_deg < 90 ? undefined : 'radio.theta_max_deg must be < 90') ??
    positive(b, 'battery', ['capacity_j']) ??
    (b?.reserve_margin_j !== undefined && !(b.reserve_margin_j >= 0) ? 'battery.reserve_margin_j must be ≥ 0' : undefined) ??
    (b?.reserve_margin_fraction !== undefined && !(b.reserve_margin_fraction >= 0) ? 'battery.reserve_margin_fraction must be ≥ 0' : undefined) ??
    positive(f, 'failsafe', ['slot_s', 'hold_after_slots']) ??
    (f && f.rtl_after_slots > f.hold_after_slots ? undefined : 'failsafe.rtl_after_slots must exceed failsafe.hold_after_slots')
  );
}
