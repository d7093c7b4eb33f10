/**
 * Property tests of the envelope (fast-check, seeded, ≥ 1000 runs each) over random policy
 * outputs, own states and fleet states. Geometry is re-checked here with independent code: the
 * braking path is re-simulated tick by tick and the fence is a plain box test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { constrainStep, type ConstrainInput, type EnvelopeMemory } from './envelope.ts';
import { resolveEnvelopeConfig, type EnvelopeConfig } from './config.ts';
import type { FleetEntry } from './separation.ts';
import type { Vec3 } from './vec.ts';
import type { Setpoint } from '../../../firmware-bridge/vehicle.ts';

const T0 = 1_700_000_000_000_000;
const DT = 0.1;
const r = resolveEnvelopeConfig({
  fence: { kind: 'box', northM: [-100, 100], eastM: [-100, 100] },
  altitude: { minAltM: 10, maxAltM: 60 },
  maxSpeedMS: 10, maxVerticalSpeedMS: 3, maxAccelMS2: 4, dMinM: 5,
});
assert.ok(r.ok);
const cfg: EnvelopeConfig = r.value;
const H = cfg.fenceMarginM;
const A = cfg.altMarginM;

const len = (v: Vec3) => Math.hypot(v.x, v.y, v.z);
const eps = 1e-6;

/** Independent: positions after each tick of "fly v once, then brake at aMax", and per-tick velocities. */
function brakingTicks(p: Vec3, v: Vec3, a: number, dt: number): { pts: Vec3[]; vels: Vec3[] } {
  const s = len(v);
  const pts = [p];
  const vels: Vec3[] = [];
  let q = p;
  for (let u = s; u > 0; u -= a * dt) {
    const w = { x: (v.x / s) * u, y: (v.y / s) * u, z: (v.z / s) * u };
    q = { x: q.x + w.x * dt, y: q.y + w.y * dt, z: q.z + w.z * dt };
    pts.push(q);
    vels.push(w);
  }
  return { pts, vels };
}
const insideBox = (q: Vec3, m: number, am: number) => q.x >= -100 + m - eps && q.x <= 100 - m + eps && q.y >= -100 + m - eps && q.y <= 100 - m + eps && -q.z >= 10 + am - eps && -q.z <= 60 - am + eps;

/** Independent: min distance to a constant-velocity neighbour along the braking path, over ≥ horizon. */
function minDistance(p: Vec3, v: Vec3, q: Vec3, w: Vec3, horizonS: number): number {
  const { pts, vels } = brakingTicks(p, v, cfg.maxAccelMS2, DT);
  const segs: { from: Vec3; vel: Vec3; t0: number; dur: number }[] = vels.map((vel, k) => ({ from: pts[k]!, vel, t0: k * DT, dur: DT }));
  const tEnd = vels.length * DT;
  if (tEnd < horizonS) segs.push({ from: pts[pts.length - 1]!, vel: { x: 0, y: 0, z: 0 }, t0: tEnd, dur: horizonS - tEnd });
  let best = Infinity;
  for (const s of segs) {
    for (let j = 0; j <= 50; j++) {
      const t = (s.dur * j) / 50;
      const o = { x: s.from.x + s.vel.x * t, y: s.from.y + s.vel.y * t, z: s.from.z + s.vel.z * t };
      const n = { x: q.x + w.x * (s.t0 + t), y: q.y + w.y * (s.t0 + t), z: q.z + w.z * (s.t0 + t) };
      best = Math.min(best, Math.hypot(o.x - n.x, o.y - n.y, o.z - n.z));
    }
  }
  return best;
}

