/**
 * End-to-end over real UDP loopback: a raw node-mavlink peer (like pymavlink or a GCS) talks to
 * SITL vehicles. SITL and peer share a lockstep `VirtualClock` (every datagram in flight holds
 * simulated time), so waits, timeouts and failsafe timings are in simulated time and come out the
 * same on an idle or a saturated machine; assertions are on message content and simulated time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { VirtualClock } from '../../core/clock.ts';
import { lockstepClock } from '../../firmware-bridge/bridge/test-autopilot.ts';
import { common } from '../../firmware-bridge/mavlink/messages.ts';
import { startSitl, type SitlFleet } from './index.ts';
import { paramSpecs, type AutopilotFlavour } from './core/params.ts';
import { px4CustomMode } from './core/modes.ts';
import { GcsClient } from './server/gcs-client.ts';
import { make } from './server/telemetry/index.ts';
import { encodeParamValue } from './server/params.ts';

const HOME = { latDeg: 47.397742, lonDeg: 8.545594, altAmslM: 488 };
async function withVehicle(flavour: AutopilotFlavour, params: Record<string, number>, fn: (c: GcsClient, f: SitlFleet, clock: VirtualClock) => Promise<void>) {
  const { clock, held, stop } = lockstepClock();
  const f = await held(startSitl({ vehicles: 1, flavour, clock, home: HOME, basePort: 0, params }));
  const c = await GcsClient.connect(f.vehicles[0]!.port, { clock });
  try {
    c.startHeartbeat(clock);
    assert.ok(await c.waitMsg(0), 'no heartbeat');
    await fn(c, f, clock);
    assert.equal(clock.stats.stalls, 0, `lockstep stalled on ${JSON.stringify(clock.stats.stalledOn)}`);
  } finally {
    await c.close();
    await f.stop();
    await stop();
  }
}

const MODE = {
  ardupilot: { guided: [1, 4, 0], rtl: 6, land: 9 },
  px4: { guided: [1, 6, 0], rtl: px4CustomMode(4, 5), land: px4CustomMode(4, 6) },
} as const;

/** Arms and takes off to 10 m (ArduCopter in GUIDED; PX4 AUTO.TAKEOFF, p7 AMSL). */
async function takeoff(c: GcsClient, f: SitlFleet, flavour: AutopilotFlavour, alt = 10) {
  if (flavour === 'ardupilot') assert.equal((await c.commandLong(1, 176, [1, 4]))?.result, 0);
  assert.equal((await c.commandLong(1, 400, [1]))?.result, 0);
  const p7 = flavour === 'px4' ? HOME.altAmslM + alt : alt;
  assert.equal((await c.commandLong(1, 22, [0, 0, 0, NaN, NaN, NaN, p7]))?.result, 0);
  const up = await c.waitMsg<common.GlobalPositionInt>(33, (m) => m.relativeAlt > (alt - 0.3) * 1000, 20_000);
  assert.ok(up, 'did not climb');
  assert.ok(f.vehicles[0]!.truth().global.relAltM < alt + 0.5);
}

