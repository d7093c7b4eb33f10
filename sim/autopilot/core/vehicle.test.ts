import { test } from 'node:test';
import assert from 'node:assert/strict';
import { propulsionPowerW } from '../../../core/models/propulsion.ts';
import {
  applySetpoint, arm, configFromParams, createVehicle, defaultParams, gcsHeartbeat, horiz, reposition, setMission, setMode,
  step, takeoff, returnToLaunch, px4CustomMode, modeFromCustom, modeFromCommand, setParam, disarm,
  type AutopilotFlavour, type SimEvent, type SimState, type VehicleConfig,
} from './index.ts';

const HOME = { latDeg: 47.397742, lonDeg: 8.545594, altAmslM: 488 };
const T0 = 1_700_000_000_000_000;
const DT = 0.02;

function setup(flavour: AutopilotFlavour, overrides: Record<string, number> = {}): { cfg: VehicleConfig; s: SimState } {
  const cfg = configFromParams(flavour, defaultParams(flavour, overrides));
  return { cfg, s: createVehicle(cfg, HOME, T0) };
}

/** Runs for `seconds`, calling `each` after every step; returns final state and all events. */
function run(cfg: VehicleConfig, s0: SimState, seconds: number, each?: (s: SimState) => SimState | void, computeW = 0) {
  let s = s0;
  const events: SimEvent[] = [];
  const n = Math.round(seconds / DT);
  for (let i = 0; i < n; i++) {
    const r = step(cfg, s, { computePowerW: computeW }, DT);
    s = r.state;
    events.push(...r.events);
    s = each?.(s) ?? s;
  }
  return { s, events };
}

function airborne(flavour: AutopilotFlavour, alt = 10, overrides: Record<string, number> = {}) {
  const { cfg, s } = setup(flavour, overrides);
  let st = s;
  if (flavour === 'ardupilot') st = setMode(cfg, st, 'GUIDED').state;
  const a = arm(cfg, st, false);
  assert.equal(a.result, 'accepted');
  const t = takeoff(cfg, a.state, alt);
  assert.equal(t.result, 'accepted');
  const r = run(cfg, t.state, 30);
  assert.ok(Math.abs(-r.s.posM.z - alt) < 0.3, `alt ${-r.s.posM.z}`);
  return { cfg, s: r.s };
}

test('PX4 custom_mode encoding matches MAVLINK.md values', () => {
  assert.equal(px4CustomMode(6), 393216);
  assert.equal(px4CustomMode(4, 2), 33816576);
  assert.equal(px4CustomMode(4, 3), 50593792);
  assert.equal(px4CustomMode(4, 6), 100925440);
  assert.equal(modeFromCustom('px4', 84148224)?.name, 'AUTO.RTL');
  assert.equal(modeFromCustom('ardupilot', 4)?.name, 'GUIDED');
});

test('parameters: defaults, range checks, 400 kJ battery', () => {
  const { cfg } = setup('ardupilot');
  assert.ok(Math.abs(cfg.battCapacityJ - 399_600) < 1);
  assert.equal(setParam('ardupilot', defaultParams('ardupilot'), 'FENCE_RADIUS', 5).ok, false);
  assert.equal(setParam('px4', defaultParams('px4'), 'NOPE', 1).ok, false);
  const r = setParam('px4', defaultParams('px4'), 'COM_OF_LOSS_T', 2.5);
  assert.ok(r.ok && r.value['COM_OF_LOSS_T'] === 2.5);
  assert.ok(Math.abs(configFromParams('px4', defaultParams('px4')).battCapacityJ - 399_600) < 1e-6);
});

