/**
 * The agent's subtask-schedule runner (SPEC §5.3, paper S1 §3.5): the pure decision of what to
 * compute next. The plan's `schedule` is this UAV's merged subtasks in execution order; entry k
 * starts at the latest of
 * - its planned start (`valid_from + start_s`),
 * - the end of this UAV's collection tour (it holds its users' data only after visiting them; S1's
 *   compute stage follows the collection stage) when the plan flies one,
 * - the end of entry k − 1 (one subtask at a time, S1's sequential computing on a UAV),
 * - each predecessor's result being here: a local one when this UAV finished it; a remote one
 *   when its key is announced in FleetState.results_ready, at its completion time plus the
 *   UAV-to-UAV transfer of its result (S1 Eq. 8–9: output bits over the LoS rate at the distance
 *   between the two UAVs now).
 * Start times are computed from those instants, not read off when a timer fires: on an
 * accelerated clock a millisecond of timer jitter is many simulated ones. Pure: `step` takes the
 * time, the announced results and a transfer-time function, and returns what to do.
 */
import type { Plan } from '../../../proto/index.ts';

export interface RunPred {
  key: string;
  /** UAV that computes it; 0 = this UAV. */
  uavId: number;
  outputBits: number;
  /** The plan's predicted arrival here, µs (undefined = not predicted). */
  plannedReadyUs?: number;
}

export interface RunEntry {
  key: string;
  taskId: number;
  userId: number;
  releaseUs: number;
  cycles: number;
  cpuHz: number;
  plannedStartUs: number;
  plannedEndUs: number;
  preds: RunPred[];
}

export interface RunContext {
  nowUs: number;
  /** When this UAV finished its collection tour, µs; undefined = still collecting; null = no tour to wait for. */
  collectedUs?: number | null;
  /** Results announced by the controller: node key → completion time, µs. */
  remoteDone: ReadonlyMap<string, number>;
  /** Seconds to move `bits` from UAV `fromUav` to this one now; undefined = its position is unknown. */
  transferS(fromUav: number, bits: number): number | undefined;
}

export interface PredWait {
  key: string;
  readyUs: number;
  /** Transfer time over the UAV-to-UAV link (0 for local results), s. */
  transferS: number;
}

export type Step =
  | { kind: 'start'; index: number; entry: RunEntry; startUs: number; waited: PredWait[] }
  /** Nothing can start before `untilUs` (undefined: until a result is announced or a position known). */
  | { kind: 'wait'; index: number; untilUs?: number; blockedBy: string[] }
  | { kind: 'busy'; index: number }
  | { kind: 'finished' };

/** This UAV's entries of a plan, in execution order, with absolute times. */
export function entriesFromPlan(p: Plan): RunEntry[] {
  const t0 = p.valid_from_t_us;
  return p.schedule.map((s) => ({
    key: s.node_key || `${s.task_id}/${s.subtask_id}`,
    taskId: s.task_id,
    userId: s.user_id,
    releaseUs: s.release_t_us || t0,
    cycles: s.cycles,
    cpuHz: s.cpu_hz,
    plannedStartUs: t0 + s.start_s * 1e6,
    plannedEndUs: t0 + s.end_s * 1e6,
    preds: s.predecessor_ids.map((key, i) => ({
      key,
      uavId: s.predecessor_uav_ids[i] ?? 0,
      outputBits: s.predecessor_output_bits[i] ?? 0,
      ...(s.predecessor_ready_s[i] !== undefined ? { plannedReadyUs: t0 + s.predecessor_ready_s[i]! * 1e6 } : {}),
    })),
  }));
}

/** Progress through one plan's schedule. */
export class ScheduleProgress {
  /** Node key → completion time (µs) of the entries this UAV finished. */
  readonly done = new Map<string, number>();
  private running: string | undefined;

  constructor(
    readonly entries: readonly RunEntry[],
    /** This UAV's id (a predecessor with this id is local too). */
    readonly selfId: number,
    restoredDone: ReadonlyMap<string, number> = new Map(),
  ) {
    for (const [k, t] of restoredDone) if (entries.some((e) => e.key === k)) this.done.set(k, t);
  }

  get finished(): boolean {
    return this.done.size === this.entries.length;
  }

  get runningKey(): string | undefined {
    return this.running;
  }

  /** Index of the first entry not done (entries run in order). */
  private nextIndex(): number {
    const i = this.entries.findIndex((e) => !this.done.has(e.key));
    return i < 0 ? this.entries.length : i;
  }

  step(ctx: RunContext): Step {
    const i = this.nextIndex();
    if (i >= this.entries.length) return { kind: 'finished' };
    if (this.running !== undefined) return { kind: 'busy', index: i };
    const e = this.entries[i]!;
    let startUs = e.plannedStartUs;
    if (ctx.collectedUs === undefined) return { kind: 'wait', index: i, blockedBy: ['collection'] };
    if (ctx.collectedUs !== null) startUs = Math.max(startUs, ctx.collectedUs);
    if (i > 0) startUs = Math.max(startUs, this.done.get(this.entries[i - 1]!.key)!);
    const waited: PredWait[] = [];
    const blockedBy: string[] = [];
    for (const p of e.preds) {
      const local = p.uavId === 0 || p.uavId === this.selfId;
      const doneUs = local ? this.done.get(p.key) : ctx.remoteDone.get(p.key);
      // A "local" result not computed here yet may still be announced (plan changed hands): accept either.
      const at = doneUs ?? (local ? ctx.remoteDone.get(p.key) : undefined);
      if (at === undefined) {
        blockedBy.push(p.key);
        continue;
      }
      const fromHere = local && doneUs !== undefined;
      const tS = fromHere ? 0 : ctx.transferS(p.uavId, p.outputBits);
      if (tS === undefined) {
        blockedBy.push(p.key);
        continue;
      }
      const readyUs = at + tS * 1e6;
      waited.push({ key: p.key, readyUs, transferS: tS });
      startUs = Math.max(startUs, readyUs);
    }
    if (blockedBy.length > 0) return { kind: 'wait', index: i, blockedBy };
    if (startUs > ctx.nowUs) return { kind: 'wait', index: i, untilUs: startUs, blockedBy: [] };
    return { kind: 'start', index: i, entry: e, startUs, waited };
  }

  started(key: string): void {
    this.running = key;
  }

  /** The running entry ended at `doneUs` (failed entries count as done: successors are not held forever). */
  ended(key: string, doneUs: number): void {
    if (this.running === key) this.running = undefined;
    this.done.set(key, doneUs);
  }

  /** The running entry was abandoned (e.g. the process stops): it can be started again. */
  abandoned(key: string): void {
    if (this.running === key) this.running = undefined;
  }
}
