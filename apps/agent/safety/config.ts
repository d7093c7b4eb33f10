/** Envelope configuration: what the operator sets, the defaults, and validation. */
import { fail, ok, type Result } from '../../../core/result.ts';
import { maxRangeSpeedMS, type RotorParams } from '../../../core/models/propulsion.ts';
import { DEFAULT_ROTOR } from './battery.ts';
import { validateFence, type AltitudeBand, type HorizontalFence } from './geofence.ts';

export interface BatteryReserveConfig {
  rotor: RotorParams;
  /** Horizontal return speed, m/s; default the maximum-range speed of SPEC §4's model, ≤ maxSpeedMS. */
  returnSpeedMS: number;
  /** Vertical speed assumed for the climb/descent home, m/s; default min(2, maxVerticalSpeedMS). */
  verticalSpeedMS: number;
  /** Fixed reserve on top of the energy to return (landing, wind), J; default 2000. */
  marginJ: number;
  /** Proportional reserve: RTL when battery ≤ E_return·(1 + marginFraction) + marginJ; default 0.3. */
  marginFraction: number;
}

export interface EnvelopeConfig {
  fence: HorizontalFence;
  altitude: AltitudeBand;
  /** Horizontal room kept from the fence boundary along the whole braking path, m; default 2. */
  fenceMarginM: number;
  /** Room kept from the altitude band's edges, m; default 1. */
  altMarginM: number;
  /** Bound on the commanded speed |v|, m/s. */
  maxSpeedMS: number;
  /** Bound on |v_z|, m/s; default maxSpeedMS. */
  maxVerticalSpeedMS: number;
  /** Bound on the commanded velocity change, m/s² (|Δv| ≤ a·dt per tick). */
  maxAccelMS2: number;
  /** Minimum separation from other UAVs, m. */
  dMinM: number;
  /** Separation look-ahead (at least the braking time is always checked), s; default 3. */
  separationHorizonS: number;
  /** Fleet reports older than this are stale, s; default 2. */
  fleetStaleS: number;
  /** Fastest any fleet member may fly, m/s (stale-entry growth); default maxSpeedMS. */
  fleetMaxSpeedMS: number;
  /** Strongest acceleration of a fleet member, m/s² (extrapolation error); default maxAccelMS2. */
  fleetMaxAccelMS2: number;
  /** Cap on a neighbour's position uncertainty, m; default 50. */
  maxUncertaintyM: number;
  /** This UAV's fleet id; entries with it are ignored. */
  selfId?: string;
  /** Battery reserve → RTL; omitted = disabled (say so loudly in the caller). */
  battery?: BatteryReserveConfig;
  /** Desired velocities above factor·maxSpeedMS are out of range → hold; default 3. */
  outOfRangeSpeedFactor: number;
  /** Desired positions farther than this are out of range → hold, m; default 10 000. */
  outOfRangeDistanceM: number;
  /** Last command is the accel-limit reference if younger than this, s; default 1. */
  commandFreshS: number;
  /** Tick used when the given dtS is not finite/positive, s; default 0.1. */
  nominalDtS: number;
  /** Longest tick the envelope accepts (longer are clamped), s; default 1. */
  maxDtS: number;
  /** Bound on a passed-through yaw rate, rad/s; default 1. */
  maxYawRateRadS: number;
}

type Required = 'fence' | 'altitude' | 'maxSpeedMS' | 'maxAccelMS2' | 'dMinM';
export type EnvelopeConfigInput = Pick<EnvelopeConfig, Required> &
  Partial<Omit<EnvelopeConfig, Required | 'battery'>> & { battery?: Partial<BatteryReserveConfig> | undefined };