for (const flavour of ['ardupilot', 'px4'] as const) {
  test(`${flavour}: takeoff climbs within the climb-rate limit and holds altitude`, () => {
    const { cfg, s } = setup(flavour);
    let st = flavour === 'ardupilot' ? setMode(cfg, s, 'GUIDED').state : s;
    st = arm(cfg, st, false).state;
    st = takeoff(cfg, st, 20).state;
    let maxUp = 0;
    const r = run(cfg, st, 25, (x) => void (maxUp = Math.max(maxUp, -x.velMS.z)));
    assert.ok(maxUp <= cfg.takeoffClimbMS + 1e-9, `climb ${maxUp}`);
    assert.ok(maxUp > cfg.takeoffClimbMS * 0.95);
    assert.ok(Math.abs(-r.s.posM.z - 20) < 0.3);
    assert.equal(r.s.mode, flavour === 'px4' ? 'AUTO.LOITER' : 'GUIDED');
  });

  test(`${flavour}: velocity setpoints are held to speed and acceleration limits`, () => {
    const { cfg, s } = airborne(flavour);
    let st = flavour === 'px4' ? applySetpoint(s, { velMS: { x: 100, y: 100, z: -50 } }) : s;
    st = setMode(cfg, st, flavour === 'px4' ? 'OFFBOARD' : 'GUIDED').state;
    let maxH = 0;
    let maxUp = 0;
    let maxAcc = 0;
    let prev = st.velMS;
    run(cfg, st, 8, (x) => {
      maxH = Math.max(maxH, horiz(x.velMS));
      maxUp = Math.max(maxUp, -x.velMS.z);
      maxAcc = Math.max(maxAcc, Math.hypot(x.velMS.x - prev.x, x.velMS.y - prev.y) / DT);
      prev = x.velMS;
      return applySetpoint(x, { velMS: { x: 100, y: 100, z: -50 } });
    });
    assert.ok(maxH <= cfg.maxHorizSpeedMS + 1e-9 && maxH > cfg.maxHorizSpeedMS * 0.99, `h ${maxH}`);
    assert.ok(maxUp <= cfg.maxClimbMS + 1e-9, `up ${maxUp}`);
    assert.ok(maxAcc <= cfg.accelHorizMS2 + 1e-6, `acc ${maxAcc}`);
  });

  test(`${flavour}: battery drains at the propulsion model's rate (hover, cruise, wind)`, () => {
    const { cfg, s } = airborne(flavour, 10, { SIM_AVIONICS_W: 12 });
    const computeW = 25;
    const hover = run(cfg, s, 60, undefined, computeW).s;
    const expectHover = (propulsionPowerW(0) + 12 + computeW) * 60;
    assert.ok(Math.abs(s.batteryJ - hover.batteryJ - expectHover) < 1e-6 * expectHover, `${s.batteryJ - hover.batteryJ} vs ${expectHover}`);
    assert.ok(Math.abs(hover.energy.computeJ - s.energy.computeJ - computeW * 60) < 1e-6);
    // steady 8 m/s cruise
    let st = flavour === 'px4' ? applySetpoint(hover, { velMS: { x: 8, y: 0, z: 0 } }) : hover;
    st = setMode(cfg, st, flavour === 'px4' ? 'OFFBOARD' : 'GUIDED').state;
    const feed = (x: SimState) => applySetpoint(x, { velMS: { x: 8, y: 0, z: 0 } });
    st = run(cfg, st, 10, feed).s;
    const cruise = run(cfg, st, 30, feed).s;
    const expect = (propulsionPowerW(8) + 12) * 30;
    assert.ok(Math.abs(st.batteryJ - cruise.batteryJ - expect) < 1e-3, `${st.batteryJ - cruise.batteryJ} vs ${expect}`);
    // hover in a 6 m/s wind costs P(6) (airspeed 6)
    const w = airborne(flavour, 10, { SIM_WIND_SPD: 6 });
    const after = run(w.cfg, w.s, 20).s;
    assert.ok(Math.abs(w.s.batteryJ - after.batteryJ - (propulsionPowerW(6) + 10) * 20) < 1e-3);
  });

  test(`${flavour}: pre-arm checks refuse with a reason`, () => {
    const noGps = setup(flavour, flavour === 'px4' ? { SIM_GPS_BLOCK: 1 } : { SIM_GPS_DISABLE: 1 });
    const r = arm(noGps.cfg, noGps.s, false);
    assert.notEqual(r.result, 'accepted');
    assert.equal(r.state.armed, false);
    assert.ok(r.events.some((e) => e.kind === 'statustext' && /GPS/.test(e.text)));
    assert.equal(arm(noGps.cfg, noGps.s, true).state.armed, true, 'force arms');
    const lowBatt = setup(flavour, flavour === 'px4' ? { BAT_LOW_THR: 0.5 } : { BATT_ARM_MAH: 4000 });
    const drained = { ...lowBatt.s, batteryJ: lowBatt.cfg.battCapacityJ * 0.3 };
    const r2 = arm(lowBatt.cfg, drained, false);
    assert.notEqual(r2.result, 'accepted');
    assert.ok(r2.events.some((e) => e.kind === 'statustext' && /battery/i.test(e.text)));
  });

  test(`${flavour}: RTL climbs to the return altitude, flies home, lands and disarms`, () => {
    const { cfg, s } = airborne(flavour, 10);
    const rp = reposition(cfg, s, { x: 80, y: -60, z: -10 }, 8, true);
    assert.equal(rp.result, 'accepted');
    const away = run(cfg, rp.state, 30).s;
    assert.ok(Math.hypot(away.posM.x - 80, away.posM.y + 60) < 0.5);
    const r = returnToLaunch(cfg, away);
    assert.equal(r.result, 'accepted');
    let maxAlt = 0;
    const end = run(cfg, r.state, 200, (x) => void (maxAlt = Math.max(maxAlt, -x.posM.z)));
    assert.ok(Math.abs(maxAlt - cfg.rtlAltM) < 0.5, `max alt ${maxAlt}`);
    assert.equal(end.s.armed, false);
    assert.equal(end.s.landed, 'on_ground');
    assert.ok(horiz(end.s.posM) < 0.5);
  });

  test(`${flavour}: GCS link loss fires the failsafe after the timeout, not before`, () => {
    const params: Record<string, number> = flavour === 'px4' ? { NAV_DLL_ACT: 2, COM_DL_LOSS_T: 5 } : { FS_GCS_ENABLE: 1, FS_GCS_TIMEOUT: 5 };
    const { cfg, s } = airborne(flavour, 10, params);
    const st = gcsHeartbeat(s).state;
    const rtl = flavour === 'px4' ? 'AUTO.RTL' : 'RTL';
    let firedAt: number | undefined;
    run(cfg, st, 8, (x) => void (firedAt ??= x.mode === rtl ? (x.tUs - st.tUs) / 1e6 : undefined));
    assert.ok(firedAt !== undefined && firedAt > 5 && firedAt <= 5 + 2 * DT, `fired at ${firedAt}`);
    // regular heartbeats: no failsafe
    const kept = run(cfg, st, 20, (x) => ((x.tUs - st.tUs) % 1e6 < DT * 1e6 ? gcsHeartbeat(x).state : x)).s;
    assert.notEqual(kept.mode, rtl);
  });

  test(`${flavour}: cylinder geofence breach → RTL`, () => {
    const params: Record<string, number> = flavour === 'px4' ? { GF_MAX_HOR_DIST: 50, GF_ACTION: 3 } : { FENCE_ENABLE: 1, FENCE_RADIUS: 50, FENCE_ACTION: 1 };
    const { cfg, s } = airborne(flavour, 10, params);
    const rp = reposition(cfg, s, { x: 100, y: 0, z: -10 }, 5, true).state;
    const r = run(cfg, rp, 30);
    assert.ok(r.events.some((e) => e.kind === 'statustext' && /fence/i.test(e.text)));
    assert.ok(r.events.some((e) => e.kind === 'mode' && /RTL/.test(e.mode)));
  });
}

