/**
 * What the page needs to know that the bus does not carry: where to connect (live) or what to
 * play (replay), the mission geometry (area, altitude band, geodetic origin, coverage angle) and
 * the topic table. Pure: scenario and options in, a plain object out (served as /config.json).
 */
import { TOPICS } from '../../proto/index.ts';
import { nedToGeo } from '../../core/geo.ts';
import type { Scenario } from '../../sim/world/index.ts';

/** Seconds of mission time without a twin state after which a UAV's row turns stale (issue 17). */
export const STALE_AFTER_S = 2;

export interface ViewGeometry {
  /** Side of the square mission area (the geofence), m; the frame origin is its south-west corner. */
  areaM: number;
  altMinM: number;
  altMaxM: number;
  /** Coverage half-angle from the vertical, degrees (SPEC §3: disc radius R = H tan θ_max). */
  thetaMaxDeg: number;
  /** Geodetic origin of the mission frame and the degrees one metre east/north spans there (core/geo.ts). */
  origin: { latDeg: number; lonDeg: number };
  degPerM: { lat: number; lon: number };
}

export interface ViewConfig {
  mode: 'live' | 'replay';
  /**
   * Live: the broker's MQTT-over-WebSocket URL the page connects to, and how it logs in. `urls`:
   * every node of a clustered broker, `url` first; the page moves along them on each reconnection,
   * as the bus does along its broker list (apps/common/bus.ts).
   */
  ws?: { url: string; urls?: string[]; username?: string; password?: string };
  /** Replay: the run folder's name (the recording is at /recording). */
  run?: string;
  geometry: ViewGeometry;
  staleAfterS: number;
  /** Slot length, s (live: the scenario's; the fleet state's slot_s wins once seen). */
  slotS: number;
  /** Whether /tiles/{z}/{x}/{y}.png serves an operator's raster tiles. */
  tiles: boolean;
  /** The topic table (proto/topics.ts): pattern, message type and key of each topic. */
  topics: { key: string; pattern: string; type: string }[];
}

export type GeometrySource = Pick<Scenario, 'areaM' | 'altMinM' | 'altMaxM' | 'origin'> & { channel?: { thetaMaxDeg?: number } };

export function viewGeometry(s: GeometrySource): ViewGeometry {
  const o = { latDeg: s.origin.latDeg, lonDeg: s.origin.lonDeg, altAmslM: s.origin.altAmslM };
  const one = nedToGeo(o, { x: 1, y: 1, z: 0 });
  return {
    areaM: s.areaM,
    altMinM: s.altMinM,
    altMaxM: s.altMaxM,
    thetaMaxDeg: s.channel?.thetaMaxDeg ?? 60,
    origin: { latDeg: o.latDeg, lonDeg: o.lonDeg },
    degPerM: { lat: one.latDeg - o.latDeg, lon: one.lonDeg - o.lonDeg },
  };
}

export function viewConfig(o: { mode: 'live' | 'replay'; ws?: ViewConfig['ws']; run?: string; scenario: GeometrySource & { slotS: number }; tiles: boolean }): ViewConfig {
  return {
    mode: o.mode,
    ...(o.ws ? { ws: o.ws } : {}),
    ...(o.run ? { run: o.run } : {}),
    geometry: viewGeometry(o.scenario),
    staleAfterS: STALE_AFTER_S,
    slotS: o.scenario.slotS,
    tiles: o.tiles,
    topics: TOPICS.map((t) => ({ key: t.key, pattern: t.pattern, type: t.type })),
  };
}
