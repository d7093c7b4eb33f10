import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../core/clock.ts';
import { openTransport } from '../transport/open.ts';
import { MemoryTlog } from '../tlog/writer.ts';
import { readTlogFile } from '../tlog/reader.ts';
import { MavlinkVehicle } from './mavlink-vehicle.ts';
import type { MavlinkVehicleOptions } from './mavlink-vehicle.ts';
import { ScriptedAutopilot, until, settle } from './test-autopilot.ts';
import { TYPE_MASK } from './setpoints.ts';

const PX4_POSCTL = 3 << 16;
const PX4_OFFBOARD = 6 << 16;
const AC_GUIDED = 4;

async function rig(opts: MavlinkVehicleOptions = {}, apOpts: { signingKey?: Buffer } = {}) {
  const ap = await ScriptedAutopilot.open(apOpts);
  const t = await openTransport(`udpout://127.0.0.1:${ap.port}`);
  assert.ok(t.ok);
  const clock = new ManualClock();
  const v = new MavlinkVehicle(t.value, clock, opts);
  const done = async () => {
    await v.close();
    await ap.close();
  };
  return { ap, v, clock, done };
}

async function connect(r: Awaited<ReturnType<typeof rig>>, flavour: 'px4' | 'ardupilot', mode: number) {
  await until(() => r.ap.named('HEARTBEAT').length > 0, 'bridge heartbeat');
  r.ap.heartbeat(flavour, mode);
  await until(() => r.v.state().connected, 'connected');
}

void test('discovery (PX4): own heartbeat, state decoded, SET_MESSAGE_INTERVAL stream requests', async () => {
  const r = await rig();
  try {
    const wait = r.v.waitConnected(5000);
    await connect(r, 'px4', PX4_POSCTL);
    const w = await wait;
    assert.ok(w.ok);
    const hb = r.ap.named('HEARTBEAT')[0]!;
    assert.equal(hb.compid, 191);
    assert.equal(hb.sysid, 1);
    assert.equal((hb.message as unknown as { type: number }).type, 18);
    assert.equal((hb.message as unknown as { autopilot: number }).autopilot, 8);
    const s = r.v.state();
    assert.equal(s.flavour, 'px4');
    assert.equal(s.mode, 'position');
    assert.equal(s.modeRaw, 'POSCTL');
    assert.equal(s.armed, false);
    // Stream requests go one at a time, each after the previous ACK.
    await until(() => r.ap.commands(512).length === 1, 'REQUEST_MESSAGE(HOME_POSITION)');
    const ids = r.ap.commands(511).map((c) => c._param1);
    assert.deepEqual(ids, [30, 32, 33, 1, 245, 147]);
    assert.equal(r.ap.commands(511)[0]!._param2, 100_000);
  } finally {
    await r.done();
  }
});

void test('discovery (ArduPilot): REQUEST_DATA_STREAM groups, GUIDED decoded as offboard', async () => {
  const r = await rig();
  try {
    await connect(r, 'ardupilot', AC_GUIDED);
    assert.equal(r.v.state().modeRaw, 'GUIDED');
    assert.equal(r.v.state().mode, 'offboard');
    await until(() => r.ap.named('REQUEST_DATA_STREAM').length === 4, 'data stream requests');
    assert.equal(r.ap.commands(511).length, 0);
  } finally {
    await r.done();
  }
});

void test('commands before discovery fail with no_link', async () => {
  const r = await rig();
  try {
    const res = await r.v.arm();
    assert.deepEqual(res.ok ? 'ok' : res.reason, 'no_link');
  } finally {
    await r.done();
  }
});

void test('missing ACK → resend with confirmation+1, then success', async () => {
  const r = await rig({ commandTimeoutMs: 500 });
  try {
    await connect(r, 'px4', PX4_POSCTL);
    await until(() => r.ap.commands(512).length === 1, 'stream setup done');
    r.ap.script = (c) => (c.command === 400 && c.confirmation < 2 ? 'ignore' : 0);
    const p = r.v.arm();
    await until(() => r.ap.commands(400).length === 1, 'first arm');
    r.clock.advance(500);
    await until(() => r.ap.commands(400).length === 2, 'second arm');
    r.clock.advance(500);
    const res = await p;
    assert.ok(res.ok);
    assert.equal(res.value.attempts, 3);
    assert.deepEqual(
      r.ap.commands(400).map((c) => c.confirmation),
      [0, 1, 2],
    );
    assert.equal(r.ap.commands(400)[0]!._param1, 1);
  } finally {
    await r.done();
  }
});

