/**
 * The one geodesy module: local tangent plane around a mission origin, NED metres ↔ WGS-84
 * degrees. Used by the agent (autopilot position → mission frame), the SITL (its truth → the
 * GLOBAL_POSITION it reports) and the QGroundControl fence import, so a fence and a position never
 * disagree by a projection. Equirectangular with the WGS-84 radii of curvature (meridian M and
 * prime-vertical N·cos φ) at the origin latitude: error < 0.1 % of the offset within ~10 km, which
 * is ample for a mission area of a few km (SPEC §5.6: 1 km²).
 */
export interface Vec3 {
  x: number;
  y: number;
  z: number;
}

export interface GeoPoint {
  latDeg: number;
  lonDeg: number;
  altAmslM: number;
}

const A = 6378137.0;
const E2 = 6.69437999014e-3;
const DEG = Math.PI / 180;

function radii(latDeg: number): { rN: number; rE: number } {
  const s = Math.sin(latDeg * DEG);
  const w = Math.sqrt(1 - E2 * s * s);
  const rMeridian = (A * (1 - E2)) / (w * w * w);
  const rPrime = A / w;
  return { rN: rMeridian, rE: rPrime * Math.cos(latDeg * DEG) };
}

/** (north, east) metres of a latitude/longitude from `origin` (altitude ignored). */
export function geoToNorthEast(origin: Pick<GeoPoint, 'latDeg' | 'lonDeg'>, latDeg: number, lonDeg: number): { n: number; e: number } {
  const { rN, rE } = radii(origin.latDeg);
  return { n: (latDeg - origin.latDeg) * DEG * rN, e: (lonDeg - origin.lonDeg) * DEG * rE };
}

/** NED offset (m, z down) of `p` from `origin`. */
export function geoToNed(origin: GeoPoint, p: GeoPoint): Vec3 {
  const { rN, rE } = radii(origin.latDeg);
  return {
    x: (p.latDeg - origin.latDeg) * DEG * rN,
    y: (p.lonDeg - origin.lonDeg) * DEG * rE,
    z: -(p.altAmslM - origin.altAmslM),
  };
}

/** Geodetic point at NED offset `ned` from `origin`. */
export function nedToGeo(origin: GeoPoint, ned: Vec3): GeoPoint {
  const { rN, rE } = radii(origin.latDeg);
  return {
    latDeg: origin.latDeg + ned.x / rN / DEG,
    lonDeg: origin.lonDeg + ned.y / rE / DEG,
    altAmslM: origin.altAmslM - ned.z,
  };
}

export const vec = (x = 0, y = 0, z = 0): Vec3 => ({ x, y, z });
export const add = (a: Vec3, b: Vec3): Vec3 => ({ x: a.x + b.x, y: a.y + b.y, z: a.z + b.z });
export const sub = (a: Vec3, b: Vec3): Vec3 => ({ x: a.x - b.x, y: a.y - b.y, z: a.z - b.z });
export const scale = (a: Vec3, k: number): Vec3 => ({ x: a.x * k, y: a.y * k, z: a.z * k });
export const horiz = (a: Vec3): number => Math.hypot(a.x, a.y);
export const norm = (a: Vec3): number => Math.hypot(a.x, a.y, a.z);