for (const flavour of ['ardupilot', 'px4'] as const) {
  test(`${flavour}: HEARTBEAT fields`, async () => {
    await withVehicle(flavour, {}, async (c) => {
      const p = await c.waitFor((x) => x.msgid === 0);
      assert.ok(p);
      assert.equal(p.sysid, 1);
      assert.equal(p.compid, 1);
      assert.equal(p.protocol, 2);
      const hb = p.message as unknown as { type: number; autopilot: number; baseMode: number; customMode: number; systemStatus: number; mavlinkVersion: number };
      assert.equal(hb.type, 2);
      assert.equal(hb.autopilot, flavour === 'px4' ? 12 : 3);
      assert.equal(hb.baseMode & 1, 1);
      assert.equal(hb.baseMode & 128, 0);
      assert.equal(hb.customMode, flavour === 'px4' ? px4CustomMode(3) : 0);
      assert.equal(hb.systemStatus, 3);
      assert.equal(hb.mavlinkVersion, 3);
    });
  });

  test(`${flavour}: parameter download, read and set`, async () => {
    await withVehicle(flavour, {}, async (c) => {
      const specs = paramSpecs(flavour);
      const seen = new Map<number, common.ParamValue>();
      const done = c.waitFor((p) => {
        if (p.msgid === 22) {
          const m = p.message as common.ParamValue;
          seen.set(m.paramIndex, m);
        }
        return seen.size === specs.length;
      });
      c.send(make(common.ParamRequestList, { targetSystem: 1, targetComponent: 1 }));
      assert.ok(await done, `got ${seen.size} of ${specs.length}`);
      for (const [i, m] of seen) {
        assert.equal(m.paramCount, specs.length);
        assert.equal(m.paramId, specs[i]!.name);
      }
      const fenceName = flavour === 'px4' ? 'GF_MAX_HOR_DIST' : 'FENCE_RADIUS';
      const byId = c.waitMsg<common.ParamValue>(22, (m) => m.paramId === fenceName);
      c.send(make(common.ParamRequestRead, { targetSystem: 1, targetComponent: 1, paramId: fenceName, paramIndex: -1 }));
      assert.ok(await byId);
      const byIdx = c.waitMsg<common.ParamValue>(22, (m) => m.paramIndex === 3);
      c.send(make(common.ParamRequestRead, { targetSystem: 1, targetComponent: 1, paramId: '', paramIndex: 3 }));
      assert.equal((await byIdx)?.paramId, specs[3]!.name);
      // set a valid value, then an out-of-range one (answered with the unchanged value)
      const name = flavour === 'px4' ? 'NAV_DLL_ACT' : 'FS_GCS_ENABLE';
      const spec = specs.find((s) => s.name === name)!;
      const wire = encodeParamValue(flavour, spec, 2);
      const set = c.waitMsg<common.ParamValue>(22, (m) => m.paramId === name);
      c.send(make(common.ParamSet, { targetSystem: 1, targetComponent: 1, paramId: name, paramValue: wire, paramType: m2(spec.type) }));
      assert.equal((await set)?.paramValue, wire);
      const bad = c.waitMsg<common.ParamValue>(22, (m) => m.paramId === name);
      c.send(make(common.ParamSet, { targetSystem: 1, targetComponent: 1, paramId: name, paramValue: encodeParamValue(flavour, spec, 99), paramType: m2(spec.type) }));
      assert.equal((await bad)?.paramValue, wire);
    });
  });

  test(`${flavour}: mission upload/download round trip, legacy request, clear`, async () => {
    await withVehicle(flavour, {}, async (c) => {
      const items = [0, 1, 2, 3].map((i) => ({
        seq: i, frame: 6, command: 16, current: 0, autocontinue: 1, param1: i, param2: 0, param3: 0, param4: 0,
        x: Math.round((HOME.latDeg + 0.0003 * i) * 1e7), y: Math.round((HOME.lonDeg + 0.0002 * i) * 1e7), z: 10 + i, missionType: 0,
      }));
      for (const type of [0, 1]) {
        const acked = c.waitMsg<common.MissionAck>(47, (a) => a.missionType === type, 10_000);
        let requests = 0;
        const serve = c.waitFor((p) => {
          if (p.msgid !== 51) return false;
          const r = p.message as common.MissionRequestInt;
          requests++;
          c.send(make(common.MissionItemInt, { ...items[r.seq]!, targetSystem: 1, targetComponent: 1, missionType: type }));
          return r.seq === items.length - 1;
        }, 10_000);
        c.send(make(common.MissionCount, { targetSystem: 1, targetComponent: 1, count: items.length, missionType: type, opaqueId: 0 }));
        assert.ok(await serve);
        assert.equal((await acked)?.type, 0);
        assert.ok(requests >= items.length);
        // download: MISSION_REQUEST_LIST → COUNT, then REQUEST_INT (and a legacy REQUEST) per item
        const count = c.waitMsg<common.MissionCount>(44, (m) => m.missionType === type);
        c.send(make(common.MissionRequestList, { targetSystem: 1, targetComponent: 1, missionType: type }));
        assert.equal((await count)?.count, items.length);
        for (const it of items) {
          const got = c.waitMsg<common.MissionItemInt>(73, (m) => m.seq === it.seq && m.missionType === type);
          const Req = it.seq === 2 ? common.MissionRequest : common.MissionRequestInt;
          c.send(make(Req, { targetSystem: 1, targetComponent: 1, seq: it.seq, missionType: type }));
          const m = await got;
          assert.ok(m, `item ${it.seq}`);
          if (flavour === 'ardupilot' && type === 0 && it.seq === 0) {
            assert.equal(m.x, Math.round(HOME.latDeg * 1e7)); // home at seq 0
            continue;
          }
          assert.deepEqual([m.command, m.frame, m.x, m.y, m.z, m.param1], [it.command, it.frame, it.x, it.y, it.z, it.param1]);
        }
        c.send(make(common.MissionAck, { targetSystem: 1, targetComponent: 1, type: 0, missionType: type, opaqueId: 0 }));
      }
      // count 0 clears
      const cleared = c.waitMsg<common.MissionAck>(47, (a) => a.missionType === 0);
      c.send(make(common.MissionCount, { targetSystem: 1, targetComponent: 1, count: 0, missionType: 0, opaqueId: 0 }));
      assert.equal((await cleared)?.type, 0);
      const count = c.waitMsg<common.MissionCount>(44, (m) => m.missionType === 0);
      c.send(make(common.MissionRequestList, { targetSystem: 1, targetComponent: 1, missionType: 0 }));
      assert.equal((await count)?.count, 0);
    });
  });

  test(`${flavour}: arming refused by a pre-arm check, with a STATUSTEXT`, async () => {
    const noGps: Record<string, number> = flavour === 'px4' ? { SIM_GPS_BLOCK: 1 } : { SIM_GPS_DISABLE: 1 };
    await withVehicle(flavour, noGps, async (c, f) => {
      const text = c.waitMsg<common.StatusText>(253, (m) => /GPS/.test(m.text));
      const ack = await c.commandLong(1, 400, [1]);
      assert.ok(ack && ack.result !== 0, `result ${ack?.result}`);
      assert.ok(await text);
      assert.equal(f.vehicles[0]!.truth().armed, false);
      // force-arm (21196) bypasses the checks
      assert.equal((await c.commandLong(1, 400, [1, 21196]))?.result, 0);
    });
  });

  test(`${flavour}: unknown commands → UNSUPPORTED; capabilities; message interval`, async () => {
    await withVehicle(flavour, {}, async (c, _f, clock) => {
      assert.equal((await c.commandLong(1, 31000, [1]))?.result, 3);
      assert.equal((await c.commandInt(1, 31001, 0, [1]))?.result, 3);
      const ver = c.waitMsg<{ capabilities: bigint }>(148);
      assert.equal((await c.commandLong(1, 512, [148]))?.result, 0);
      const caps = Number((await ver)!.capabilities);
      for (const bit of [4, 8, 128, 256, 8192]) assert.ok(caps & bit, `capability ${bit}`);
      // SET_MESSAGE_INTERVAL: disable ATTITUDE, then no ATTITUDE for a while
      assert.equal((await c.commandLong(1, 511, [30, -1]))?.result, 0);
      await clock.sleep(50);
      const att = await c.waitMsg(30, () => true, 400);
      assert.equal(att, undefined);
      assert.equal((await c.commandLong(1, 511, [30, 0]))?.result, 0);
      assert.ok(await c.waitMsg(30));
    });
  });

  test(`${flavour}: takeoff climbs; repeated takeoff while climbing → TEMPORARILY_REJECTED`, async () => {
    await withVehicle(flavour, {}, async (c, f) => {
      if (flavour === 'ardupilot') await c.commandLong(1, 176, [1, 4]);
      await c.commandLong(1, 400, [1]);
      const p7 = flavour === 'px4' ? HOME.altAmslM + 15 : 15;
      assert.equal((await c.commandLong(1, 22, [0, 0, 0, NaN, NaN, NaN, p7]))?.result, 0);
      await c.waitMsg<common.GlobalPositionInt>(33, (m) => m.relativeAlt > 1000);
      assert.equal((await c.commandLong(1, 22, [0, 0, 0, NaN, NaN, NaN, p7]))?.result, 1);
      assert.ok(await c.waitMsg<common.GlobalPositionInt>(33, (m) => m.relativeAlt > 14_700, 20_000));
      const st = await c.waitMsg<{ landedState: number }>(245);
      assert.equal(st?.landedState, 2);
      assert.ok(f.vehicles[0]!.truth().armed);
    });
  });

  test(`${flavour}: velocity setpoints move the vehicle within the speed limit; echo; timeout behaviour`, async () => {
    await withVehicle(flavour, flavour === 'px4' ? { COM_OBL_RC_ACT: 4 } : {}, async (c, f, clock) => {
      await takeoff(c, f, flavour);
      const v = f.vehicles[0]!;
      const limit = flavour === 'px4' ? 12 : 12.5;
      let lastSpUs = 0;
      const sp = () => {
        lastSpUs = clock.nowUs();
        c.send(make(common.SetPositionTargetLocalNed, {
          timeBootMs: 0, targetSystem: 1, targetComponent: 1, coordinateFrame: 1, typeMask: 3527,
          x: 0, y: 0, z: 0, vx: 30, vy: 0, vz: 0, afx: 0, afy: 0, afz: 0, yaw: 0, yawRate: 0,
        }));
      };
      const echo = c.waitMsg<common.PositionTargetLocalNed>(85);
      sp();
      assert.equal((await echo)?.vx, 30);
      const stream = clock.setInterval(sp, 100);
      await clock.sleep(300);
      assert.equal((await c.commandLong(1, 176, [...MODE[flavour].guided]))?.result, 0);
      let maxSpeed = 0;
      const watch = c.waitFor((p) => {
        if (p.msgid === 32) maxSpeed = Math.max(maxSpeed, Math.hypot((p.message as common.LocalPositionNed).vx, (p.message as common.LocalPositionNed).vy));
        return false;
      }, 1500);
      await clock.sleep(7000);
      stream.cancel();
      const moving = v.truth();
      assert.ok(moving.positionNedM.x > 20, `x ${moving.positionNedM.x}`);
      assert.ok(Math.hypot(moving.velocityNedMS.x, moving.velocityNedMS.y) <= limit + 1e-6);
      assert.ok(maxSpeed <= limit + 1e-3, `max ${maxSpeed}`);
      void watch;
      if (flavour === 'ardupilot') {
        // velocity target times out after 3 s → stop (still GUIDED)
        await clock.sleep(1500);
        assert.ok(Math.hypot(v.truth().velocityNedMS.x, v.truth().velocityNedMS.y) > 5, 'stopped too early');
        await clock.sleep(8000);
        const t = v.truth();
        assert.ok(Math.hypot(t.velocityNedMS.x, t.velocityNedMS.y) < 0.5, 'did not stop');
        assert.equal(t.mode, 'GUIDED');
      } else {
        // offboard loss (COM_OF_LOSS_T 1 s) → COM_OBL_RC_ACT 4 = land
        const hb = await c.waitMsg<{ customMode: number }>(0, (m) => m.customMode === MODE.px4.land, 5000);
        assert.ok(hb, 'no AUTO.LAND');
        // Seen in the next 1 Hz HEARTBEAT after the mode change: after COM_OF_LOSS_T (1 s) from
        // the last setpoint, and no later than that plus one heartbeat period and a 50 Hz step.
        const seenAfterS = (clock.nowUs() - lastSpUs) / 1e6;
        assert.ok(seenAfterS >= 1 && seenAfterS <= 2.02, `failsafe seen ${seenAfterS} s after the last setpoint`);
        assert.ok(v.truth().failsafes.includes('offboard'));
      }
    });
  });

  test(`${flavour}: GCS heartbeat loss → RTL failsafe`, async () => {
    const params: Record<string, number> = flavour === 'px4' ? { NAV_DLL_ACT: 2, COM_DL_LOSS_T: 5 } : { FS_GCS_ENABLE: 1, FS_GCS_TIMEOUT: 5 };
    await withVehicle(flavour, params, async (c, f, clock) => {
      await takeoff(c, f, flavour);
      c.stopHeartbeat();
      const t0 = clock.nowUs();
      await clock.sleep(3000);
      assert.notEqual(f.vehicles[0]!.truth().mode, flavour === 'px4' ? 'AUTO.RTL' : 'RTL');
      const hb = await c.waitMsg<{ customMode: number; systemStatus: number }>(0, (m) => m.customMode === MODE[flavour].rtl, 5000);
      assert.ok(hb, 'no RTL');
      assert.equal(hb.systemStatus, 5);
      // the last heartbeat went out up to 1 s before t0
      assert.ok((clock.nowUs() - t0) / 1e6 > 4);
    });
  });
}

