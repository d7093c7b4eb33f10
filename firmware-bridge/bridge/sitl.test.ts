/**
 * Bridge ↔ SITL (sim/autopilot) over real UDP loopback, both flavours: discovery, arm, takeoff,
 * guided/offboard entry, position setpoints, hold, RTL, land. SITL, bridge and test share one
 * lockstep `VirtualClock`: simulated time advances only when every datagram in flight has been
 * handled, so what happens (and every bound, in simulated ms) is the same on an idle or a
 * saturated machine. (On a 10× wall-scaled clock a stalled CPU let the 300 ms setpoint staleness
 * and PX4's 1 s offboard-loss failsafe fire mid-test, and the PX4 flight never reached its target.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { VirtualClock } from '../../core/clock.ts';
import { startSitl } from '../../sim/autopilot/index.ts';
import type { SitlFleet } from '../../sim/autopilot/index.ts';
import { openTransport } from '../transport/open.ts';
import { MavlinkVehicle } from './mavlink-vehicle.ts';
import type { VehicleState } from '../vehicle.ts';
import { lockstepClock, untilClock } from './test-autopilot.ts';

const HOME = { latDeg: 47.397742, lonDeg: 8.545594, altAmslM: 488 };

const clocks = new WeakMap<MavlinkVehicle, VirtualClock>();

async function withSitl(flavour: 'px4' | 'ardupilot', fn: (v: MavlinkVehicle, f: SitlFleet, clock: VirtualClock) => Promise<void>) {
  const { clock, held, stop } = lockstepClock();
  const f = await held(startSitl({ vehicles: 1, flavour, clock, home: HOME, basePort: 0 }));
  const t = await held(openTransport(f.vehicles[0]!.url, { clock }));
  assert.ok(t.ok, t.ok ? '' : t.detail);
  const v = new MavlinkVehicle(t.value, clock);
  clocks.set(v, clock);
  try {
    await fn(v, f, clock);
    assert.equal(clock.stats.stalls, 0, `lockstep stalled on ${JSON.stringify(clock.stats.stalledOn)}`);
  } finally {
    await v.close();
    await f.stop();
    await stop();
  }
}

/** Waits in simulated time (default bound 60 simulated s). */
const waitState = (v: MavlinkVehicle, pred: (s: VehicleState) => boolean, what: string, maxSimMs = 60_000) =>
  untilClock(clocks.get(v)!, () => pred(v.state()), what, maxSimMs);

function expectOk(r: { ok: boolean; reason?: string; detail?: string }, what: string): void {
  assert.ok(r.ok, `${what}: ${r.reason ?? ''} ${r.detail ?? ''}`);
}

for (const flavour of ['ardupilot', 'px4'] as const) {
  void test(`${flavour}: bridge flies the SITL — arm, takeoff, guided setpoints, hold, RTL, land`, async () => {
    await withSitl(flavour, async (v, f, clock) => {
      const c = await v.waitConnected(10_000);
      expectOk(c, 'connect');
      assert.equal(v.state().flavour, flavour);
      assert.equal(v.state().sysid, 1);
      await waitState(v, (s) => s.home !== undefined && s.global !== undefined && s.positionNedM !== undefined, 'home + position telemetry');
      assert.ok(Math.abs(v.state().home!.latDeg - HOME.latDeg) < 1e-6);

      if (flavour === 'ardupilot') expectOk(await v.setGuided(), 'GUIDED');
      expectOk(await v.arm(), 'arm');
      await waitState(v, (s) => s.armed, 'armed');
      expectOk(await v.takeoff(10), 'takeoff');
      await waitState(v, (s) => (s.global?.relAltM ?? 0) > 9.5, 'climb to 10 m');
      assert.ok(f.vehicles[0]!.truth().global.relAltM < 10.6, 'did not overshoot');

      // Agent loop: a position 15 m north at the current altitude, offered at 10 Hz.
      const start = v.state().positionNedM!;
      const target = { x: start.x + 15, y: start.y, z: start.z };
      const loop = clock.setInterval(() => v.offerSetpoint({ kind: 'position_ned', positionM: target }), 100);
      try {
        if (flavour === 'px4') {
          const early = await v.setGuided();
          assert.equal(early.ok ? 'ok' : early.reason, 'precondition', 'refused before 1 s of setpoints');
          await clock.sleep(1300);
          expectOk(await v.setGuided(), 'OFFBOARD');
        }
        await waitState(v, (s) => s.mode === 'offboard', 'offboard/guided mode');
        await waitState(
          v,
          (s) => Math.hypot(s.positionNedM!.x - target.x, s.positionNedM!.y - target.y) < 1,
          'reach the setpoint',
        );
        assert.ok(Math.abs(v.state().positionNedM!.z - target.z) < 1, 'altitude held');
      } finally {
        loop.cancel();
      }

      expectOk(await v.hold(), 'hold');
      await waitState(v, (s) => s.mode === 'hold', 'hold mode');
      assert.equal(v.state().modeRaw, flavour === 'px4' ? 'AUTO.LOITER' : 'LOITER');

      expectOk(await v.returnToLaunch(), 'RTL');
      await waitState(v, (s) => s.mode === 'rtl', 'rtl mode');
      await waitState(v, (s) => Math.hypot(s.positionNedM!.x - start.x, s.positionNedM!.y - start.y) < 5, 'heading home');

      expectOk(await v.land(), 'land');
      await waitState(v, (s) => s.mode === 'land', 'land mode');
      await waitState(v, (s) => s.landed === 'on_ground' && (s.global?.relAltM ?? 99) < 0.5, 'landed', 120_000);
    });
  });
}

