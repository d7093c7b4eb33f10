/**
 * PX4 launch against the SITL over UDP (real bridge): OFFBOARD is refused until setpoints have
 * streamed for > 1 s without a gap, so a stall of the agent's tick loop just before the switch
 * must delay the launch, not abort it (which left a UAV on the ground until the next plan).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { VirtualClock } from '../../../core/clock.ts';
import { MavlinkVehicle } from '../../../firmware-bridge/bridge/mavlink-vehicle.ts';
import { lockstepClock, untilClock } from '../../../firmware-bridge/bridge/test-autopilot.ts';
import { openTransport } from '../../../firmware-bridge/transport/open.ts';
import { startSitl } from '../../../sim/autopilot/index.ts';
import { launchVehicle } from './launch.ts';

const HOME = { latDeg: 47.397742, lonDeg: 8.545594, altAmslM: 488 };

// Lockstep: the stall below is in simulated time, and no stall of a loaded machine can add another
// (the bridge's staleness window, 300 ms, was 150 ms of wall time on the 2× clock used before).
async function withPx4(fn: (v: MavlinkVehicle, clock: VirtualClock) => Promise<void>): Promise<void> {
  const { clock, held, stop } = lockstepClock();
  const f = await held(startSitl({ vehicles: 1, flavour: 'px4', clock, home: HOME, basePort: 0 }));
  const t = await held(openTransport(f.vehicles[0]!.url, { clock }));
  assert.ok(t.ok);
  const v = new MavlinkVehicle(t.value, clock);
  try {
    assert.ok((await v.waitConnected(10_000)).ok);
    await untilClock(clock, () => v.state().positionNedM !== undefined && v.state().home !== undefined, 'position telemetry');
    await fn(v, clock);
  } finally {
    await v.close();
    await f.stop();
    await stop();
  }
}

const CLIMB = { kind: 'velocity_ned', velocityMS: { x: 0, y: 0, z: -1 } } as const;

test('px4 launch: a gap in the setpoint stream just before OFFBOARD delays the switch instead of failing the launch', { timeout: 30_000 }, async () => {
  await withPx4(async (v, clock) => {
    const t0 = clock.nowUs();
    // The tick loop offers every 100 ms but stalls from 0.7 s to 1.1 s: at the switch (1.5 s + arm)
    // the stream has been continuous for under 1 s.
    const feed = clock.setInterval(() => {
      const ms = (clock.nowUs() - t0) / 1000;
      if (ms < 700 || ms > 1100) v.offerSetpoint(CLIMB);
    }, 100);
    try {
      const r = await launchVehicle(v, clock, 10);
      assert.deepEqual(r, { ok: true });
      const tookMs = (clock.nowUs() - t0) / 1000;
      assert.ok(tookMs > 2000, `the switch waited for 1 s of stream (${tookMs.toFixed(0)} ms)`);
      await untilClock(clock, () => v.state().mode === 'offboard' && v.state().armed, 'armed in OFFBOARD');
      await untilClock(clock, () => (v.state().global?.relAltM ?? 0) > 1, 'climbing on the setpoints');
    } finally {
      feed.cancel();
    }
  });
});

test('px4 launch: no setpoint stream at all → fails at the OFFBOARD step and leaves the vehicle disarmed', { timeout: 30_000 }, async () => {
  await withPx4(async (v, clock) => {
    let armedAtUs: number | undefined;
    let disarmedAtUs: number | undefined;
    v.on('state', (s) => {
      if (s.armed) armedAtUs ??= clock.nowUs();
      else if (armedAtUs !== undefined) disarmedAtUs ??= clock.nowUs();
    });
    const r = await launchVehicle(v, clock, 10, { offboardWaitMs: 1000 });
    const failedAtUs = clock.nowUs();
    assert.equal(r.ok ? 'ok' : r.step, 'offboard');
    await untilClock(clock, () => disarmedAtUs !== undefined, 'armed, then disarmed', 5000);
    // By the launch itself, not by PX4's COM_DISARM_PRFLT (10 s armed idle on the ground).
    assert.ok(disarmedAtUs! - failedAtUs < 2e6, `disarmed ${((disarmedAtUs! - failedAtUs) / 1e6).toFixed(1)} s after the failure`);
    assert.equal(v.state().landed, 'on_ground');
  });
});