function m2(t: string): number {
  return ({ UINT8: 1, INT8: 2, INT16: 4, INT32: 6, REAL32: 9 } as Record<string, number>)[t]!;
}

test('fleet: PX4 numbering gives sysid i+1 per endpoint; DO_REPOSITION over COMMAND_INT', async () => {
  const { clock, held, stop } = lockstepClock();
  const f = await held(startSitl({ vehicles: 3, flavour: 'ardupilot', numbering: 'px4', clock, home: HOME, basePort: 0, spacingM: 10 }));
  try {
    assert.deepEqual(f.vehicles.map((v) => v.sysid), [1, 2, 3]);
    const c = await GcsClient.connect(f.vehicles[2]!.port, { clock });
    c.startHeartbeat(clock);
    const p = await c.waitFor((x) => x.msgid === 0);
    assert.equal(p?.sysid, 3);
    await c.commandLong(3, 176, [1, 4]);
    await c.commandLong(3, 400, [1]);
    await c.commandLong(3, 22, [0, 0, 0, NaN, NaN, NaN, 10]);
    await c.waitMsg<common.GlobalPositionInt>(33, (m) => m.relativeAlt > 9700, 20_000);
    const tgt = { lat: Math.round((HOME.latDeg + 0.0002) * 1e7), lon: Math.round(f.vehicles[2]!.home.lonDeg * 1e7) };
    assert.equal((await c.commandInt(3, 192, 6, [-1, 1, 0, NaN, tgt.lat, tgt.lon, 12]))?.result, 0);
    const there = await c.waitMsg<common.GlobalPositionInt>(33, (m) => Math.abs(m.lat - tgt.lat) < 20 && Math.abs(m.relativeAlt - 12_000) < 300, 20_000);
    assert.ok(there, 'did not reach the reposition target');
    await c.close();
  } finally {
    await f.stop();
    await stop();
  }
});

