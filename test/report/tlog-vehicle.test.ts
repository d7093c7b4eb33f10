/**
 * Tlog tools read modes by vehicle type (HEARTBEAT's MAV_TYPE) and refuse what is not a tlog,
 * naming a raw MAVLink stream as such (issue 13 §3).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { minimal } from 'node-mavlink';
import { MavlinkEncoder } from '../../firmware-bridge/mavlink/encoder.ts';
import { encodeTlogRecord, readTlogFile } from '../../firmware-bridge/tlog/index.ts';
import { decodeMode } from '../../firmware-bridge/bridge/modes.ts';
import { summariseTlog } from '../../apps/report/tlog-summary.ts';
import tlogCommand from '../../apps/cli/commands/tlog.ts';

const T0 = 1_700_000_000_000_000;

function heartbeats(type: number, customModes: number[]): Buffer[] {
  const enc = new MavlinkEncoder({ sysid: 3, compid: 1 });
  return customModes.map((customMode) => {
    const hb = new minimal.Heartbeat();
    hb.type = type;
    hb.autopilot = 3; // ArduPilot
    hb.baseMode = 1 | 128;
    hb.customMode = customMode;
    return enc.encode(hb);
  });
}

void test('ArduPilot modes by vehicle type: 11 is RTL for Plane and Rover, DRIFT for Copter; PX4 the same for all', () => {
  assert.equal(decodeMode('ardupilot', 1, 11, 1).raw, 'RTL'); // MAV_TYPE_FIXED_WING
  assert.equal(decodeMode('ardupilot', 1, 11, 20).raw, 'RTL'); // VTOL quadrotor (QuadPlane)
  assert.equal(decodeMode('ardupilot', 1, 11, 2).raw, 'DRIFT'); // quadrotor
  assert.equal(decodeMode('ardupilot', 1, 11, 10).raw, 'RTL'); // ground rover
  assert.equal(decodeMode('ardupilot', 1, 15, 1).raw, 'GUIDED');
  assert.equal(decodeMode('ardupilot', 1, 19, 12).raw, 'MANUAL'); // submarine
  assert.equal(decodeMode('ardupilot', 1, 4).raw, 'GUIDED'); // no type: Copter's table (what the bridge flies)
  assert.equal(decodeMode('px4', 1, (4 << 16) | (5 << 24), 1).raw, 'AUTO.RTL');
});

void test('a fixed-wing ArduPilot tlog reads RTL, not DRIFT', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tlogveh-'));
  try {
    const file = join(dir, 'plane.tlog');
    writeFileSync(file, Buffer.concat(heartbeats(1, [10, 11, 11, 12]).map((f, i) => encodeTlogRecord(T0 + i * 1e6, f))));
    const r = await readTlogFile(file);
    const s = summariseTlog(r.records, r.summary);
    assert.deepEqual(s.vehicles.map((v) => [v.mavType, v.modes]), [[1, ['AUTO', 'RTL', 'LOITER']]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('`uavmec tlog summary` refuses what is not a tlog with one line and exit 1, naming a raw MAVLink stream', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tlogveh-'));
  const errors: string[] = [];
  const orig = console.error;
  console.error = (s: string) => void errors.push(s);
  try {
    const raw = join(dir, 'stream.bin');
    writeFileSync(raw, Buffer.concat(heartbeats(2, [4, 4, 4, 5, 5, 6])));
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'these are not the frames you are looking for\n'.repeat(50));
    const empty = join(dir, 'empty.tlog');
    writeFileSync(empty, '');
    for (const f of [raw, text, empty]) assert.equal(await tlogCommand.run(['summary', f]), 1, f);
    assert.equal(errors.length, 3);
    assert.match(errors[0]!, /raw MAVLink stream \(6 frames back to back, no timestamps\), not a tlog/);
    assert.match(errors[1]!, /not a tlog \(no timestamped MAVLink records/);
    assert.match(errors[2]!, /empty file, not a tlog/);
  } finally {
    console.error = orig;
    rmSync(dir, { recursive: true, force: true });
  }
});