/** Uniform over [lo, hi] (fc.double is biased towards tiny and edge values, which would hide the geometry). */
const num = (lo: number, hi: number) => fc.integer({ min: 0, max: 1 << 30 }).map((i) => lo + ((hi - lo) * i) / (1 << 30));
const vec = (lo: number, hi: number) => fc.record({ x: num(lo, hi), y: num(lo, hi), z: num(lo, hi) });
const withinLimits = (v: Vec3): Vec3 => {
  let k = Math.min(1, cfg.maxSpeedMS / Math.max(len(v), 1e-12));
  if (Math.abs(v.z) * k > cfg.maxVerticalSpeedMS) k = cfg.maxVerticalSpeedMS / Math.abs(v.z);
  return { x: v.x * k, y: v.y * k, z: v.z * k };
};
/** Own positions: uniform in the box, or within 20 m of a wall / 8 m of a band edge (where the envelope works). */
const ownPos = fc.oneof(
  fc.record({ x: num(-100, 100), y: num(-100, 100), z: num(-60, -10) }),
  fc.record({ axis: fc.constantFrom('x', 'y', 'z'), sign: fc.constantFrom(-1, 1), d: num(0, 20), x: num(-100, 100), y: num(-100, 100), z: num(-60, -10) }).map(
    ({ axis, sign, d, x, y, z }): Vec3 => {
      if (axis === 'z') return { x, y, z: sign > 0 ? -(60 - A - d * 0.4) : -(10 + A + d * 0.4) };
      const w = sign * (100 - H - d);
      return axis === 'x' ? { x: w, y, z } : { x, y: w, z };
    },
  ),
);
const bad = fc.constantFrom(NaN, Infinity, -Infinity);
const desiredArb: fc.Arbitrary<Setpoint> = fc.oneof(
  vec(-40, 40).map((velocityMS) => ({ kind: 'velocity_ned' as const, velocityMS })),
  vec(-150, 150).map((positionM) => ({ kind: 'position_ned' as const, positionM })),
  fc.tuple(vec(-10, 10), bad, fc.constantFrom('x' as const, 'y' as const, 'z' as const)).map(([v, b, k]) => ({ kind: 'velocity_ned' as const, velocityMS: { ...v, [k]: b } })),
  fc.tuple(vec(-50, 50), bad, fc.constantFrom('x' as const, 'y' as const, 'z' as const)).map(([v, b, k]) => ({ kind: 'position_ned' as const, positionM: { ...v, [k]: b } })),
);
/** Neighbour offsets: anywhere within 40 m, or just beyond d_min from where the last command would stop. */
const offArb = (last: Vec3) => fc.oneof(
  vec(-40, 40),
  fc.record({ s: num(0, 6), lat: vec(-3, 3) }).map(({ s, lat }) => {
    const n = Math.max(len(last), 1e-9);
    const reach = (n * n) / (2 * cfg.maxAccelMS2) + n * DT + cfg.dMinM + s;
    return { x: (last.x / n) * reach + lat.x, y: (last.y / n) * reach + lat.y, z: ((last.z / n) * reach + lat.z) * 3 };
  }),
);
const fleetArb = (own: Vec3, last: Vec3, fresh: boolean) =>
  fc.array(
    fc.record({ off: offArb(last), vel: fc.option(vec(fresh ? -4 : -8, fresh ? 4 : 8), { nil: undefined }), ageS: fresh ? fc.constant(0) : num(0, 4) }),
    { maxLength: 4 },
  ).map((xs): FleetEntry[] => xs.map((f, i) => {
    const e: FleetEntry = { id: `n${i}`, posNedM: { x: own.x + f.off.x, y: own.y + f.off.y, z: own.z + f.off.z / 3 }, tUs: T0 - f.ageS * 1e6 };
    if (f.vel || fresh) e.velNedMS = f.vel ?? { x: 0, y: 0, z: 0 };
    return e;
  }));

/** Positions whose last command would stop within a couple of metres of the margin (the hard cases). */
const edgePos = (last: Vec3) =>
  fc.record({ s: num(-0.5, 2.5), x: num(-90, 90), y: num(-90, 90), z: num(-55, -15) }).map(({ s, x, y, z }): Vec3 => {
    const n = len(last);
    const reach = n > 0 ? brakingTicks({ x: 0, y: 0, z: 0 }, last, cfg.maxAccelMS2, DT).pts.at(-1)! : { x: 0, y: 0, z: 0 };
    // Along the dominant axis of the last command, put the stop point s metres short of the margin.
    const ax = Math.abs(last.x) >= Math.abs(last.y) ? 'x' : 'y';
    const wall = Math.sign(last[ax] || 1) * (100 - H);
    return ax === 'x' ? { x: wall - reach.x - Math.sign(last.x || 1) * s, y, z } : { x, y: wall - reach.y - Math.sign(last.y || 1) * s, z };
  });
const scenario = (fresh: boolean) =>
  fc.record({ last: vec(-12, 12).map(withinLimits), desired: desiredArb })
    .chain((s) => fc.oneof(ownPos, edgePos(s.last)).map((p) => ({ ...s, p })))
    .chain((s) => fleetArb(s.p, s.last, fresh).map((fleet) => ({ ...s, fleet })));

function run(s: { p: Vec3; last: Vec3; desired: Setpoint; fleet: FleetEntry[] }) {
  const mem: EnvelopeMemory = { lastCmd: s.last, lastUs: T0 - DT * 1e6, rtlLatched: false };
  const input: ConstrainInput = { desired: s.desired, own: { posNedM: s.p, homeNedM: { x: 0, y: 0, z: 0 } }, fleet: s.fleet, nowUs: T0, dtS: DT };
  return constrainStep(cfg, mem, input).output;
}