for (const flavour of ['ardupilot', 'px4'] as const) {
  test(`${flavour}: uploaded mission flies in AUTO with MISSION_ITEM_REACHED and MISSION_CURRENT`, async () => {
    await withVehicle(flavour, {}, async (c, f) => {
      const wp = (n: number, e: number, alt: number) => ({
        frame: 6, command: 16, current: 0, autocontinue: 1, param1: 0, param2: 0, param3: 0, param4: 0,
        x: Math.round((HOME.latDeg + n / 111_200) * 1e7), y: Math.round((HOME.lonDeg + e / 75_300) * 1e7), z: alt,
      });
      const items = [...(flavour === 'ardupilot' ? [wp(0, 0, 0)] : []), wp(30, 0, 12), wp(30, 30, 12)];
      const acked = c.waitMsg<common.MissionAck>(47, () => true, 10_000);
      const serve = c.waitFor((p) => {
        if (p.msgid !== 51) return false;
        const r = p.message as common.MissionRequestInt;
        c.send(make(common.MissionItemInt, { ...items[r.seq]!, seq: r.seq, targetSystem: 1, targetComponent: 1, missionType: 0 }));
        return r.seq === items.length - 1;
      }, 10_000);
      c.send(make(common.MissionCount, { targetSystem: 1, targetComponent: 1, count: items.length, missionType: 0, opaqueId: 0 }));
      assert.ok(await serve);
      assert.equal((await acked)?.type, 0);
      await takeoff(c, f, flavour);
      const last = items.length - 1;
      const reached = c.waitMsg<common.MissionItemReached>(46, (m) => m.seq === last, 30_000);
      const current = c.waitMsg<common.MissionCurrent>(42, (m) => m.seq === last, 30_000);
      const auto = flavour === 'px4' ? [1, 4, 4] : [1, 3, 0];
      assert.equal((await c.commandLong(1, 176, auto))?.result, 0);
      assert.ok(await current, 'no MISSION_CURRENT for the last item');
      assert.ok(await reached, 'last item not reached');
      const t = f.vehicles[0]!.truth();
      assert.ok(t.positionNedM.x > 27 && t.positionNedM.y > 25, JSON.stringify(t.positionNedM));
    });
  });
}

test('fleet: tlog per vehicle records sent and received frames', async () => {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { readTlogFile } = await import('../../firmware-bridge/tlog/index.ts');
  const dir = mkdtempSync(join(tmpdir(), 'sitl-tlog-'));
  const { clock, held, stop } = lockstepClock();
  const f = await held(startSitl({ vehicles: 1, flavour: 'px4', clock, home: HOME, basePort: 0, tlogDir: dir }));
  const c = await GcsClient.connect(f.vehicles[0]!.port, { clock });
  c.startHeartbeat(clock);
  await c.waitMsg(0);
  await c.commandLong(1, 31000, []);
  await c.close();
  await f.stop();
  await stop();
  const { records } = await readTlogFile(join(dir, 'sitl-1.tlog'));
  assert.ok(records.some((r) => r.packet.msgid === 0 && r.packet.sysid === 1));
  assert.ok(records.some((r) => r.packet.msgid === 76 && r.packet.sysid === 255));
});