void test('no ACK at all → fail(timeout) after the configured attempts', async () => {
  const r = await rig({ commandTimeoutMs: 200, commandAttempts: 3 });
  try {
    await connect(r, 'ardupilot', AC_GUIDED);
    r.ap.script = (c) => (c.command === 20 ? 'ignore' : 0);
    const p = r.v.returnToLaunch();
    for (let i = 1; i <= 3; i++) {
      await until(() => r.ap.commands(20).length === i, `RTL attempt ${i}`);
      r.clock.advance(200);
    }
    const res = await p;
    assert.equal(res.ok ? 'ok' : res.reason, 'timeout');
  } finally {
    await r.done();
  }
});

void test('IN_PROGRESS extends the wait without resending; the final ACK decides', async () => {
  const r = await rig({ commandTimeoutMs: 300, inProgressTimeoutMs: 5000 });
  try {
    await connect(r, 'ardupilot', AC_GUIDED);
    r.ap.script = (c) => (c.command === 22 ? 5 : 0);
    const p = r.v.takeoff(10);
    await until(() => r.ap.commands(22).length === 1, 'takeoff sent');
    await settle();
    r.clock.advance(2000);
    await settle();
    assert.equal(r.ap.commands(22).length, 1, 'no resend while in progress');
    assert.equal(r.ap.commands(22)[0]!._param7, 10, 'ArduCopter takeoff altitude is relative');
    r.ap.ack(22, 4, 1, 191); // FAILED
    const res = await p;
    assert.equal(res.ok ? 'ok' : res.reason, 'failed');
  } finally {
    await r.done();
  }
});

void test('DENIED and UNSUPPORTED come back as values', async () => {
  const r = await rig();
  try {
    await connect(r, 'px4', PX4_POSCTL);
    r.ap.script = (c) => (c.command === 21 ? 2 : c.command === 20 ? 3 : 0);
    const [land, rtl] = await Promise.all([r.v.land(), r.v.returnToLaunch()]);
    assert.equal(land.ok ? 'ok' : land.reason, 'denied');
    assert.equal(rtl.ok ? 'ok' : rtl.reason, 'unsupported');
  } finally {
    await r.done();
  }
});

void test('link lost after 3 s without autopilot heartbeat, regained when it returns', async () => {
  const r = await rig();
  try {
    const events: string[] = [];
    r.v.on('linkLost', () => events.push('lost'));
    r.v.on('linkRegained', () => events.push('regained'));
    await connect(r, 'px4', PX4_POSCTL);
    r.clock.advance(2900);
    assert.deepEqual(events, []);
    r.clock.advance(400);
    assert.deepEqual(events, ['lost']);
    assert.equal(r.v.state().connected, false);
    r.ap.heartbeat('px4', PX4_OFFBOARD, true);
    await until(() => r.v.state().connected, 'regained');
    assert.deepEqual(events, ['lost', 'regained']);
    assert.equal(r.v.state().mode, 'offboard');
    assert.equal(r.v.state().armed, true);
  } finally {
    await r.done();
  }
});

void test('setpoints stream at the configured rate only while fresh', async () => {
  const r = await rig({ setpointRateHz: 10 });
  try {
    await connect(r, 'px4', PX4_POSCTL);
    const n = () => r.ap.named('SET_POSITION_TARGET_LOCAL_NED').length;
    for (let i = 0; i < 10; i++) {
      r.v.offerSetpoint({ kind: 'position_ned', positionM: { x: i, y: 2, z: -10 } });
      r.clock.advance(100);
    }
    await until(() => n() === 10, '10 setpoints in 1 s');
    const last = r.ap.named('SET_POSITION_TARGET_LOCAL_NED').at(-1)!.message as unknown as Record<string, number>;
    assert.equal(last.typeMask, TYPE_MASK.POSITION);
    assert.equal(last.coordinateFrame, 1);
    assert.equal(last.x, 9);
    assert.equal(last.z, -10);
    // Agent loop dies: at most 3 more periods of the last setpoint, then silence.
    r.clock.advance(1000);
    await settle();
    assert.ok(n() <= 13, `sent ${n()}`);
    const after = n();
    r.clock.advance(1000);
    await settle();
    assert.equal(n(), after, 'no background resending of stale setpoints');
    r.v.offerSetpoint({ kind: 'velocity_ned', velocityMS: { x: 1, y: 0, z: 0 }, yawRateRadS: 0.1 });
    r.clock.advance(100);
    await until(() => n() === after + 1, 'resumes on a fresh offer');
    const v = r.ap.named('SET_POSITION_TARGET_LOCAL_NED').at(-1)!.message as unknown as Record<string, number>;
    assert.equal(v.typeMask, TYPE_MASK.VELOCITY_YAW_RATE);
    r.v.stopSetpoints();
    r.clock.advance(300);
    await settle();
    assert.equal(n(), after + 1);
  } finally {
    await r.done();
  }
});

