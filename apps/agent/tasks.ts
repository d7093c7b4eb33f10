/**
 * Computing the tasks a plan assigns to this UAV: receive (and relay) the upload, then run the
 * cycles on the executor, then report a completion — or a failure. Times are computed from the
 * service start (the plan's decision time) and the channel at the UAVs' positions now, not read
 * off when timers fire: on an accelerated clock a millisecond of timer jitter is many simulated
 * ones. Every accepted task is tracked as open until its completion is made, so a restarted agent
 * can report the ones it lost.
 */
import { cpuEnergyJ } from '../../core/models/compute.ts';
import type { S3ChannelParams } from '../../core/models/channel.ts';
import type { Clock, Timer } from '../../core/clock.ts';
import { ExecutionSite, type ComputeAssignment, type TaskCompletion } from '../../proto/index.ts';
import type { MessageInput } from '../../proto/index.ts';
import type { Executor } from './executor/index.ts';
import type { PersistedTask } from './state/index.ts';
import { transferTimes } from './work/timing.ts';

type P3 = [number, number, number];

export interface TaskRunnerDeps {
  clock: Clock;
  executor: Executor;
  /** Publishes a completion (through the uplink; never dropped). */
  complete(c: MessageInput<TaskCompletion>): void;
  /** Mission-frame positions (east, north, alt): this UAV's, and another's from the fleet state. */
  ownPos(): P3 | undefined;
  memberPos(id: number): P3 | undefined;
  /** The set of open tasks changed (persist it). */
  onOpenChange(open: PersistedTask[]): void;
}

export interface TaskRunnerConfig {
  uavId: number;
  channel: S3ChannelParams;
  txPowerW: number;
  /** CPU energy coefficient κ (SPEC §4). */
  kappa: number;
}

export class TaskRunner {
  private readonly open = new Map<number, PersistedTask>();
  private readonly timers = new Set<Timer>();
  private stopped = false;
  computeEnergyJ = 0;
  done = 0;
  private lastRateHz: number | undefined;

  constructor(
    private readonly d: TaskRunnerDeps,
    private readonly cfg: TaskRunnerConfig,
  ) {}

  /** f̃: the executor's own estimate when it measures (WorkerExecutor), else the last job's rate. */
  get measuredCpuHz(): number | undefined {
    const ex = this.d.executor as Partial<{ measuredHz(): number }>;
    return typeof ex.measuredHz === 'function' ? ex.measuredHz() : this.lastRateHz;
  }

  get inProgress(): number {
    return this.open.size;
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) t.cancel();
    this.timers.clear();
  }

  /** Reports tasks a previous run accepted and never finished as failed. */
  abandon(tasks: readonly PersistedTask[], why: string): void {
    const now = Math.round(this.d.clock.nowUs());
    for (const t of tasks) {
      this.d.complete({
        task_id: t.task_id, user_id: t.user_id, site: ExecutionSite.EXECUTION_SITE_UAV, uav_id: this.cfg.uavId,
        release_t_us: t.release_t_us, done_t_us: Math.max(now, t.release_t_us), local_s: t.local_s, failed: true, failure_reason: why,
      });
    }
  }

  execute(a: ComputeAssignment, serviceStartUs: number): void {
    const own = this.d.ownPos();
    if (!own) return this.fail(a, 'no position fix');
    const access = a.access_uav_id === this.cfg.uavId ? own : this.d.memberPos(a.access_uav_id) ?? own;
    const up = a.user_position!;
    const t = transferTimes(this.cfg.channel, {
      dataBits: a.data_bits,
      userPos: [up.x_east_m, up.y_north_m, up.alt_m],
      accessPos: access,
      execPos: own,
      bandwidthHz: a.bandwidth_hz,
      relayBandwidthHz: a.relay_bandwidth_hz,
      userTxPowerW: a.tx_power_w,
      uavTxPowerW: this.cfg.txPowerW,
      relayed: a.access_uav_id !== a.exec_uav_id,
    });
    if (!Number.isFinite(t.uplinkS + t.relayS)) return this.fail(a, 'user out of radio range');
    this.track(a);
    const uploadedUs = serviceStartUs + (t.uplinkS + t.relayS) * 1e6;
    const timer = this.d.clock.setTimeout(() => {
      this.timers.delete(timer);
      if (this.stopped) return;
      this.d.executor
        .run({ id: String(a.task_id), cycles: a.cycles, cpuHz: a.cpu_hz }, uploadedUs)
        .then((r) => {
          if (this.stopped) return;
          this.done++;
          this.lastRateHz = r.cyclesPerS;
          const computeS = (r.endUs - r.startUs) / 1e6;
          const energy = cpuEnergyJ(this.cfg.kappa, a.cpu_hz, a.cycles);
          this.computeEnergyJ += energy;
          const doneUs = Math.round(r.endUs);
          const release = a.release_t_us;
          this.d.complete({
            task_id: a.task_id, user_id: a.user_id, site: ExecutionSite.EXECUTION_SITE_UAV, uav_id: this.cfg.uavId,
            release_t_us: release, service_start_t_us: Math.round(serviceStartUs), done_t_us: Math.max(doneUs, release), uplink_s: t.uplinkS, relay_s: t.relayS, compute_s: computeS,
            predicted_s: a.predicted_s, local_s: a.local_s, late: a.deadline_s > 0 && (doneUs - serviceStartUs) / 1e6 > a.deadline_s, compute_energy_j: energy,
          });
          this.untrack(a);
        })
        .catch((e: unknown) => {
          if (this.stopped) return;
          this.fail(a, `executor failed: ${(e as Error).message}`);
        });
    }, Math.max(0, (uploadedUs - this.d.clock.nowUs()) / 1000));
    this.timers.add(timer);
  }

  private track(a: ComputeAssignment): void {
    this.open.set(a.task_id, { task_id: a.task_id, user_id: a.user_id, release_t_us: a.release_t_us, local_s: a.local_s });
    this.d.onOpenChange([...this.open.values()]);
  }

  private untrack(a: ComputeAssignment): void {
    if (this.open.delete(a.task_id)) this.d.onOpenChange([...this.open.values()]);
  }

  private fail(a: ComputeAssignment, why: string): void {
    const now = Math.round(this.d.clock.nowUs());
    this.d.complete({
      task_id: a.task_id, user_id: a.user_id, site: ExecutionSite.EXECUTION_SITE_UAV, uav_id: this.cfg.uavId,
      release_t_us: a.release_t_us, done_t_us: Math.max(now, a.release_t_us), local_s: a.local_s, failed: true, failure_reason: why,
    });
    this.untrack(a);
  }
}
