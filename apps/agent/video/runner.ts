/**
 * S2 video work on a UAV (SPEC §5.4): for each share of a plan's `video` part the agent receives
 * ε1·D_i bits from the busy device over the uplink (S2 Rician channel at the UAV's real position,
 * the granted share of B1; one fading draw seeded by segment and UAV), transcodes them to the
 * planned level b_O (C_k = m1·b_O^m2 cycles per input bit, energy s1 f^y1 t) and processes the
 * transcoded stream D' = ε1·D_i·b_O / 2.75 Mbps (κ f² D' C) — both runs on the executor at the
 * plan's f_k — and reports one completion with its energies. Times are computed from the plan's
 * start and the executor's reservations, not read off timers (as tasks.ts does).
 */
import type { Clock, Timer } from '../../../core/clock.ts';
import { createRng } from '../../../core/rng.ts';
import { cpuEnergyBitsJ, dist, linkSeed, s2Transfer, transcodeCycles, transcodedBits, transcodeEnergyJ } from '../../../engines/video/index.ts';
import { ExecutionSite, type MessageInput, type TaskCompletion, type VideoPlan, type VideoShare } from '../../../proto/index.ts';
import type { Executor } from '../executor/index.ts';

type P3 = [number, number, number];

export interface VideoRunnerDeps {
  clock: Clock;
  executor: Executor;
  uavId: number;
  /** This UAV's mission-frame position now (east, north, alt). */
  ownPos(): P3 | undefined;
  /** Publishes a completion (through the uplink; never dropped). */
  complete(c: MessageInput<TaskCompletion>): void;
}

export class VideoRunner {
  private readonly timers = new Set<Timer>();
  private stopped = false;
  readonly stats = { shares: 0, done: 0, failed: 0, computeEnergyJ: 0 };

  constructor(private readonly d: VideoRunnerDeps) {}

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) t.cancel();
    this.timers.clear();
  }

  /** Starts every share of the plan's video part; the uplinks begin at `startUs` (the plan's decision time). */
  run(v: VideoPlan, startUs: number): void {
    for (const s of v.shares) this.share(v, s, startUs);
  }

  private share(v: VideoPlan, s: VideoShare, startUs: number): void {
    this.stats.shares++;
    const own = this.d.ownPos();
    const up = s.user_position!;
    if (!own || !v.uplink) return this.fail(s, startUs, own ? 'no uplink channel in the plan' : 'no position fix');
    const ch = v.uplink;
    const link = s2Transfer({ beta0: ch.beta0, chi: ch.path_loss_exponent, gamma: ch.rician_factor }, ch.noise_dbm, s.uplink_bandwidth_hz, s.tx_power_w,
      dist([up.x_east_m, up.y_north_m, up.alt_m], own), s.share_bits, createRng(linkSeed(s.task_id, this.d.uavId)));
    if (!Number.isFinite(link.seconds)) return this.fail(s, startUs, 'device out of radio range');
    const model = { m1: v.transcode_m1, m2: v.transcode_m2, s1: v.transcode_s1, y1: v.transcode_y1, sourceMbps: v.source_mbps };
    const cyclesT = transcodeCycles(model, s.share_bits, v.transcode_level_mbps);
    const bitsOut = transcodedBits(model, s.share_bits, v.transcode_level_mbps);
    const receivedUs = startUs + link.seconds * 1e6;
    const timer = this.d.clock.setTimeout(() => {
      this.timers.delete(timer);
      if (this.stopped) return;
      void this.compute(v, s, { receivedUs, uplinkS: link.seconds, cyclesT, bitsOut, startUs });
    }, Math.max(0, (receivedUs - this.d.clock.nowUs()) / 1000));
    this.timers.add(timer);
  }

  private async compute(v: VideoPlan, s: VideoShare, w: { receivedUs: number; uplinkS: number; cyclesT: number; bitsOut: number; startUs: number }): Promise<void> {
    const id = `video-${s.task_id}`;
    try {
      const t = await this.d.executor.run({ id: `${id}/transcode`, cycles: w.cyclesT, cpuHz: v.cpu_hz }, w.receivedUs);
      const p = await this.d.executor.run({ id: `${id}/process`, cycles: w.bitsOut * s.cycles_per_bit, cpuHz: v.cpu_hz }, t.endUs);
      if (this.stopped) return;
      const transcodeJ = transcodeEnergyJ({ s1: v.transcode_s1, y1: v.transcode_y1 }, v.cpu_hz, w.cyclesT);
      const energy = transcodeJ + cpuEnergyBitsJ(v.kappa, v.cpu_hz, w.bitsOut, s.cycles_per_bit);
      this.stats.done++;
      this.stats.computeEnergyJ += energy;
      const release = s.release_t_us || Math.round(w.startUs);
      this.d.complete({
        task_id: s.task_id, user_id: s.user_id, site: ExecutionSite.EXECUTION_SITE_UAV, uav_id: this.d.uavId,
        release_t_us: release, service_start_t_us: Math.round(w.startUs), done_t_us: Math.max(Math.round(p.endUs), release),
        uplink_s: w.uplinkS, compute_s: (p.endUs - t.startUs) / 1e6, local_s: (s.share_bits * s.cycles_per_bit) / s.local_cpu_hz,
        compute_energy_j: energy, part_bits: s.share_bits, tx_energy_j: s.tx_power_w * w.uplinkS,
        transcode_level_mbps: v.transcode_level_mbps, transcode_energy_j: transcodeJ,
      });
    } catch (e) {
      if (!this.stopped) this.fail(s, w.startUs, `executor failed: ${(e as Error).message}`);
    }
  }

  private fail(s: VideoShare, startUs: number, why: string): void {
    this.stats.failed++;
    const now = Math.round(this.d.clock.nowUs());
    const release = s.release_t_us || Math.round(startUs);
    this.d.complete({
      task_id: s.task_id, user_id: s.user_id, site: ExecutionSite.EXECUTION_SITE_UAV, uav_id: this.d.uavId, release_t_us: release,
      done_t_us: Math.max(now, release), local_s: (s.share_bits * s.cycles_per_bit) / s.local_cpu_hz, part_bits: s.share_bits, failed: true, failure_reason: why,
    });
  }
}
