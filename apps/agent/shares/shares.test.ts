import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../core/clock.ts';
import { dbmToW } from '../../../core/models/channel.ts';
import type { CoalitionShare, MessageInput, TaskCompletion } from '../../../proto/index.ts';
import { SimulatedExecutor } from '../executor/index.ts';
import { ShareRunner, shareUpload } from './index.ts';

const T0 = 1_700_000_000_000_000;
const share = (o: Partial<CoalitionShare> = {}): CoalitionShare => ({
  task_id: 100001, user_id: 1, user_position: { x_east_m: 0, y_north_m: 0, alt_m: 0 }, share_bits: 8e6, cycles_per_bit: 100, bandwidth_hz: 4e6, cpu_hz: 5e9,
  tx_power_w: 0.1, fading_gain: 1.5, noise_w: dbmToW(-110), path_loss_exponent: 4, release_t_us: T0, deadline_s: 0.5, coalition_uav_ids: [2, 3],
  predicted_uplink_s: 0, predicted_compute_s: 0, predicted_delay_s: 0.3, participant_utility: 1, kappa: 2e-28, ...o,
});

test('M2U upload time: C = b log2(1 + d^-γ |h|² p / σ²) at the real distance (SPEC §3 S0)', () => {
  const u = shareUpload({ bits: 8e6, medPos: [0, 0, 0], uavPos: [0, 0, 800], bandwidthHz: 4e6, txPowerW: 0.1, fadingGain: 1.5, noiseW: dbmToW(-110), pathLossExp: 4 });
  const snr = (800 ** -4 * 1.5 * 0.1) / 1e-14;
  assert.ok(Math.abs(u.rateBps - 4e6 * Math.log2(1 + snr)) < 1e-3);
  assert.ok(Math.abs(u.uplinkS - 8e6 / u.rateBps) < 1e-12);
  assert.ok(Math.abs(u.txEnergyJ - 0.1 * u.uplinkS) < 1e-12);
  const mean = shareUpload({ bits: 8e6, medPos: [0, 0, 0], uavPos: [0, 0, 800], bandwidthHz: 4e6, txPowerW: 0.1, fadingGain: 0, noiseW: dbmToW(-110), pathLossExp: 4 });
  assert.ok(mean.uplinkS > u.uplinkS, 'no fading known → the mean channel (|h|² = 1)');
});

test('a share is received, computed at what the CPU really delivers, reported once with its energies', async () => {
  const clock = new ManualClock(T0);
  const out: MessageInput<TaskCompletion>[] = [];
  const executor = new SimulatedExecutor({ clock, fMaxHz: 8e9, efficiency: 0.8 });
  const r = new ShareRunner({ clock, executor, complete: (c) => out.push(c), ownPos: () => [0, 0, 800] }, { uavId: 2, kappa: 1e-28 });
  const s = share();
  r.executeAll(7, [s], T0);
  r.executeAll(7, [s], T0); // the same plan delivered twice (QoS 1)
  assert.equal(r.inProgress, 1);
  for (let i = 0; i < 40 && out.length === 0; i++) {
    clock.advance(50);
    await new Promise((res) => setImmediate(res));
  }
  assert.equal(out.length, 1);
  const c = out[0]!;
  const up = shareUpload({ bits: 8e6, medPos: [0, 0, 0], uavPos: [0, 0, 800], bandwidthHz: 4e6, txPowerW: 0.1, fadingGain: 1.5, noiseW: dbmToW(-110), pathLossExp: 4 });
  const computeS = (8e6 * 100) / (5e9 * 0.8);
  assert.ok(Math.abs(c.uplink_s! - up.uplinkS) < 1e-9);
  assert.ok(Math.abs(c.compute_s! - computeS) < 1e-6, `measured compute ${c.compute_s} vs ${computeS}`);
  assert.ok(Math.abs(c.done_t_us! - (T0 + (up.uplinkS + computeS) * 1e6)) <= 1);
  assert.ok(Math.abs(c.compute_energy_j! - 2e-28 * 5e9 ** 3 * computeS) < 1e-9, 'κ f³ T̃_cp (S0 Eq. 19)');
  assert.equal(c.part_bits, 8e6);
  assert.ok(Math.abs(c.tx_energy_j! - up.txEnergyJ) < 1e-12);
  assert.equal(c.late, up.uplinkS + computeS > 0.5);
  assert.equal(r.inProgress, 0);
  assert.equal(r.done, 1);
});

test('a share that cannot finish before its deadline is reported late; no fix → failed', async () => {
  const clock = new ManualClock(T0);
  const out: MessageInput<TaskCompletion>[] = [];
  const executor = new SimulatedExecutor({ clock, fMaxHz: 8e9 });
  const r = new ShareRunner({ clock, executor, complete: (c) => out.push(c), ownPos: () => [0, 0, 800] }, { uavId: 2, kappa: 1e-28 });
  r.execute(share({ deadline_s: 0.05 }), T0);
  for (let i = 0; i < 40 && out.length === 0; i++) {
    clock.advance(50);
    await new Promise((res) => setImmediate(res));
  }
  assert.equal(out[0]!.late, true);
  const lost = new ShareRunner({ clock, executor, complete: (c) => out.push(c), ownPos: () => undefined }, { uavId: 3, kappa: 1e-28 });
  lost.execute(share(), T0);
  assert.equal(out[1]!.failed, true);
});

test('after a restart: unreported shares of a valid plan run again once there is a fix, late from the plan start; an expired plan\'s fail', async () => {
  const clock = new ManualClock(T0 + 2_000_000);
  const out: MessageInput<TaskCompletion>[] = [];
  const reported: [number, number][] = [];
  const gps: { fix?: [number, number, number] } = {};
  const executor = new SimulatedExecutor({ clock, fMaxHz: 8e9 });
  const r = new ShareRunner({ clock, executor, complete: (c) => out.push(c), ownPos: () => gps.fix, onReported: (p, t) => reported.push([p, t]) }, { uavId: 2, kappa: 1e-28 });
  const a = share({ task_id: 1, deadline_s: 5 });
  const b = share({ task_id: 2, deadline_s: 5 });
  assert.equal(r.resume(9, [a, b], [1], T0, T0 + 10_000_000), 1, 'only the unreported share is taken up');
  r.poke();
  assert.equal(out.length, 0, 'no fix yet: waits');
  gps.fix = [0, 0, 800];
  r.poke();
  r.executeAll(9, [a, b], T0); // the same plan re-delivered: neither runs again
  assert.equal(r.inProgress, 1);
  for (let i = 0; i < 60 && out.length === 0; i++) {
    clock.advance(50);
    await new Promise((res) => setImmediate(res));
  }
  assert.equal(out.length, 1);
  const c = out[0]!;
  assert.equal(c.task_id, 2);
  assert.equal(c.service_start_t_us, T0, 'service start stays the plan\'s');
  assert.ok(c.done_t_us! >= T0 + 2_000_000 + c.uplink_s! * 1e6, 'uploaded again from the restart on');
  assert.equal(c.late, (c.done_t_us! - T0) / 1e6 > 5);
  assert.deepEqual(reported, [[9, 2]]);

  const expired = new ShareRunner({ clock, executor, complete: (x) => out.push(x), ownPos: () => gps.fix }, { uavId: 2, kappa: 1e-28 });
  assert.equal(expired.resume(9, [a, b], [], T0, T0 + 1_000_000), 2);
  assert.deepEqual(out.slice(1).map((x) => [x.task_id, x.failed, x.failure_reason]), [[1, true, 'agent restarted: computation lost, its plan expired'], [2, true, 'agent restarted: computation lost, its plan expired']]);
});
