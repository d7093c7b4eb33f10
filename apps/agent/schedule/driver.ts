/**
 * Runs a plan's subtask schedule on the executor (the shell around `ScheduleProgress`): it
 * re-evaluates when a plan arrives, when the fleet state announces results, when a subtask ends,
 * and at the instant the runner says the next one may start; runs one subtask at a time at the
 * planned CPU, after the UAV has flown its collection tour (within `ARRIVE_M` of the plan's last
 * waypoint); publishes a TaskCompletion per subtask (subtask_id = the node key) and reports its
 * progress for persistence. A newer plan replaces the schedule (a subtask already running
 * finishes and is reported).
 */
import { cpuEnergyJ } from '../../../core/models/compute.ts';
import type { Clock, Timer } from '../../../core/clock.ts';
import { ExecutionSite, FlightMode, type MessageInput, type Plan, type TaskCompletion } from '../../../proto/index.ts';
import type { Executor } from '../executor/index.ts';
import { entriesFromPlan, ScheduleProgress, type RunEntry, type Step } from './runner.ts';

export interface ScheduleDriverDeps {
  clock: Clock;
  executor: Executor;
  complete(c: MessageInput<TaskCompletion>): void;
  /** Results the controller announced (FleetState.results_ready): key → completion µs. */
  remoteDone(): ReadonlyMap<string, number>;
  /** This UAV's mission-frame position (east, north, alt), m; undefined = no fix. */
  ownPos(): [number, number, number] | undefined;
  /** Seconds to move `bits` from UAV `fromUav` here now (SPEC §5.3 UAV–UAV rate); undefined = unknown. */
  transferS(fromUav: number, bits: number): number | undefined;
  /** Progress changed: the plan's seq and the entries done (key → done µs), to persist. */
  onProgress(planSeq: number, done: ReadonlyMap<string, number>): void;
}

/**
 * The collection tour counts as flown once the UAV is this close to its last waypoint, m. [choice]
 * 10 m: over its last user at cruise altitude the upload rate barely changes within 10 m, and the
 * SITL multirotors settle on a waypoint only after swinging ±5–6 m about it for 10–20 s.
 */
export const ARRIVE_M = 10;

export interface ScheduleDriverConfig {
  uavId: number;
  kappa: number;
}

/** What a started subtask waited for, kept for diagnostics and tests. */
export interface StartRecord {
  key: string;
  startUs: number;
  plannedStartUs: number;
  waited: { key: string; readyUs: number; transferS: number }[];
}

export class ScheduleDriver {
  private progress: ScheduleProgress | undefined;
  private planSeq = 0;
  private timer: Timer | undefined;
  private stopped = false;
  /** Last waypoint of a WAYPOINTS plan (the pool position) and when the UAV got there. */
  private tourEnd: [number, number, number] | undefined;
  private collectedUs: number | undefined;
  computeEnergyJ = 0;
  done = 0;
  readonly starts: StartRecord[] = [];

  constructor(
    private readonly d: ScheduleDriverDeps,
    private readonly cfg: ScheduleDriverConfig,
  ) {}

  /** Subtasks of the current schedule not finished yet. */
  get inProgress(): number {
    const p = this.progress;
    return p ? p.entries.length - p.done.size : 0;
  }

  /** Takes a plan's schedule (restored progress: entries already done before a restart). */
  load(plan: Plan, restoredDone: ReadonlyMap<string, number> = new Map()): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.planSeq = plan.plan_seq;
    const wps = plan.flight?.mode === FlightMode.FLIGHT_MODE_WAYPOINTS ? plan.flight.waypoints : [];
    const last = wps[wps.length - 1];
    this.tourEnd = last ? [last.x_east_m, last.y_north_m, last.alt_m] : undefined;
    this.collectedUs = undefined;
    this.progress = plan.schedule.length ? new ScheduleProgress(entriesFromPlan(plan), this.cfg.uavId, restoredDone) : undefined;
    this.poke();
  }

  /** Re-evaluates now (e.g. a fleet state with new results arrived). */
  poke(): void {
    if (this.stopped || !this.progress) return;
    const p = this.progress;
    const nowUs = this.d.clock.nowUs();
    const own = this.d.ownPos();
    if (this.tourEnd && this.collectedUs === undefined && own && Math.hypot(own[0] - this.tourEnd[0], own[1] - this.tourEnd[1], own[2] - this.tourEnd[2]) <= ARRIVE_M) {
      this.collectedUs = nowUs;
    }
    const s: Step = p.step({ nowUs, collectedUs: this.tourEnd ? this.collectedUs : null, remoteDone: this.d.remoteDone(), transferS: (u, b) => this.d.transferS(u, b) });
    if (s.kind === 'start') return this.run(p, s.entry, s.startUs, s.waited);
    if (s.kind === 'wait' && s.untilUs !== undefined) {
      this.timer?.cancel();
      this.timer = this.d.clock.setTimeout(() => {
        this.timer = undefined;
        this.poke();
      }, Math.max(0, (s.untilUs - this.d.clock.nowUs()) / 1000));
    }
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  private run(p: ScheduleProgress, e: RunEntry, startUs: number, waited: StartRecord['waited']): void {
    p.started(e.key);
    this.starts.push({ key: e.key, startUs, plannedStartUs: e.plannedStartUs, waited });
    const seq = this.planSeq;
    const relayS = Math.max(0, ...waited.map((w) => w.transferS));
    this.d.executor
      .run({ id: e.key, cycles: e.cycles, cpuHz: e.cpuHz }, startUs)
      .then((r) => {
        if (this.stopped) return;
        const energy = cpuEnergyJ(this.cfg.kappa, e.cpuHz, e.cycles);
        this.computeEnergyJ += energy;
        this.done++;
        const doneUs = Math.round(r.endUs);
        this.d.complete({
          task_id: e.taskId, user_id: e.userId, subtask_id: e.key, site: ExecutionSite.EXECUTION_SITE_UAV, uav_id: this.cfg.uavId,
          release_t_us: e.releaseUs, service_start_t_us: Math.round(r.startUs), done_t_us: Math.max(doneUs, e.releaseUs),
          relay_s: relayS, compute_s: (r.endUs - r.startUs) / 1e6, predicted_s: Math.max(0, (e.plannedEndUs - e.releaseUs) / 1e6),
          // local_s must be > 0 on the wire; a subtask has no T^loc of its own and the ledger keeps DAG tasks out of the DOR.
          local_s: e.cycles / e.cpuHz, compute_energy_j: energy,
        });
        p.ended(e.key, doneUs);
        if (p === this.progress) this.d.onProgress(seq, p.done);
        this.poke();
      })
      .catch((err: unknown) => {
        if (this.stopped) return;
        const now = Math.round(this.d.clock.nowUs());
        this.d.complete({
          task_id: e.taskId, user_id: e.userId, subtask_id: e.key, site: ExecutionSite.EXECUTION_SITE_UAV, uav_id: this.cfg.uavId,
          release_t_us: e.releaseUs, done_t_us: Math.max(now, e.releaseUs), local_s: e.cycles / e.cpuHz, failed: true, failure_reason: `executor failed: ${(err as Error).message}`,
        });
        p.ended(e.key, now);
        this.poke();
      });
  }
}
