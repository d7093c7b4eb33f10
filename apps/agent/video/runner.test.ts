import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../core/clock.ts';
import { createRng } from '../../../core/rng.ts';
import { linkSeed, s2Transfer } from '../../../engines/video/index.ts';
import { ExecutionSite, type MessageInput, type TaskCompletion, type VideoPlan } from '../../../proto/index.ts';
import { SimulatedExecutor } from '../executor/index.ts';
import { VideoRunner } from './index.ts';

const T0 = 1_700_000_000_000_000;
const plan = (o: Partial<VideoPlan> = {}): VideoPlan => ({
  cpu_hz: 30e9, price_per_ghz: 0.5, transcode_level_mbps: 0.4, source_mbps: 2.75, transcode_m1: 1.54, transcode_m2: 0.08, transcode_s1: 1e-27, transcode_y1: 3, kappa: 1e-28,
  uplink: { beta0: 1e-4, path_loss_exponent: 2, rician_factor: 10, noise_dbm: -100 },
  shares: [{ task_id: 100_003, user_id: 3, user_position: { x_east_m: 0, y_north_m: 0, alt_m: 0 }, share_bits: 4e5, cycles_per_bit: 1000, uplink_bandwidth_hz: 7.5e6, tx_power_w: 0.5, release_t_us: T0, local_cpu_hz: 1.5e9 }],
  ...o,
});

async function runUntil(clock: ManualClock, done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) {
    clock.advance(5);
    await new Promise((res) => setImmediate(res));
  }
}

test('a video share: uplink over S2\'s Rician channel, transcoding C_k = m1·b_O^m2 per bit, processing of D\', one completion with its energies (SPEC §5.4)', async () => {
  const clock = new ManualClock(T0);
  const out: MessageInput<TaskCompletion>[] = [];
  const r = new VideoRunner({ clock, executor: new SimulatedExecutor({ clock, fMaxHz: 30e9 }), uavId: 2, ownPos: () => [0, 0, 100], complete: (c) => out.push(c) });
  r.run(plan(), T0);
  await runUntil(clock, () => out.length > 0);
  assert.equal(out.length, 1);
  const c = out[0]!;
  const link = s2Transfer({ beta0: 1e-4, chi: 2, gamma: 10 }, -100, 7.5e6, 0.5, 100, 4e5, createRng(linkSeed(100_003, 2)));
  const cyclesT = 1.54 * 0.4 ** 0.08 * 4e5, bitsOut = (4e5 * 0.4) / 2.75;
  const computeS = (cyclesT + bitsOut * 1000) / 30e9;
  assert.equal(c.site, ExecutionSite.EXECUTION_SITE_UAV);
  assert.equal(c.uav_id, 2);
  assert.ok(Math.abs(c.uplink_s! - link.seconds) < 1e-12, 'uplink = ε1·D / r_ik');
  assert.ok(Math.abs(c.tx_energy_j! - 0.5 * link.seconds) < 1e-12, 'the device\'s transmission energy p·t');
  assert.ok(Math.abs(c.compute_s! - computeS) < 1e-6);
  assert.ok(Math.abs(c.done_t_us! - (T0 + (link.seconds + computeS) * 1e6)) <= 1, 'done at uplink + transcoding + processing');
  const transcodeJ = 1e-27 * 30e9 ** 3 * (cyclesT / 30e9);
  assert.ok(Math.abs(c.transcode_energy_j! - transcodeJ) < 1e-12, 's1 f^y1 t');
  assert.ok(Math.abs(c.compute_energy_j! - (transcodeJ + 1e-28 * 30e9 ** 2 * bitsOut * 1000)) < 1e-9, '+ κ f² D\' C');
  assert.equal(c.transcode_level_mbps, 0.4);
  assert.equal(c.part_bits, 4e5);
  assert.ok(Math.abs(c.local_s! - (4e5 * 1000) / 1.5e9) < 1e-12);
  assert.deepEqual({ ...r.stats, computeEnergyJ: 0 }, { shares: 1, done: 1, failed: 0, computeEnergyJ: 0 });
});

test('a video share without a position fix, or a plan without its channel, is reported failed (never silently dropped)', async () => {
  const clock = new ManualClock(T0);
  const out: MessageInput<TaskCompletion>[] = [];
  const r = new VideoRunner({ clock, executor: new SimulatedExecutor({ clock, fMaxHz: 30e9 }), uavId: 1, ownPos: () => undefined, complete: (c) => out.push(c) });
  r.run(plan(), T0);
  const noChannel = plan();
  delete (noChannel as Partial<VideoPlan>).uplink;
  new VideoRunner({ clock, executor: new SimulatedExecutor({ clock, fMaxHz: 30e9 }), uavId: 1, ownPos: () => [0, 0, 100], complete: (c) => out.push(c) }).run(noChannel, T0);
  assert.equal(out.length, 2);
  assert.ok(out.every((c) => c.failed && c.failure_reason !== '' && c.part_bits === 4e5));
  assert.equal(r.stats.failed, 1);
});
