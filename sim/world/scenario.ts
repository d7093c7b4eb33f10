/**
 * A mission scenario: the fleet, the users, their tasks and the radio, in SI units.
 *
 * The default follows paper S3's setting (SPEC §5.5) — task 100–150 kb, 500–1000 cycles/bit,
 * user CPU 0.8–1 GHz, user power 1 W, UAV CPU 10 GHz, 20 MHz, noise −70 dBm, coverage cone 60° —
 * with a larger area (150 m instead of 50 m) and a higher cruise altitude (25 m instead of 10–20 m)
 * so that four UAVs have user clusters to fly to, and with S3's slot-wise task arrivals (one task
 * per user per slot). **[choice]** Users stand in Gaussian hotspots and walk slowly, so the
 * "hover over user clusters" planner has something to track.
 */
import { LAUNCH_PAD_SPACING_M, launchPadCapacity } from './launch.ts';
import { defaultChannelParams, type ChannelParams } from '../../engines/planning/offload/index.ts';
import type { DagGenOptions } from '../../engines/scheduling/index.ts';

export interface GeoOrigin {
  latDeg: number;
  lonDeg: number;
  altAmslM: number;
}

export interface Scenario {
  seed: number;
  uavs: number;
  users: number;
  slots: number;
  /** Slot length τ, s. */
  slotS: number;
  /** Side of the square mission area, m; the mission frame origin is its south-west corner. */
  areaM: number;
  /** Geodetic position of the mission-frame origin (the SITL fleet's launch site). */
  origin: GeoOrigin;
  /** Cruise altitude band, m above the origin. */
  altMinM: number;
  altMaxM: number;
  cruiseAltM: number;
  /** Horizontal speed limit planned with, m/s. */
  uavSpeedMS: number;
  hotspots: number;
  hotspotSigmaM: number;
  /** Users' random-walk speed, m/s (0 = static). */
  userSpeedMS: number;
  task: {
    dataBits: [number, number];
    cyclesPerBit: [number, number];
    localCpuHz: [number, number];
    txPowerW: number;
    /** Deadline after release, s (0 = the slot length). */
    deadlineS: number;
  };
  /** UAV capabilities; `batteryJ` is the pack's usable energy (≈ 111 Wh: SPEC's 20 kJ would not lift a real quadrotor for two minutes). */
  uav: { cpuHz: number; bandwidthHz: number; txPowerW: number; cacheBits: number; batteryJ: number };
  channel: ChannelParams;
  /**
   * 'independent' (default): one indivisible task per user per slot (S3). 'dag': every
   * `poolEverySlots` slots each user releases a dependent task for the computing power pool (S1,
   * SPEC §5.3; see dag.ts).
   */
  taskModel?: 'independent' | 'dag';
  /** Pool round period, slots (dag mode; default 30). */
  poolEverySlots?: number;
  /** Overrides of the DAG generator (dag mode), e.g. `{ repeatRatio: 0.6 }`. */
  dagGen?: Partial<DagGenOptions>;
  /**
   * Fixed user devices (mission frame, m; CPU, Hz), e.g. a learning environment's layout
   * (s3-scenario.ts). When set they replace the hotspot draw: `users` must equal their number, and
   * they stand where they are only if `userSpeedMS` is 0.
   */
  userSites?: { pos: [number, number, number]; localCpuHz: number }[];
  /**
   * Where each UAV starts (mission frame, m; index i = UAV i + 1): its launch point is (x, y) and it
   * climbs to z before slot 0. Default: launch pads in rows inside the area (launch.ts), at `cruiseAltM`.
   */
  uavStarts?: [number, number, number][];
}

export function defaultScenario(overrides: Partial<Scenario> = {}): Scenario {
  return {
    seed: 1,
    uavs: 4,
    users: 20,
    slots: 60,
    slotS: 2,
    areaM: 150,
    origin: { latDeg: 47.397742, lonDeg: 8.545594, altAmslM: 488 },
    altMinM: 10,
    altMaxM: 40,
    cruiseAltM: 25,
    uavSpeedMS: 8,
    hotspots: 4,
    hotspotSigmaM: 12,
    userSpeedMS: 0.5,
    task: { dataBits: [100e3, 150e3], cyclesPerBit: [500, 1000], localCpuHz: [0.8e9, 1e9], txPowerW: 1, deadlineS: 0 },
    uav: { cpuHz: 10e9, bandwidthHz: 20e6, txPowerW: 5, cacheBits: 8e6 * 64, batteryJ: 400e3 },
    channel: defaultChannelParams(),
    ...overrides,
  };
}

/** Checks a scenario; returns the first problem found. */
export function validateScenario(s: Scenario): string | undefined {
  const pos: [string, number][] = [
    ['uavs', s.uavs], ['users', s.users], ['slots', s.slots], ['slotS', s.slotS], ['areaM', s.areaM],
    ['cruiseAltM', s.cruiseAltM], ['uavSpeedMS', s.uavSpeedMS], ['uav.cpuHz', s.uav.cpuHz], ['uav.bandwidthHz', s.uav.bandwidthHz],
  ];
  for (const [k, v] of pos) if (!(v > 0) || !Number.isFinite(v)) return `${k} must be > 0, got ${v}`;
  if (!Number.isInteger(s.uavs) || s.uavs > 250) return 'uavs must be a whole number ≤ 250';
  if (!s.uavStarts && s.uavs > launchPadCapacity(s.areaM)) return `${s.uavs} UAVs do not fit on launch pads ${LAUNCH_PAD_SPACING_M} m apart in a ${s.areaM} m area (at most ${launchPadCapacity(s.areaM)}): make the area (areaM) larger`;
  if (!Number.isInteger(s.users)) return 'users must be a whole number';
  if (s.poolEverySlots !== undefined && !(Number.isInteger(s.poolEverySlots) && s.poolEverySlots >= 1)) return 'poolEverySlots must be a whole number ≥ 1';
  if (!(s.altMinM <= s.cruiseAltM && s.cruiseAltM <= s.altMaxM)) return 'cruiseAltM must lie within [altMinM, altMaxM]';
  if (s.userSites && s.userSites.length !== s.users) return `userSites lists ${s.userSites.length} users, users is ${s.users}`;
  if (s.userSites?.some((u) => !u.pos.every(Number.isFinite) || !(u.localCpuHz > 0))) return 'userSites need finite positions and localCpuHz > 0';
  if (s.uavStarts && s.uavStarts.length !== s.uavs) return `uavStarts lists ${s.uavStarts.length} UAVs, uavs is ${s.uavs}`;
  if (s.uavStarts?.some((p) => !p.every(Number.isFinite) || p[2] < s.altMinM || p[2] > s.altMaxM)) return 'uavStarts need finite positions with z within [altMinM, altMaxM]';
  return undefined;
}
