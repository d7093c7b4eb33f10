/**
 * Geofence geometry in the local NED frame. Horizontal zones are in (north, east) metres; the
 * altitude band (altitude = −z) is separate because QGroundControl fences are 2D.
 *
 * Semantics (as PX4's geofence): the vehicle must be inside at least one inclusion zone and
 * outside every exclusion zone. A straight path is accepted only when it lies wholly inside one
 * inclusion zone and clear of every exclusion, each with `marginM` to spare — exact for any simple
 * polygon (not only convex ones): start inside and no boundary edge within the margin of the path.
 */
export interface NE {
  n: number;
  e: number;
}

export type Zone =
  | { kind: 'polygon'; vertices: NE[] }
  | { kind: 'circle'; center: NE; radiusM: number };

export type HorizontalFence =
  | { kind: 'box'; northM: [number, number]; eastM: [number, number] }
  | { kind: 'zones'; inclusions: Zone[]; exclusions: Zone[] };

export interface AltitudeBand {
  minAltM: number;
  maxAltM: number;
}

const hyp = (n: number, e: number) => Math.sqrt(n * n + e * e);

/** Distance from point p to segment ab (2D). */
export function pointSegmentDistance(p: NE, a: NE, b: NE): number {
  const dn = b.n - a.n;
  const de = b.e - a.e;
  const len2 = dn * dn + de * de;
  const t = len2 === 0 ? 0 : Math.min(1, Math.max(0, ((p.n - a.n) * dn + (p.e - a.e) * de) / len2));
  return hyp(p.n - (a.n + t * dn), p.e - (a.e + t * de));
}

function orient(a: NE, b: NE, c: NE): number {
  return (b.n - a.n) * (c.e - a.e) - (b.e - a.e) * (c.n - a.n);
}

/** Do closed segments ab and cd intersect (including touching)? */
export function segmentsIntersect(a: NE, b: NE, c: NE, d: NE): boolean {
  const o1 = orient(a, b, c);
  const o2 = orient(a, b, d);
  const o3 = orient(c, d, a);
  const o4 = orient(c, d, b);
  if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0))) return true;
  const on = (p: NE, q: NE, r: NE) =>
    Math.min(p.n, q.n) <= r.n && r.n <= Math.max(p.n, q.n) && Math.min(p.e, q.e) <= r.e && r.e <= Math.max(p.e, q.e);
  return (o1 === 0 && on(a, b, c)) || (o2 === 0 && on(a, b, d)) || (o3 === 0 && on(c, d, a)) || (o4 === 0 && on(c, d, b));
}

/** Distance between segments ab and cd (2D); 0 when they cross. */
export function segmentSegmentDistance(a: NE, b: NE, c: NE, d: NE): number {
  if (segmentsIntersect(a, b, c, d)) return 0;
  return Math.min(pointSegmentDistance(a, c, d), pointSegmentDistance(b, c, d), pointSegmentDistance(c, a, b), pointSegmentDistance(d, a, b));
}

/** Even–odd point-in-polygon test. */
export function pointInPolygon(p: NE, vs: NE[]): boolean {
  let inside = false;
  for (let i = 0, j = vs.length - 1; i < vs.length; j = i++) {
    const a = vs[i]!;
    const b = vs[j]!;
    if (a.e > p.e !== b.e > p.e && p.n < ((b.n - a.n) * (p.e - a.e)) / (b.e - a.e) + a.n) inside = !inside;
  }
  return inside;
}

function edges(vs: NE[]): [NE, NE][] {
  return vs.map((a, i) => [a, vs[(i + 1) % vs.length]!] as [NE, NE]);
}

/** Signed distance to the zone boundary: positive inside, negative outside. */
export function zoneDepth(z: Zone, p: NE): number {
  if (z.kind === 'circle') return z.radiusM - hyp(p.n - z.center.n, p.e - z.center.e);
  let d = Infinity;
  for (const [a, b] of edges(z.vertices)) d = Math.min(d, pointSegmentDistance(p, a, b));
  return pointInPolygon(p, z.vertices) ? d : -d;
}

/** How far the path a→b stays inside the zone (m): + inside with that much room, − outside. */
function insideClearance(z: Zone, a: NE, b: NE): number {
  if (z.kind === 'circle') return Math.min(zoneDepth(z, a), zoneDepth(z, b)); // convex: endpoints decide
  const da = zoneDepth(z, a);
  if (da < 0) return Math.min(da, zoneDepth(z, b));
  let d = Infinity;
  for (const [c, e] of edges(z.vertices)) d = Math.min(d, segmentSegmentDistance(a, b, c, e));
  return d > 0 ? d : Math.min(0, zoneDepth(z, b));
}

/** How far the path a→b stays outside the zone (m): + clear by that much, − inside. */
function outsideClearance(z: Zone, a: NE, b: NE): number {
  if (z.kind === 'circle') return pointSegmentDistance(z.center, a, b) - z.radiusM;
  const da = -zoneDepth(z, a);
  if (da < 0) return Math.min(da, -zoneDepth(z, b));
  let d = Infinity;
  for (const [c, e] of edges(z.vertices)) d = Math.min(d, segmentSegmentDistance(a, b, c, e));
  return d > 0 ? d : Math.min(0, -zoneDepth(z, b));
}

/**
 * Clearance of the horizontal path a→b (m): ≥ marginM means it is accepted. Negative values say
 * how far outside (or inside an exclusion) it goes, which ranks recovery options.
 */
export function horizontalPathClearance(f: HorizontalFence, a: NE, b: NE): number {
  if (f.kind === 'box') {
    const depth = (p: NE) => Math.min(p.n - f.northM[0], f.northM[1] - p.n, p.e - f.eastM[0], f.eastM[1] - p.e);
    return Math.min(depth(a), depth(b));
  }
  let best = -Infinity;
  for (const z of f.inclusions) best = Math.max(best, insideClearance(z, a, b));
  for (const z of f.exclusions) best = Math.min(best, outsideClearance(z, a, b));
  return best;
}

/** Signed depth of one point inside the horizontal fence (+ inside). */
export function horizontalDepth(f: HorizontalFence, p: NE): number {
  return horizontalPathClearance(f, p, p);
}

/** Signed depth of an altitude (m, up) inside the band. */
export function altitudeDepth(band: AltitudeBand, altM: number): number {
  return Math.min(altM - band.minAltM, band.maxAltM - altM);
}

/** Checks a fence for degenerate geometry; returns an error message or undefined. */
export function validateFence(f: HorizontalFence): string | undefined {
  const fin = (...xs: number[]) => xs.every(Number.isFinite);
  if (f.kind === 'box') {
    if (!fin(...f.northM, ...f.eastM)) return 'box bounds must be finite';
    if (!(f.northM[0] < f.northM[1]) || !(f.eastM[0] < f.eastM[1])) return 'box bounds must be [min, max] with min < max';
    return undefined;
  }
  if (f.inclusions.length === 0) return 'a zone fence needs at least one inclusion zone';
  for (const z of [...f.inclusions, ...f.exclusions]) {
    if (z.kind === 'circle') {
      if (!fin(z.center.n, z.center.e, z.radiusM) || !(z.radiusM > 0)) return 'circle needs a finite centre and radius > 0';
    } else {
      if (z.vertices.length < 3) return `polygon needs at least 3 vertices, got ${z.vertices.length}`;
      if (!z.vertices.every((v) => fin(v.n, v.e))) return 'polygon vertices must be finite';
    }
  }
  return undefined;
}