/** Fills defaults and checks ranges. */
export function resolveEnvelopeConfig(c: EnvelopeConfigInput): Result<EnvelopeConfig, 'invalid_config'> {
  const pos = (x: number | undefined) => x !== undefined && Number.isFinite(x) && x > 0;
  if (!pos(c.maxSpeedMS)) return fail('invalid_config', 'maxSpeedMS must be > 0');
  if (!pos(c.maxAccelMS2)) return fail('invalid_config', 'maxAccelMS2 must be > 0');
  if (!pos(c.dMinM)) return fail('invalid_config', 'dMinM must be > 0');
  const bad = validateFence(c.fence);
  if (bad) return fail('invalid_config', `fence: ${bad}`);
  if (!(Number.isFinite(c.altitude.minAltM) && Number.isFinite(c.altitude.maxAltM) && c.altitude.minAltM < c.altitude.maxAltM)) {
    return fail('invalid_config', 'altitude band needs finite minAltM < maxAltM');
  }
  const vz = c.maxVerticalSpeedMS ?? c.maxSpeedMS;
  const out: EnvelopeConfig = {
    fence: c.fence,
    altitude: c.altitude,
    fenceMarginM: c.fenceMarginM ?? 2,
    altMarginM: c.altMarginM ?? 1,
    maxSpeedMS: c.maxSpeedMS,
    maxVerticalSpeedMS: vz,
    maxAccelMS2: c.maxAccelMS2,
    dMinM: c.dMinM,
    separationHorizonS: c.separationHorizonS ?? 3,
    fleetStaleS: c.fleetStaleS ?? 2,
    fleetMaxSpeedMS: c.fleetMaxSpeedMS ?? c.maxSpeedMS,
    fleetMaxAccelMS2: c.fleetMaxAccelMS2 ?? c.maxAccelMS2,
    maxUncertaintyM: c.maxUncertaintyM ?? 50,
    outOfRangeSpeedFactor: c.outOfRangeSpeedFactor ?? 3,
    outOfRangeDistanceM: c.outOfRangeDistanceM ?? 10_000,
    commandFreshS: c.commandFreshS ?? 1,
    nominalDtS: c.nominalDtS ?? 0.1,
    maxDtS: c.maxDtS ?? 1,
    maxYawRateRadS: c.maxYawRateRadS ?? 1,
  };
  if (c.selfId !== undefined) out.selfId = c.selfId;
  if (c.battery) {
    const rotor = c.battery.rotor ?? DEFAULT_ROTOR;
    out.battery = {
      rotor,
      returnSpeedMS: c.battery.returnSpeedMS ?? Math.min(c.maxSpeedMS, maxRangeSpeedMS(c.maxSpeedMS, rotor)),
      verticalSpeedMS: c.battery.verticalSpeedMS ?? Math.min(2, vz),
      marginJ: c.battery.marginJ ?? 2000,
      marginFraction: c.battery.marginFraction ?? 0.3,
    };
    if (!pos(out.battery.returnSpeedMS) || !pos(out.battery.verticalSpeedMS)) return fail('invalid_config', 'battery return speeds must be > 0');
    if (!(out.battery.marginJ >= 0) || !(out.battery.marginFraction >= 0)) return fail('invalid_config', 'battery margins must be ≥ 0');
  }
  const nonNeg = ['fenceMarginM', 'altMarginM', 'separationHorizonS', 'fleetStaleS', 'maxUncertaintyM'] as const;
  for (const k of nonNeg) if (!(out[k] >= 0) || !Number.isFinite(out[k])) return fail('invalid_config', `${k} must be ≥ 0`);
  const positive = ['maxVerticalSpeedMS', 'fleetMaxSpeedMS', 'fleetMaxAccelMS2', 'outOfRangeSpeedFactor', 'outOfRangeDistanceM', 'commandFreshS', 'nominalDtS', 'maxDtS', 'maxYawRateRadS'] as const;
  for (const k of positive) if (!pos(out[k])) return fail('invalid_config', `${k} must be > 0`);
  if (c.altitude.maxAltM - c.altitude.minAltM <= 2 * out.altMarginM) return fail('invalid_config', 'altitude band is narrower than twice its margin');
  return ok(out);
}