void test('px4: a dead agent loop stops the setpoint stream, so the SITL offboard-loss failsafe fires', async () => {
  await withSitl('px4', async (v, _f, clock) => {
    expectOk(await v.waitConnected(10_000), 'connect');
    await waitState(v, (s) => s.home !== undefined && s.positionNedM !== undefined, 'telemetry');
    expectOk(await v.arm(), 'arm');
    expectOk(await v.takeoff(5), 'takeoff');
    await waitState(v, (s) => (s.global?.relAltM ?? 0) > 4.5, 'climb');
    const p = v.state().positionNedM!;
    const loop = clock.setInterval(() => v.offerSetpoint({ kind: 'position_ned', positionM: p }), 100);
    try {
      await clock.sleep(1300);
      expectOk(await v.setGuided(), 'OFFBOARD');
      await waitState(v, (s) => s.mode === 'offboard', 'offboard');
    } finally {
      loop.cancel(); // the agent dies; the bridge must not keep the stream alive
    }
    await waitState(v, (s) => s.mode !== 'offboard', 'failsafe leaves OFFBOARD');
    assert.ok(['hold', 'land', 'rtl'].includes(v.state().mode), v.state().modeRaw);
  });
});

void test('setParam: PARAM_SET confirmed by the PARAM_VALUE echo, both encodings; refusals and silence are failures', async () => {
  for (const flavour of ['px4', 'ardupilot'] as const) {
    await withSitl(flavour, async (v) => {
      expectOk(await v.waitConnected(10_000), 'connect');
      if (flavour === 'px4') {
        const r = await v.setParam('RTL_RETURN_ALT', 25.5);
        expectOk(r, 'RTL_RETURN_ALT');
        assert.equal(r.ok && r.value.value, 25.5);
        // INT32 travels bytewise on PX4: 30 as a float would read back as ~4.2e-44.
        const c = await v.setParam('RTL_CONE_ANG', 30, 'INT32');
        expectOk(c, 'RTL_CONE_ANG');
        assert.equal(c.ok && c.value.value, 30);
      } else {
        const r = await v.setParam('RTL_ALT', 2500, 'INT32');
        expectOk(r, 'RTL_ALT');
        assert.equal(r.ok && r.value.value, 2500);
      }
      // Out of range: the SITL answers with the value it kept.
      const bad = await v.setParam(flavour === 'px4' ? 'RTL_RETURN_ALT' : 'RTL_ALT', flavour === 'px4' ? 500 : 10, flavour === 'px4' ? 'REAL32' : 'INT32');
      assert.equal(bad.ok ? 'ok' : bad.reason, 'denied');
      assert.match(bad.ok ? '' : bad.detail ?? '', /kept (25\.5|2500)/);
      // Unknown id: no PARAM_VALUE comes back.
      const none = await v.setParam('NO_SUCH_PARAM', 1);
      assert.equal(none.ok ? 'ok' : none.reason, 'timeout');
    });
  }
});
