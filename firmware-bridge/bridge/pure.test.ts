import { test } from 'node:test';
import assert from 'node:assert/strict';
import { common, minimal } from 'node-mavlink';
import { decodeMode, flavourOf, modeCommandParams } from './modes.ts';
import { applyTelemetry, initialState } from './telemetry.ts';
import { SetpointStream } from './setpoints.ts';

void test('PX4 custom_mode values from MAVLINK.md §1 decode to the right modes', () => {
  const cases: Array<[number, string, string]> = [
    [393216, 'OFFBOARD', 'offboard'],
    [33816576, 'AUTO.TAKEOFF', 'takeoff'],
    [50593792, 'AUTO.LOITER', 'hold'],
    [67371008, 'AUTO.MISSION', 'mission'],
    [84148224, 'AUTO.RTL', 'rtl'],
    [100925440, 'AUTO.LAND', 'land'],
    [3 << 16, 'POSCTL', 'position'],
  ];
  for (const [cm, raw, mode] of cases) assert.deepEqual(decodeMode('px4', 1, cm), { raw, mode }, raw);
});

void test('ArduCopter mode numbers decode; unknown numbers keep their value', () => {
  assert.deepEqual(decodeMode('ardupilot', 1, 4), { raw: 'GUIDED', mode: 'offboard' });
  assert.deepEqual(decodeMode('ardupilot', 1, 5), { raw: 'LOITER', mode: 'hold' });
  assert.deepEqual(decodeMode('ardupilot', 1, 9), { raw: 'LAND', mode: 'land' });
  assert.deepEqual(decodeMode('ardupilot', 1, 99), { raw: 'MODE_99', mode: 'other' });
  assert.equal(decodeMode('px4', 0, 393216).mode, 'other', 'custom mode ignored without CUSTOM_MODE_ENABLED');
  assert.equal(flavourOf(12), 'px4');
  assert.equal(flavourOf(3), 'ardupilot');
  assert.equal(flavourOf(8), 'unknown');
  assert.deepEqual(modeCommandParams('px4', 'guided'), [1, 6, 0]);
  assert.deepEqual(modeCommandParams('px4', 'hold'), [1, 4, 3]);
  assert.deepEqual(modeCommandParams('ardupilot', 'guided'), [1, 4, 0]);
  assert.equal(modeCommandParams('unknown', 'hold'), undefined);
});

void test('telemetry reducer: units and unknown sentinels', () => {
  let s = initialState(0);
  const gp = new common.GlobalPositionInt();
  gp.lat = 473977418;
  gp.lon = 85455939;
  gp.alt = 488_123;
  gp.relativeAlt = 20_500;
  s = applyTelemetry(s, 'GLOBAL_POSITION_INT', gp, 1)!;
  assert.deepEqual(s.global, { latDeg: 47.3977418, lonDeg: 8.5455939, altAmslM: 488.123, relAltM: 20.5 });
  const ss = new common.SysStatus();
  ss.voltageBattery = 65535;
  ss.currentBattery = -1;
  ss.batteryRemaining = -1;
  s = applyTelemetry(s, 'SYS_STATUS', ss, 2)!;
  assert.equal(s.batteryVoltageV, undefined);
  assert.equal(s.batteryRemainingPct, undefined);
  ss.voltageBattery = 15_200;
  ss.currentBattery = 1234;
  ss.batteryRemaining = 87;
  s = applyTelemetry(s, 'SYS_STATUS', ss, 3)!;
  assert.equal(s.batteryVoltageV, 15.2);
  assert.equal(s.batteryCurrentA, 12.34);
  assert.equal(s.batteryRemainingPct, 87);
  const bs = new common.BatteryStatus();
  bs.id = 0;
  bs.energyConsumed = 360;
  bs.batteryRemaining = -1;
  bs.currentBattery = -1;
  s = applyTelemetry(s, 'BATTERY_STATUS', bs, 4)!;
  assert.equal(s.batteryConsumedJ, 36_000);
  assert.equal(s.batteryRemainingPct, 87);
  const es = new common.ExtendedSysState();
  es.landedState = 2 as common.MavLandedState;
  assert.equal(applyTelemetry(s, 'EXTENDED_SYS_STATE', es, 5)!.landed, 'in_air');
  const hb = new minimal.Heartbeat();
  hb.autopilot = minimal.MavAutopilot.PX4;
  hb.baseMode = (1 | 128) as minimal.MavModeFlag;
  hb.customMode = 393216;
  const h = applyTelemetry(s, 'HEARTBEAT', hb, 6)!;
  assert.equal(h.armed, true);
  assert.equal(h.mode, 'offboard');
  assert.equal(applyTelemetry(s, 'VFR_HUD', new common.VfrHud(), 7), undefined);
});

void test('setpoint stream: fresh for 3 periods, continuity restarts after a gap', () => {
  const st = new SetpointStream(100, 3);
  const sp = { kind: 'position_ned' as const, positionM: { x: 0, y: 0, z: -5 } };
  assert.equal(st.tick(0), undefined);
  st.offer(sp, 0);
  assert.equal(st.tick(100_000), sp);
  assert.equal(st.tick(300_000), sp);
  assert.equal(st.tick(300_001), undefined, 'stale after 3 periods');
  assert.equal(st.streamingForMs(300_001), 0);
  st.offer(sp, 400_000);
  st.tick(400_000);
  st.offer(sp, 1_500_000);
  assert.equal(st.streamingForMs(1_500_000), 0, 'an unobserved gap still breaks continuity');
  for (let t = 1_500_000; t <= 2_700_000; t += 100_000) {
    st.offer(sp, t);
    st.tick(t);
  }
  assert.equal(st.streamingForMs(2_700_000), 1200);
});