void test('property: speed, vertical speed and per-tick velocity change are always within limits; NaN/Inf → hold', () => {
  fc.assert(fc.property(scenario(false), (s) => {
    const o = run(s);
    const v = o.setpoint.velocityMS;
    assert.equal(o.setpoint.kind, 'velocity_ned');
    assert.ok(Number.isFinite(v.x) && Number.isFinite(v.y) && Number.isFinite(v.z));
    assert.ok(len(v) <= cfg.maxSpeedMS + eps, `speed ${len(v)}`);
    assert.ok(Math.abs(v.z) <= cfg.maxVerticalSpeedMS + eps, `vz ${v.z}`);
    const dv = Math.hypot(v.x - s.last.x, v.y - s.last.y, v.z - s.last.z);
    assert.ok(dv <= cfg.maxAccelMS2 * DT + eps, `Δv ${dv}`);
    const d = s.desired;
    const vals = d.kind === 'velocity_ned' ? d.velocityMS : d.kind === 'position_ned' ? d.positionM : undefined;
    if (vals && ![vals.x, vals.y, vals.z].every(Number.isFinite)) {
      assert.equal(o.action, 'hold');
      assert.ok(o.reasons.includes('nonfinite_action'));
    }
  }), { seed: 6001, numRuns: 1000 });
});

void test('property: from a recoverable state the command never leaves fence/altitude band (one tick, nor its braking path)', () => {
  let recoverable = 0;
  fc.assert(fc.property(scenario(false), (s) => {
    const brake = (() => { const n = len(s.last); const k = Math.max(0, 1 - (cfg.maxAccelMS2 * DT) / Math.max(n, 1e-12)); return { x: s.last.x * k, y: s.last.y * k, z: s.last.z * k }; })();
    if (!brakingTicks(s.p, brake, cfg.maxAccelMS2, DT).pts.every((q) => insideBox(q, H, A))) return;
    recoverable++;
    const o = run({ ...s, fleet: [] });
    const v = o.setpoint.velocityMS;
    const one = { x: s.p.x + v.x * DT, y: s.p.y + v.y * DT, z: s.p.z + v.z * DT };
    assert.ok(insideBox(one, 0, 0), `one tick leaves the fence: ${JSON.stringify(one)}`);
    for (const q of brakingTicks(s.p, v, cfg.maxAccelMS2, DT).pts) assert.ok(insideBox(q, H, A), `braking path leaves: ${JSON.stringify(q)}`);
  }), { seed: 6002, numRuns: 1000 });
  assert.ok(recoverable > 250, `only ${recoverable} recoverable cases generated`);
});

void test('property: a command never closes separation below d_min when it was ≥ d_min (recoverable states)', () => {
  let checked = 0;
  fc.assert(fc.property(scenario(true), (s) => {
    const brake = (() => { const n = len(s.last); const k = Math.max(0, 1 - (cfg.maxAccelMS2 * DT) / Math.max(n, 1e-12)); return { x: s.last.x * k, y: s.last.y * k, z: s.last.z * k }; })();
    if (!brakingTicks(s.p, brake, cfg.maxAccelMS2, DT).pts.every((q) => insideBox(q, H, A))) return;
    const horizon = cfg.separationHorizonS;
    // Recoverable: braking keeps every (fresh, constant-velocity) neighbour ≥ d_min away (+ sampling slack).
    if (!s.fleet.every((f) => minDistance(s.p, brake, f.posNedM, f.velNedMS!, horizon) >= cfg.dMinM + 0.05)) return;
    checked++;
    const o = run(s);
    const v = o.setpoint.velocityMS;
    for (const f of s.fleet) {
      const w = f.velNedMS!;
      const after = Math.hypot(s.p.x + v.x * DT - (f.posNedM.x + w.x * DT), s.p.y + v.y * DT - (f.posNedM.y + w.y * DT), s.p.z + v.z * DT - (f.posNedM.z + w.z * DT));
      assert.ok(after >= cfg.dMinM - eps, `one tick closes to ${after} from ${f.id}`);
      const md = minDistance(s.p, v, f.posNedM, w, horizon);
      assert.ok(md >= cfg.dMinM - eps, `predicted separation ${md} from ${f.id}`);
    }
  }), { seed: 6003, numRuns: 1000 });
  assert.ok(checked > 300, `only ${checked} cases checked`);
});

