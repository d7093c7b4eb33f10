/**
 * Executing S0 coalition shares on this UAV (SPEC §5.2): for each share in an accepted plan, receive
 * its bits from the MED over the M2U link (timing.ts, at the UAV's real position), then compute
 * ϑ·s_j cycles on the executor at the plan's CPU frequency, then report a TaskCompletion with
 * `part_bits` = s_j: upload and measured compute time, compute energy κ f³ T̃_cp (S0 Eq. 19: the
 * power at the frequency set, for the time it really took), the MED's transmission energy, and
 * whether the share finished after the deadline (from the plan's valid_from). Times come from the
 * service start and the channel, not from when timers fire. Each share runs once per plan: a
 * re-delivered plan (same seq) is not executed twice.
 *
 * Restarts lose nothing: every reported share is announced (`onReported`) so the agent persists
 * it; a restarted agent `resume`s the shares of its restored plan that were never reported — run
 * again from the upload on (the data died with the process; the MED sends it again) once the UAV
 * has a position fix while the plan is valid, reported failed ("agent restarted") when it is not.
 * Their lateness still counts from the plan's service start.
 */
import type { Clock, Timer } from '../../../core/clock.ts';
import { ExecutionSite, type CoalitionShare, type MessageInput, type TaskCompletion } from '../../../proto/index.ts';
import type { Executor } from '../executor/index.ts';
import { shareUpload } from './timing.ts';

type P3 = [number, number, number];

export interface ShareRunnerDeps {
  clock: Clock;
  executor: Executor;
  /** Publishes a completion (through the uplink; never dropped). */
  complete(c: MessageInput<TaskCompletion>): void;
  /** This UAV's position now (mission frame: east, north, alt). */
  ownPos(): P3 | undefined;
  /** Called after each share's completion or failure is handed to `complete` (for the persisted state). */
  onReported?(planSeq: number, taskId: number): void;
}

/** Shares of a restored plan waiting for a position fix to run again (see `resume`). */
interface PendingResume {
  planSeq: number;
  shares: CoalitionShare[];
  serviceStartUs: number;
  validUntilUs: number;
}

export interface ShareRunnerConfig {
  uavId: number;
  /** κ when the share does not carry one (SPEC §4). */
  kappa: number;
}

export class ShareRunner {
  private readonly timers = new Set<Timer>();
  private readonly started = new Set<string>();
  private stopped = false;
  private open = 0;
  private pending: PendingResume | undefined;
  computeEnergyJ = 0;
  done = 0;

  constructor(
    private readonly d: ShareRunnerDeps,
    private readonly cfg: ShareRunnerConfig,
  ) {}