test('px4: RTL return altitude follows PX4 — 2·d by home, the cone within RTL_MIN_DIST, RTL_RETURN_ALT beyond, never a descent', () => {
  /** Max altitude over an RTL from `at` (NED, m), and whether it ended landed at home. */
  const rtlFrom = (at: { x: number; y: number; z: number }, overrides: Record<string, number> = {}) => {
    const { cfg, s } = airborne('px4', -at.z, overrides);
    const away = run(cfg, reposition(cfg, s, at, 5, true).state, 40).s;
    assert.ok(Math.hypot(away.posM.x - at.x, away.posM.y - at.y, away.posM.z - at.z) < 0.5);
    let maxAlt = 0;
    const end = run(cfg, returnToLaunch(cfg, away).state, 200, (x) => void (maxAlt = Math.max(maxAlt, -x.posM.z)));
    assert.equal(end.s.landed, 'on_ground');
    return { maxAlt, cfg };
  };
  // 1.5 m from home (inside NAV_ACC_RAD = 2 m): 2·d = 3 m < 10 m → no climb.
  assert.ok(rtlFrom({ x: 1.5, y: 0, z: -10 }).maxAlt < 10.3);
  // 4 m from home at 3 m: inside RTL_MIN_DIST, cone at 45° → max(d, 2·NAV_ACC_RAD) = 4 m.
  assert.ok(Math.abs(rtlFrom({ x: 0, y: 4, z: -3 }).maxAlt - 4) < 0.3);
  // 8 m from home at 5 m → 8 m; the policy missions' UAVs RTL from a few metres off home like this.
  assert.ok(Math.abs(rtlFrom({ x: 8, y: 0, z: -5 }).maxAlt - 8) < 0.3);
  // Beyond RTL_MIN_DIST: RTL_RETURN_ALT (60 m default; what the agent must set).
  const far = rtlFrom({ x: 30, y: 0, z: -10 });
  assert.ok(Math.abs(far.maxAlt - 60) < 0.5, `far: ${far.maxAlt}`);
  assert.ok(Math.abs(rtlFrom({ x: 30, y: 0, z: -10 }, { RTL_RETURN_ALT: 25 }).maxAlt - 25) < 0.5);
  // Already above the return altitude: return at the current altitude.
  assert.ok(rtlFrom({ x: 30, y: 0, z: -30 }, { RTL_RETURN_ALT: 25 }).maxAlt < 30.3);
  // RTL_CONE_ANG 0: no cone, RTL_RETURN_ALT even next to home.
  assert.ok(Math.abs(rtlFrom({ x: 4, y: 0, z: -5 }, { RTL_CONE_ANG: 0 }).maxAlt - 60) < 0.5);
});

