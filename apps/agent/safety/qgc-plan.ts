/**
 * Reads the geofence of a QGroundControl `.plan` file (JSON, `fileType: "Plan"`):
 *
 *   geoFence.polygons[i] = { inclusion: boolean, polygon: [[latDeg, lonDeg], …], version }
 *   geoFence.circles[i]  = { inclusion: boolean, circle: { center: [latDeg, lonDeg], radius: m }, version }
 *
 * into NED-frame zones around a local origin. The origin defaults to
 * `mission.plannedHomePosition`; pass the autopilot's local (EKF) origin when it differs.
 * Projection: core/geo.ts, the same WGS-84 local tangent plane the agent maps the autopilot's
 * position with (and the SITL reports it with), so fence and position agree to the centimetre.
 * QGC fences carry no altitude; the band comes from the envelope's configuration.
 */
import { geoToNorthEast } from '../../../core/geo.ts';
import { fail, ok, type Result } from '../../../core/result.ts';
import type { HorizontalFence, NE, Zone } from './geofence.ts';
import { validateFence } from './geofence.ts';

export interface GeoOrigin {
  latDeg: number;
  lonDeg: number;
}

export interface PlanFence {
  fence: Extract<HorizontalFence, { kind: 'zones' }>;
  origin: GeoOrigin;
  /** `geoFence.breachReturn` if present, in NED (n, e) metres. */
  breachReturn?: NE;
}

/** Latitude/longitude (deg) → (north, east) metres from `origin` (WGS-84, core/geo.ts). */
export function geoToNe(origin: GeoOrigin, latDeg: number, lonDeg: number): NE {
  return geoToNorthEast(origin, latDeg, lonDeg);
}

class PlanError extends Error {}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function latLon(x: unknown, where: string): [number, number] {
  if (!Array.isArray(x) || x.length < 2 || typeof x[0] !== 'number' || typeof x[1] !== 'number') {
    throw new PlanError(`${where}: expected [latDeg, lonDeg], got ${JSON.stringify(x)}`);
  }
  const [lat, lon] = x as [number, number];
  if (!(Math.abs(lat) <= 90) || !(Math.abs(lon) <= 180)) throw new PlanError(`${where}: latitude/longitude out of range (${lat}, ${lon})`);
  return [lat, lon];
}

/**
 * Parses the text of a `.plan` file. Fails with 'invalid_plan' and a detail naming the JSON path
 * of the first problem (e.g. `geoFence.polygons[1].polygon[2]: expected [latDeg, lonDeg]`).
 */
export function parseQgcPlanFence(text: string, origin?: GeoOrigin): Result<PlanFence, 'invalid_plan'> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return fail('invalid_plan', `not JSON: ${(e as Error).message}`);
  }
  try {
    if (!isObj(doc)) throw new PlanError('top level: expected a JSON object');
    if (doc.fileType !== 'Plan') throw new PlanError(`fileType: expected "Plan", got ${JSON.stringify(doc.fileType)}`);
    const gf = doc.geoFence;
    if (!isObj(gf)) throw new PlanError('geoFence: missing or not an object');
    let o = origin;
    if (!o) {
      const mission = doc.mission;
      const home = isObj(mission) ? mission.plannedHomePosition : undefined;
      if (home === undefined) throw new PlanError('mission.plannedHomePosition: missing, and no origin was given');
      const [lat, lon] = latLon(home, 'mission.plannedHomePosition');
      o = { latDeg: lat, lonDeg: lon };
    }
    const inclusions: Zone[] = [];
    const exclusions: Zone[] = [];
    const polygons = gf.polygons ?? [];
    const circles = gf.circles ?? [];
    if (!Array.isArray(polygons)) throw new PlanError('geoFence.polygons: expected an array');
    if (!Array.isArray(circles)) throw new PlanError('geoFence.circles: expected an array');
    polygons.forEach((p: unknown, i) => {
      const where = `geoFence.polygons[${i}]`;
      if (!isObj(p)) throw new PlanError(`${where}: expected an object`);
      if (typeof p.inclusion !== 'boolean') throw new PlanError(`${where}.inclusion: expected true or false`);
      if (!Array.isArray(p.polygon) || p.polygon.length < 3) throw new PlanError(`${where}.polygon: expected at least 3 [lat, lon] vertices`);
      const vertices = p.polygon.map((v: unknown, k) => {
        const [lat, lon] = latLon(v, `${where}.polygon[${k}]`);
        return geoToNe(o, lat, lon);
      });
      (p.inclusion ? inclusions : exclusions).push({ kind: 'polygon', vertices });
    });
    circles.forEach((c: unknown, i) => {
      const where = `geoFence.circles[${i}]`;
      if (!isObj(c)) throw new PlanError(`${where}: expected an object`);
      if (typeof c.inclusion !== 'boolean') throw new PlanError(`${where}.inclusion: expected true or false`);
      if (!isObj(c.circle)) throw new PlanError(`${where}.circle: expected { center, radius }`);
      const [lat, lon] = latLon(c.circle.center, `${where}.circle.center`);
      const r = c.circle.radius;
      if (typeof r !== 'number' || !(r > 0) || !Number.isFinite(r)) throw new PlanError(`${where}.circle.radius: expected a number > 0, got ${JSON.stringify(r)}`);
      (c.inclusion ? inclusions : exclusions).push({ kind: 'circle', center: geoToNe(o, lat, lon), radiusM: r });
    });
    if (inclusions.length === 0) throw new PlanError('geoFence: no inclusion polygon or circle (the envelope needs somewhere it may fly)');
    const fence = { kind: 'zones' as const, inclusions, exclusions };
    const bad = validateFence(fence);
    if (bad) throw new PlanError(`geoFence: ${bad}`);
    const out: PlanFence = { fence, origin: o };
    if (gf.breachReturn !== undefined) {
      const [lat, lon] = latLon(gf.breachReturn, 'geoFence.breachReturn');
      out.breachReturn = geoToNe(o, lat, lon);
    }
    return ok(out);
  } catch (e) {
    if (e instanceof PlanError) return fail('invalid_plan', e.message);
    throw e;
  }
}