void test('PX4 setGuided: precondition until setpoints streamed > 1 s, then DO_SET_MODE(1,6,0)', async () => {
  const r = await rig();
  try {
    await connect(r, 'px4', PX4_POSCTL);
    const early = await r.v.setGuided();
    assert.equal(early.ok ? 'ok' : early.reason, 'precondition');
    for (let i = 0; i < 12; i++) {
      r.v.offerSetpoint({ kind: 'position_global', latDeg: 47.3977418, lonDeg: 8.5455939, relAltM: 20 });
      r.clock.advance(100);
    }
    const res = await r.v.setGuided();
    assert.ok(res.ok, JSON.stringify(res));
    const c = r.ap.commands(176).at(-1)!;
    assert.deepEqual([c._param1, c._param2, c._param3], [1, 6, 0]);
    const g = r.ap.named('SET_POSITION_TARGET_GLOBAL_INT').at(-1)!.message as unknown as Record<string, number>;
    assert.equal(g.latInt, 473977418);
    assert.equal(g.coordinateFrame, 6);
    const hold = await r.v.hold();
    assert.ok(hold.ok);
    const h = r.ap.commands(176).at(-1)!;
    assert.deepEqual([h._param1, h._param2, h._param3], [1, 4, 3]);
  } finally {
    await r.done();
  }
});

void test('ArduPilot: setGuided (1,4), hold LOITER (1,5), reposition as COMMAND_INT frame 6', async () => {
  const r = await rig();
  try {
    await connect(r, 'ardupilot', 0);
    assert.ok((await r.v.setGuided()).ok);
    assert.deepEqual(
      [r.ap.commands(176).at(-1)!._param1, r.ap.commands(176).at(-1)!._param2],
      [1, 4],
    );
    assert.ok((await r.v.hold()).ok);
    assert.equal(r.ap.commands(176).at(-1)!._param2, 5);
    const rep = await r.v.reposition({ latDeg: -35.3632621, lonDeg: 149.1652374, altAmslM: 600, relAltM: 25 }, 5);
    assert.ok(rep.ok);
    const p = r.ap.received.filter((x) => x.name === 'COMMAND_INT').at(-1)!.message as unknown as Record<string, number>;
    assert.equal(p.frame, 6);
    assert.equal(p.command, 192);
    assert.equal(p._param1, 5);
    assert.equal(p._param2, 1);
    assert.ok(Number.isNaN(p._param4));
    assert.equal(p._param5, -353632621);
    assert.equal(p._param6, 1491652374);
    assert.equal(p._param7, 25);
  } finally {
    await r.done();
  }
});

void test('signing: same key connects; wrong key never does', async () => {
  const key = Buffer.alloc(32, 7);
  const good = await rig({ signing: { key, linkId: 3 } }, { signingKey: key });
  try {
    await connect(good, 'px4', PX4_POSCTL);
    assert.ok(good.ap.named('HEARTBEAT').every((p) => p.signatureVerified && p.linkId === 3));
  } finally {
    await good.done();
  }
  const bad = await rig({ signing: { key: Buffer.alloc(32, 8) } }, { signingKey: key });
  try {
    await settle();
    assert.equal(bad.ap.named('HEARTBEAT').length, 0, 'autopilot rejects our signature');
    bad.ap.heartbeat('px4', PX4_POSCTL);
    await settle();
    assert.equal(bad.v.state().connected, false);
    assert.ok(bad.v.link.decoderStats().badSignature >= 1);
  } finally {
    await bad.done();
  }
});

void test('tlog records every frame in and out', async () => {
  const tlog = new MemoryTlog();
  const r = await rig({ tlog });
  try {
    await connect(r, 'px4', PX4_POSCTL);
    await until(() => r.ap.commands(512).length === 1, 'setup');
    await settle();
  } finally {
    await r.done();
  }
  const { records, summary } = await readTlogFile((async function* () {
    yield tlog.toBuffer();
  })());
  assert.equal(summary.skippedBytes, 0);
  const names = records.map((x) => `${x.packet.compid}:${x.packet.name}`);
  assert.ok(names.includes('191:HEARTBEAT'), 'out');
  assert.ok(names.includes('1:HEARTBEAT'), 'in');
  assert.ok(names.includes('191:COMMAND_LONG') && names.includes('1:COMMAND_ACK'));
});