test('ardupilot: GUIDED velocity target times out after 3 s → stop; position targets persist', () => {
  const { cfg, s } = airborne('ardupilot');
  const st = applySetpoint(s, { velMS: { x: 5, y: 0, z: 0 } });
  let stoppedAt: number | undefined;
  let movingAt2s = false;
  run(cfg, st, 6, (x) => {
    const t = (x.tUs - st.tUs) / 1e6;
    if (Math.abs(t - 2) < DT / 2) movingAt2s = horiz(x.velMS) > 4.9;
    if (stoppedAt === undefined && t > 1 && x.nav.kind === 'brake') stoppedAt = t;
  });
  assert.ok(movingAt2s);
  assert.ok(stoppedAt !== undefined && stoppedAt > 3 && stoppedAt <= 3 + 2 * DT, `stopped at ${stoppedAt}`);
  const pos = applySetpoint(s, { posM: { x: 30, y: 0, z: -10 } });
  const far = run(cfg, pos, 20).s;
  assert.ok(Math.abs(far.posM.x - 30) < 0.2, `x ${far.posM.x}`);
});

test('px4: OFFBOARD needs a setpoint stream; loss for COM_OF_LOSS_T → COM_OBL_RC_ACT', () => {
  const { cfg, s } = airborne('px4', 10, { COM_OBL_RC_ACT: 4 });
  assert.equal(setMode(cfg, s, 'OFFBOARD').result, 'denied');
  const st = setMode(cfg, applySetpoint(s, { velMS: { x: 2, y: 0, z: 0 } }), 'OFFBOARD');
  assert.equal(st.result, 'accepted');
  let switchedAt: number | undefined;
  const t0 = st.state.tUs;
  run(cfg, st.state, 3, (x) => {
    const t = (x.tUs - t0) / 1e6;
    if (switchedAt === undefined && x.mode === 'AUTO.LAND') switchedAt = t;
    return t < 1 ? applySetpoint(x, { velMS: { x: 2, y: 0, z: 0 } }) : x;
  });
  // last setpoint at t = 1 - DT; loss declared once its age exceeds 1.0 s
  assert.ok(switchedAt !== undefined && switchedAt > 1.95 && switchedAt <= 2 + 2 * DT, `switched at ${switchedAt}`);
});