  get inProgress(): number {
    return this.open;
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) t.cancel();
    this.timers.clear();
  }

  /** Starts every share of plan `planSeq` (valid from `serviceStartUs`) not started before. */
  executeAll(planSeq: number, shares: readonly CoalitionShare[], serviceStartUs: number): void {
    if (this.pending && this.pending.planSeq !== planSeq) this.failPending('agent restarted: a newer plan came before a position fix');
    for (const s of shares) {
      const k = `${planSeq}:${s.task_id}`;
      if (this.started.has(k)) continue;
      this.started.add(k);
      this.execute(s, serviceStartUs, serviceStartUs, planSeq);
    }
  }

  /**
   * After a restart: the shares of restored plan `planSeq` whose task ids are not in `reported`
   * run again once `poke` finds a position fix, if the plan is still valid then; an expired plan's
   * are reported failed at once. Returns how many shares were taken up.
   */
  resume(planSeq: number, shares: readonly CoalitionShare[], reported: readonly number[], serviceStartUs: number, validUntilUs: number): number {
    const done = new Set(reported);
    const open = shares.filter((s) => !done.has(s.task_id));
    for (const s of shares) this.started.add(`${planSeq}:${s.task_id}`);
    if (open.length === 0) return 0;
    this.pending = { planSeq, shares: open, serviceStartUs, validUntilUs };
    this.poke();
    return open.length;
  }

  /** Runs the pending resumed shares when the UAV has a fix (call on every control tick). */
  poke(): void {
    const p = this.pending;
    if (!p || this.stopped) return;
    const nowUs = this.d.clock.nowUs();
    if (nowUs >= p.validUntilUs) return this.failPending('agent restarted: computation lost, its plan expired');
    if (!this.d.ownPos()) return;
    this.pending = undefined;
    for (const s of p.shares) this.execute(s, p.serviceStartUs, nowUs, p.planSeq);
  }

  private failPending(why: string): void {
    const p = this.pending!;
    this.pending = undefined;
    for (const s of p.shares) this.fail(s, p.serviceStartUs, why, p.planSeq);
  }

  /**
   * Receives share `s` from `beginUs` on (the plan's service start, or the restart), computes and
   * reports it; lateness counts from `serviceStartUs`.
   */
  execute(s: CoalitionShare, serviceStartUs: number, beginUs = serviceStartUs, planSeq = 0): void {
    const own = this.d.ownPos();
    if (!own) return this.fail(s, serviceStartUs, 'no position fix', planSeq);
    const p = s.user_position!;
    const up = shareUpload({
      bits: s.share_bits, medPos: [p.x_east_m, p.y_north_m, p.alt_m], uavPos: own, bandwidthHz: s.bandwidth_hz, txPowerW: s.tx_power_w,
      fadingGain: s.fading_gain, noiseW: s.noise_w, pathLossExp: s.path_loss_exponent,
    });
    if (!Number.isFinite(up.uplinkS)) return this.fail(s, serviceStartUs, 'MED out of radio range', planSeq);
    this.open++;
    const uploadedUs = beginUs + up.uplinkS * 1e6;
    const cycles = s.share_bits * s.cycles_per_bit;
    const timer = this.d.clock.setTimeout(() => {
      this.timers.delete(timer);
      if (this.stopped) return;
      this.d.executor
        .run({ id: `${s.task_id}@${this.cfg.uavId}`, cycles, cpuHz: s.cpu_hz }, uploadedUs)
        .then((r) => {
          if (this.stopped) return;
          this.open--;
          this.done++;
          const computeS = (r.endUs - r.startUs) / 1e6;
          const kappa = s.kappa > 0 ? s.kappa : this.cfg.kappa;
          const energy = kappa * s.cpu_hz ** 3 * computeS;
          this.computeEnergyJ += energy;
          const doneUs = Math.max(Math.round(r.endUs), s.release_t_us);
          this.report(planSeq, {
            task_id: s.task_id, user_id: s.user_id, site: ExecutionSite.EXECUTION_SITE_UAV, uav_id: this.cfg.uavId, release_t_us: s.release_t_us,
            service_start_t_us: Math.round(serviceStartUs), done_t_us: doneUs, uplink_s: up.uplinkS, compute_s: computeS, predicted_s: s.predicted_delay_s,
            late: (r.endUs - serviceStartUs) / 1e6 > s.deadline_s, compute_energy_j: energy, part_bits: s.share_bits, tx_energy_j: up.txEnergyJ,
          });
        })
        .catch((e: unknown) => {
          if (this.stopped) return;
          this.open--;
          this.fail(s, serviceStartUs, `executor failed: ${(e as Error).message}`, planSeq);
        });
    }, Math.max(0, (uploadedUs - this.d.clock.nowUs()) / 1000));
    this.timers.add(timer);
  }

  private report(planSeq: number, c: MessageInput<TaskCompletion> & { task_id: number }): void {
    this.d.complete(c);
    this.d.onReported?.(planSeq, c.task_id);
  }

  private fail(s: CoalitionShare, serviceStartUs: number, why: string, planSeq: number): void {
    const now = Math.round(this.d.clock.nowUs());
    this.report(planSeq, {
      task_id: s.task_id, user_id: s.user_id, site: ExecutionSite.EXECUTION_SITE_UAV, uav_id: this.cfg.uavId, release_t_us: s.release_t_us,
      service_start_t_us: Math.round(serviceStartUs), done_t_us: Math.max(now, s.release_t_us), part_bits: s.share_bits, failed: true, failure_reason: why,
    });
  }
}