void test('property: closed loop from rest — 60 ticks (6 random wishes held 1 s each) never breach fence, band or separation', () => {
  const arb = fc.record({
    p: ownPos.filter((q) => insideBox(q, H, A)),
    wishes: fc.array(desiredArb, { minLength: 6, maxLength: 6 }),
    obstacles: fc.array(fc.record({ off: vec(-25, 25), stale: fc.boolean() }), { maxLength: 3 }),
  });
  fc.assert(fc.property(arb, ({ p: p0, wishes, obstacles }) => {
    const fleet: FleetEntry[] = obstacles
      .map((o, i) => ({ id: `o${i}`, posNedM: { x: p0.x + o.off.x, y: p0.y + o.off.y, z: p0.z + o.off.z / 3 }, ...(o.stale ? {} : { velNedMS: { x: 0, y: 0, z: 0 } }), tUs: T0 }))
      .filter((f) => Math.hypot(f.posNedM.x - p0.x, f.posNedM.y - p0.y, f.posNedM.z - p0.z) > cfg.dMinM + (f.velNedMS ? 0 : cfg.fleetMaxSpeedMS * 3.2));
    let p = p0;
    let mem: EnvelopeMemory = { rtlLatched: false };
    let prev = { x: 0, y: 0, z: 0 };
    for (let k = 0; k < 60; k++) {
      const nowUs = T0 + k * DT * 1e6;
      const res = constrainStep(cfg, mem, { desired: wishes[Math.floor(k / 10)]!, own: { posNedM: p, velNedMS: prev, homeNedM: { x: 0, y: 0, z: 0 } }, fleet: fleet.map((f) => (f.velNedMS ? { ...f, tUs: nowUs } : f)), nowUs, dtS: DT });
      mem = res.memory;
      const v = res.output.setpoint.velocityMS;
      assert.ok(Math.hypot(v.x - prev.x, v.y - prev.y, v.z - prev.z) <= cfg.maxAccelMS2 * DT + eps);
      prev = v;
      p = { x: p.x + v.x * DT, y: p.y + v.y * DT, z: p.z + v.z * DT };
      assert.ok(insideBox(p, 0, 0), `tick ${k}: left the fence at ${JSON.stringify(p)}`);
      for (const f of fleet) assert.ok(Math.hypot(p.x - f.posNedM.x, p.y - f.posNedM.y, p.z - f.posNedM.z) >= cfg.dMinM - eps, `tick ${k}: within d_min of ${f.id}`);
    }
  }), { seed: 6004, numRuns: 1000, endOnFailure: true });
});

void test('property: closed loop inside a non-convex polygon with an exclusion circle never breaches it', () => {
  const L = [{ n: 0, e: 0 }, { n: 0, e: 100 }, { n: 100, e: 100 }, { n: 100, e: 50 }, { n: 50, e: 50 }, { n: 50, e: 0 }];
  const rz = resolveEnvelopeConfig({
    fence: { kind: 'zones', inclusions: [{ kind: 'polygon', vertices: L }], exclusions: [{ kind: 'circle', center: { n: 25, e: 75 }, radiusM: 8 }] },
    altitude: { minAltM: 10, maxAltM: 60 }, maxSpeedMS: 10, maxVerticalSpeedMS: 3, maxAccelMS2: 4, dMinM: 5,
  });
  assert.ok(rz.ok);
  const zc = rz.value;
  // Independent point test: even–odd ray casting and plain distances (not the module's path code).
  const inside = (q: Vec3) => {
    let inn = false;
    for (let i = 0, j = L.length - 1; i < L.length; j = i++) {
      const a = L[i]!;
      const b = L[j]!;
      if (a.e > q.y !== b.e > q.y && q.x < ((b.n - a.n) * (q.y - a.e)) / (b.e - a.e) + a.n) inn = !inn;
    }
    return inn && Math.hypot(q.x - 25, q.y - 75) >= 8;
  };
  const arb = fc.record({
    p: fc.record({ x: num(3, 97), y: num(3, 97), z: num(-55, -15) }).filter((q) => inside(q) && inside({ ...q, x: q.x + 2.5 }) && inside({ ...q, x: q.x - 2.5 }) && inside({ ...q, y: q.y + 2.5 }) && inside({ ...q, y: q.y - 2.5 }) && Math.hypot(q.x - 25, q.y - 75) > 10.5),
    wishes: fc.array(desiredArb, { minLength: 4, maxLength: 4 }),
  });
  fc.assert(fc.property(arb, ({ p: p0, wishes }) => {
    let p = p0;
    let mem: EnvelopeMemory = { rtlLatched: false };
    for (let k = 0; k < 60; k++) {
      const nowUs = T0 + k * DT * 1e6;
      const res = constrainStep(zc, mem, { desired: wishes[Math.floor(k / 15)]!, own: { posNedM: p, homeNedM: { x: 0, y: 0, z: 0 } }, fleet: [], nowUs, dtS: DT });
      mem = res.memory;
      const v = res.output.setpoint.velocityMS;
      p = { x: p.x + v.x * DT, y: p.y + v.y * DT, z: p.z + v.z * DT };
      assert.ok(inside(p), `tick ${k}: outside at ${JSON.stringify(p)}`);
    }
  }), { seed: 6005, numRuns: 1000, endOnFailure: true });
});