for (const flavour of ['ardupilot', 'px4'] as const) {
  test(`${flavour}: AUTO mission flies NAV_WAYPOINT items in order`, () => {
    const { cfg, s } = airborne(flavour, 10);
    const wp = (n: number, e: number, alt: number, hold = 0) => {
      const lat = HOME.latDeg + n / 111_200;
      const lon = HOME.lonDeg + e / (111_320 * Math.cos((HOME.latDeg * Math.PI) / 180));
      return { command: 16, frame: 6, param1: hold, param2: 0, param3: 0, param4: 0, x: Math.round(lat * 1e7), y: Math.round(lon * 1e7), z: alt, autocontinue: 1 };
    };
    const home = { ...wp(0, 0, 0), frame: 0 };
    const items = [...(flavour === 'ardupilot' ? [home] : []), wp(40, 0, 15, 2), wp(40, 40, 20), wp(0, 40, 15)];
    let st = setMission(cfg, s, items);
    const m = setMode(cfg, st, flavour === 'px4' ? 'AUTO.MISSION' : 'AUTO');
    assert.equal(m.result, 'accepted');
    st = m.state;
    const r = run(cfg, st, 90);
    const reached = r.events.flatMap((e) => (e.kind === 'mission_item_reached' ? [e.seq] : []));
    const off = flavour === 'ardupilot' ? 1 : 0;
    assert.deepEqual(reached, [off, off + 1, off + 2]);
    assert.ok(Math.hypot(r.s.posM.x - 0, r.s.posM.y - 40) < 2.5, `end ${JSON.stringify(r.s.posM)}`);
    assert.equal(r.s.mode, flavour === 'px4' ? 'AUTO.LOITER' : 'AUTO');
  });
}

test('box geofence (SIM_FENCE_BOX_*) breach → land (PX4 GF_ACTION 5)', () => {
  const { cfg, s } = airborne('px4', 10, { SIM_FENCE_BOX_N: 40, SIM_FENCE_BOX_E: 20, GF_ACTION: 5 });
  assert.equal(cfg.fence.shape, 'box');
  const r = run(cfg, reposition(cfg, s, { x: 0, y: 60, z: -10 }, 5, true).state, 40);
  const breachAt = r.events.findIndex((e) => e.kind === 'statustext' && /Geofence/.test(e.text));
  assert.ok(breachAt >= 0);
  assert.ok(r.events.some((e) => e.kind === 'mode' && e.mode === 'AUTO.LAND'));
  assert.equal(r.s.landed, 'on_ground');
  assert.ok(r.s.posM.y > 19.5 && r.s.posM.y < 26, `landed at ${r.s.posM.y}`);
});

test('battery critical in flight → land; auto-disarm when armed idle on the ground', () => {
  const { cfg, s } = airborne('ardupilot', 10, { BATT_CRT_MAH: 1000 });
  const low = { ...s, batteryJ: cfg.battCriticalJ + 50 };
  const r = run(cfg, low, 30);
  assert.ok(r.events.some((e) => e.kind === 'statustext' && /Battery critical/.test(e.text)));
  assert.equal(r.s.mode, 'LAND');
  assert.equal(r.s.armed, false);
  const g = setup('ardupilot', { DISARM_DELAY: 5 });
  const armed = arm(g.cfg, setMode(g.cfg, g.s, 'GUIDED').state, false).state;
  let disarmedAt: number | undefined;
  run(g.cfg, armed, 8, (x) => void (disarmedAt ??= x.armed ? undefined : (x.tUs - armed.tUs) / 1e6));
  assert.ok(disarmedAt !== undefined && disarmedAt > 5 && disarmedAt <= 5 + 2 * DT, `disarmed at ${disarmedAt}`);
});

test('disarm in flight is refused unless forced; force-disarm drops the vehicle', () => {
  const { cfg, s } = airborne('px4', 10);
  assert.equal(disarm(cfg, s, false).result, 'denied');
  const d = disarm(cfg, s, true);
  assert.equal(d.state.armed, false);
  const r = run(cfg, d.state, 5);
  assert.equal(r.s.landed, 'on_ground');
});

test('DO_SET_MODE decoding per flavour', () => {
  assert.equal(modeFromCommand('px4', 4, 0)?.name, 'AUTO.LOITER');
  assert.equal(modeFromCommand('px4', 6, 0)?.name, 'OFFBOARD');
  assert.equal(modeFromCommand('px4', 4, 4)?.name, 'AUTO.MISSION');
  assert.equal(modeFromCommand('ardupilot', 4, 0)?.name, 'GUIDED');
  assert.equal(modeFromCommand('ardupilot', 99, 0), undefined);
});
