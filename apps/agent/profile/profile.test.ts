import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { encode } from '../../../proto/index.ts';
import { createEnvelope } from '../safety/index.ts';
import { agentSettings, parseProfileJson, profileJson, readProfileFile } from './index.ts';

const FIXTURE = new URL('./fixtures/uav-1.profile.json', import.meta.url);
const text = fs.readFileSync(FIXTURE, 'utf8');
const doc = () => JSON.parse(text) as Record<string, Record<string, unknown>>;

void test('the fixture profile reads into the envelope and config the agent flies with', () => {
  const r = readProfileFile(FIXTURE.pathname);
  assert.ok(r.ok, r.ok ? '' : r.detail);
  const { envelope, config } = agentSettings(r.value, 1);
  assert.deepEqual(envelope.fence, { kind: 'box', northM: [-20, 170], eastM: [-20, 170] });
  assert.deepEqual(envelope.altitude, { minAltM: 0, maxAltM: 40 });
  assert.equal(envelope.maxSpeedMS, 12);
  assert.equal(envelope.dMinM, 3);
  assert.ok(createEnvelope(envelope).ok);
  assert.deepEqual(config.origin, { latDeg: 47.397742, lonDeg: 8.545594, altAmslM: 488 });
  assert.equal(config.kappa, 1e-28);
  assert.equal(config.takeoffAltM, 25);
  assert.deepEqual(config.failsafe, { slotS: 2, holdAfterSlots: 3, rtlAfterSlots: 10 });
  assert.equal(config.channel.thetaMaxDeg, 60);
  assert.equal(config.link.pathLossExponent, 2);
});

void test('JSON and binary files round-trip', () => {
  const r = parseProfileJson(text);
  assert.ok(r.ok);
  const again = parseProfileJson(profileJson(r.value));
  assert.ok(again.ok);
  assert.deepEqual(again.value, r.value);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uavmec-profile-'));
  const bin = path.join(dir, 'uav-1.profile.pb');
  fs.writeFileSync(bin, encode('UavProfile', r.value));
  const b = readProfileFile(bin);
  assert.ok(b.ok);
  assert.deepEqual(b.value, r.value);
  fs.rmSync(dir, { recursive: true });
});

void test('every rejection names the field', () => {
  const cases: [(d: Record<string, Record<string, unknown>>) => void, RegExp][] = [
    [(d) => { d.limits!.max_speed_ms = 3; }, /^limits\.max_speed_ms: unknown field/],
    [(d) => { d.limits!.max_speed_m_s = 'fast'; }, /limits\.max_speed_m_s: number expected/],
    [(d) => { d.limits!.max_speed_m_s = 0; }, /^limits\.max_speed_m_s must be > 0/],
    [(d) => { delete d.battery; }, /^battery missing/],
    [(d) => { d.origin!.lat_deg = 95; }, /^origin\.lat_deg out of range/],
    [(d) => { d.altitude!.takeoff_alt_m = 50; }, /^altitude\.takeoff_alt_m must lie in/],
    [(d) => { d.failsafe!.rtl_after_slots = 2; }, /^failsafe\.rtl_after_slots must exceed failsafe\.hold_after_slots/],
    [(d) => { d.geofence = { zones: [{ inclusion: false, circle_center: { lat_deg: 47.4, lon_deg: 8.5 }, circle_radius_m: 30 }] }; }, /^geofence\.zones: no inclusion zone/],
    [(d) => { d.geofence = { zones: [{ inclusion: true, polygon: [{ lat_deg: 47.4, lon_deg: 8.5 }, { lat_deg: 47.41, lon_deg: 8.5 }] }] }; }, /^geofence\.zones\[0\]\.polygon needs at least 3 vertices/],
    [(d) => { d.geofence = { box: { north_min_m: 5, north_max_m: 1, east_min_m: 0, east_max_m: 9 } }; }, /^geofence\.box: north_min_m must be < north_max_m/],
    [(d) => { d.radio!.theta_max_deg = 95; }, /^radio\.theta_max_deg must be < 90/],
    [(d) => { d.compute!.kappa = -1; }, /^compute\.kappa must be > 0/],
  ];
  for (const [edit, re] of cases) {
    const d = doc();
    edit(d);
    const r = parseProfileJson(JSON.stringify(d));
    assert.equal(r.ok, false, re.source);
    if (!r.ok) assert.match(r.detail ?? '', re);
  }
  const missing = readProfileFile('/nonexistent/uav-9.profile.json');
  assert.ok(!missing.ok && missing.reason === 'unreadable' && missing.detail === 'no such file');
});

void test('a geodetic zone fence becomes mission-frame metres about the origin (WGS-84, core/geo.ts)', () => {
  const d = doc();
  // 0.001° of latitude at 47.4° N is 111.18 m on WGS-84 (the meridian radius; tables: 111 132 m/° at 45°, 111 229 at 50°),
  // 0.001° of longitude 75.49 m (111 412.84 cos φ − 93.5 cos 3φ m/°); the sphere of the old import gave 111.32 and 75.36.
  d.geofence = {
    zones: [
      { inclusion: true, polygon: [{ lat_deg: 47.397742, lon_deg: 8.545594 }, { lat_deg: 47.398742, lon_deg: 8.545594 }, { lat_deg: 47.398742, lon_deg: 8.546594 }] },
      { inclusion: false, circle_center: { lat_deg: 47.398242, lon_deg: 8.546094 }, circle_radius_m: 5 },
    ],
  };
  const r = parseProfileJson(JSON.stringify(d));
  assert.ok(r.ok, r.ok ? '' : r.detail);
  const f = agentSettings(r.value, 1).envelope.fence;
  assert.ok(f.kind === 'zones' && f.inclusions[0]!.kind === 'polygon' && f.exclusions[0]!.kind === 'circle');
  if (f.kind !== 'zones' || f.inclusions[0]!.kind !== 'polygon' || f.exclusions[0]!.kind !== 'circle') return;
  const [, b, c] = f.inclusions[0]!.vertices;
  assert.ok(Math.abs(b!.n - 111.18) < 0.01 && Math.abs(b!.e) < 1e-9, `north vertex ${b!.n}`);
  assert.ok(Math.abs(c!.e - 75.49) < 0.01, `east vertex ${c!.e}`);
  assert.equal(f.exclusions[0]!.radiusM, 5);
});
