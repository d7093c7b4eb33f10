/**
 * What the controller knew when it planned each slot, rebuilt from a recording.
 *
 * The live controller (apps/controller/service/) plans slot k at time P_k — which the recorded
 * plans carry as `valid_from_t_us` — from: the last twin state of each UAV received before P_k;
 * the task requests received after the slot began (the first FleetState of slot k, whose header
 * time is when the controller set the slot) and before P_k, in arrival order, later copies of a
 * task id updating it in place (a Map); and the twin's fidelity, which completions of tasks it
 * had offloaded update with the predictions of its own plans. This module replays that
 * bookkeeping over receive times. The recorder's receive time is only a proxy for the
 * controller's: both read the same broker and clock, but while the controller plans (a long
 * synchronous step) messages queue on both sockets and the recorder may stamp one after the plan
 * that the controller read before it. For twin states the controller's own receive time is in the
 * recording: every FleetState it publishes carries, per UAV, the `reported_t_us` of the twin state
 * it holds (with its position); `controllerReceiveTimes` matches those back to the twin messages,
 * and those times are used wherever known. Pure: recording in, inputs out.
 *
 * Where the recording has the controller's planning-inputs event for a slot (controllerEvent
 * `PLANNING_INPUTS_CODE`, published just before the slot's plans), nothing is inferred about what
 * it planned with: each UAV's twin is the twin state with the listed header seq, and the tasks are
 * exactly the listed ids in the listed order (each with its last copy received by planning time).
 * The twins' fidelity still comes from the completions received before planning.
 *
 * Dag missions (SPEC §5.3) interleave pool rounds (planner 'pool') with slot plans; their inputs
 * are rebuilt in the same pass (pool-inputs.ts), since pool work updates the twin's fidelity and
 * a closed round sets the next slot plan's previous hover targets.
 */
import type { Plan } from '../../proto/index.ts';
import type { Point2, SlotTask } from '../controller/slot/index.ts';
import type { TaskRequest } from '../../proto/index.ts';
import { applyTwinState, emptyTwin, recordCompletion, type Twin } from '../controller/twin/index.ts';
import type { RecordedPlan, RunRecording } from './recording.ts';
import { PoolTracker, POOL_PLANNER, type PoolRoundInputs } from './pool-inputs.ts';

/** `controllerEvent` code of the planning-inputs event of recordings made before the PlanningInputs message; its text is JSON. */
export const PLANNING_INPUTS_CODE = 'plan.inputs';

/**
 * Older recordings' planning-inputs event (JSON in an Event's text; recordings now carry the
 * PlanningInputs message instead, replayed through the controller's core: core-replay.ts): for
 * each UAV the header seq of the last twin state applied, and the task ids planned, in order.
 */
export interface PlanningInputs {
  slot: number;
  twins: { uav: number; seq: number }[];
  tasks: number[];
  pool?: true;
}

export interface SlotInputs {
  slot: number;
  /** When the slot began (controller's clock), µs; undefined when its FleetState was not recorded. */
  startUs: number | undefined;
  /** When the controller planned it (the plans' valid_from_t_us), µs. */
  planUs: number;
  twin: Twin;
  tasks: SlotTask[];
  /** The plans the controller published for this slot, by UAV id. */
  recorded: Map<number, RecordedPlan>;
  /** Whether twins and tasks come from the controller's planning-inputs event (else inferred from receive times). */
  fromEvent: boolean;
  /** Previous hover targets when the slot follows a pool round: the round's pool positions (else the previous slot plan's). */
  prevTargets?: Map<number, Point2>;
}

/** The planning-inputs events of a recording, by slot (malformed ones are ignored): slot plans', or with `pool` pool rounds'. */
export function planningInputs(rec: RunRecording, pool = false): Map<number, PlanningInputs> {
  const out = new Map<number, PlanningInputs>();
  for (const e of rec.controllerEvents) {
    if (e.msg.code !== PLANNING_INPUTS_CODE) continue;
    try {
      const v = JSON.parse(e.msg.text) as PlanningInputs;
      if (Number.isInteger(v.slot) && Array.isArray(v.twins) && Array.isArray(v.tasks) && (v.pool === true) === pool) out.set(v.slot, v);
    } catch {
      // not ours to judge: a replay without it infers the inputs
    }
  }
  return out;
}

function slotTask(m: TaskRequest, slotS: number): SlotTask {
  return {
    taskId: m.task_id, userId: m.user_id,
    pos: [m.user_position!.x_east_m, m.user_position!.y_north_m, m.user_position!.alt_m],
    dataBits: m.data_bits, cyclesPerBit: m.cycles_per_bit, localCpuHz: m.local_cpu_hz, txPowerW: m.tx_power_w,
    deadlineS: m.deadline_s > 0 ? m.deadline_s : slotS,
    releaseUs: m.release_t_us || m.header!.t_us,
  };
}

/** Plans that are not slot plans: the take-off before slot 0 and the final RTL. */
export const NON_SLOT_PLANNERS = new Set(['launch', 'mission-end']);

function plansBySlot(rec: RunRecording, keep: (p: RecordedPlan) => boolean): Map<number, Map<number, RecordedPlan>> {
  const out = new Map<number, Map<number, RecordedPlan>>();
  for (const p of rec.plans) {
    if (!keep(p)) continue;
    const m = out.get(p.msg.slot) ?? new Map<number, RecordedPlan>();
    if (!m.has(p.uavId)) m.set(p.uavId, p);
    out.set(p.msg.slot, m);
  }
  return out;
}

/** The per-slot offloading plans (not launch/mission-end, not pool rounds), by slot and UAV. */
export function slotPlans(rec: RunRecording): Map<number, Map<number, RecordedPlan>> {
  return plansBySlot(rec, (p) => !NON_SLOT_PLANNERS.has(p.msg.planner) && p.msg.planner !== POOL_PLANNER);
}

/** The pool rounds' plans (dag mode), by the slot the round started in and UAV. */
export function poolPlans(rec: RunRecording): Map<number, Map<number, RecordedPlan>> {
  return plansBySlot(rec, (p) => p.msg.planner === POOL_PLANNER);
}

export interface ReplayInputs {
  slots: SlotInputs[];
  pools: PoolRoundInputs[];
}

/**
 * `boundary`: whether a message received in the very µs of planning counts as received before
 * it ('inclusive') or not ('exclusive', the default: the planning timer fired first).
 * `collectFraction`: the controller's collection window (default 0.25 of a slot, ControllerConfig),
 * used only to place the planning steps of slots without plans (a pool round running), where an
 * expired round closes.
 */
export function slotInputs(rec: RunRecording, slotS: number, opts: { boundary?: 'exclusive' | 'inclusive' } = {}): SlotInputs[] {
  return replayInputs(rec, slotS, opts).slots;
}

export function replayInputs(
  rec: RunRecording,
  slotS: number,
  opts: { boundary?: 'exclusive' | 'inclusive'; collectFraction?: number; stated?: { slots: Map<number, PlanningInputs>; pools: Map<number, PlanningInputs> } } = {},
): ReplayInputs {
  const plans = slotPlans(rec);
  const pools = poolPlans(rec);
  const startOf = new Map<number, number>();
  for (const f of rec.fleet) if (!startOf.has(f.msg.slot)) startOf.set(f.msg.slot, f.msg.header!.t_us);
  const planUsOf = (m: Map<number, RecordedPlan>) => [...m.values()][0]!.msg.valid_from_t_us;
  // Every planning step: recorded ones at their plans' valid_from, the others (a round running) after the collection window.
  const steps = [...new Set([...plans.keys(), ...pools.keys(), ...startOf.keys()])]
    .map((k) => ({ k, stepUs: plans.has(k) ? planUsOf(plans.get(k)!) : pools.has(k) ? planUsOf(pools.get(k)!) : startOf.get(k)! + (opts.collectFraction ?? 0.25) * slotS * 1e6 }))
    .sort((a, b) => a.stepUs - b.stepUs || a.k - b.k);

  const ctlRecv = controllerReceiveTimes(rec);
  const stated = opts.stated?.slots ?? planningInputs(rec);
  const statedPool = opts.stated?.pools ?? planningInputs(rec, true);
  const twinBySeq = new Map(rec.twins.map((e) => [`${e.msg.uav_id}:${e.msg.header!.seq}`, e] as const));
  const lastCopy = (taskId: number, byUs: number): TaskRequest | undefined => {
    let best: TaskRequest | undefined;
    for (const e of rec.tasks) if (e.msg.task_id === taskId && e.recvUs <= byUs) best = e.msg;
    return best;
  };
  type Ev = { recvUs: number; index: number; apply: () => void };
  let twin: Twin = emptyTwin();
  let pending = new Map<number, SlotTask>();
  let slot = -1;
  let planned = false;
  const pool = new PoolTracker();
  const known = new Set<number>();
  const done = new Set<number>();
  const predicted = new Map<number, { uavId: number; predictedS: number; computeS: number }>();
  const events: Ev[] = [
    ...rec.twins.map((e) => ({ recvUs: ctlRecv.get(e.index) ?? e.recvUs, index: e.index, apply: () => void (twin = applyTwinState(twin, e.msg, e.recvUs)) })),
    ...rec.tasks.map((e) => ({
      recvUs: e.recvUs, index: e.index,
      apply: () => {
        const m = e.msg;
        if (slot < 0) return;
        known.add(m.task_id);
        // A DAG task waits for the next pool round, however late in the slot it came.
        if (pool.onTask(m)) return;
        if (planned) return; // after this slot's plan: the device computes it
        pending.set(m.task_id, slotTask(m, slotS));
      },
    })),
    ...rec.completions.map((e) => ({
      recvUs: e.recvUs, index: e.index,
      apply: () => {
        const c = e.msg;
        if (c.subtask_id !== '') return void (twin = pool.onCompletion(c, twin));
        if (!known.has(c.task_id) || done.has(c.task_id)) return;
        done.add(c.task_id);
        const p = predicted.get(c.task_id);
        if (p && c.site === 2 && !c.failed) {
          predicted.delete(c.task_id);
          twin = recordCompletion(twin, c.uav_id, { predictedS: p.predictedS, actualS: (c.done_t_us - c.release_t_us) / 1e6, predictedComputeS: p.computeS, actualComputeS: c.compute_s });
        }
      },
    })),
  ].sort((a, b) => a.recvUs - b.recvUs || a.index - b.index);

  const before = opts.boundary === 'inclusive' ? (t: number, p: number) => t <= p : (t: number, p: number) => t < p;
  /** The twin with the listed twin state per UAV applied (the controller said what it used). */
  const statedTwin = (given: PlanningInputs | undefined) => {
    for (const { uav, seq } of given?.twins ?? []) {
      const e = twinBySeq.get(`${uav}:${seq}`);
      if (e) twin = applyTwinState(twin, e.msg, ctlRecv.get(e.index) ?? e.recvUs);
    }
  };
  const out: ReplayInputs = { slots: [], pools: [] };
  let next = 0;
  for (const { k, stepUs } of steps) {
    const startUs = startOf.get(k);
    // Events up to the slot start happen while the previous slot is still current.
    while (next < events.length && startUs !== undefined && events[next]!.recvUs < startUs) events[next++]!.apply();
    slot = k;
    planned = false;
    while (next < events.length && before(events[next]!.recvUs, stepUs)) events[next++]!.apply();
    planned = true;
    pool.onStep(stepUs);
    const poolRound = pools.get(k);
    if (poolRound) {
      const given = statedPool.get(k);
      statedTwin(given);
      out.pools.push(pool.startRound(k, stepUs, twin, poolRound, given?.tasks, (id) => lastCopy(id, stepUs)));
      continue;
    }
    const recorded = plans.get(k);
    if (!recorded) {
      // A round runs: the controller keeps its independent tasks pending. Otherwise it planned the slot and published nothing.
      if (!pool.active) pending = new Map();
      continue;
    }
    let tasks = [...pending.values()];
    pending = new Map();
    const given = stated.get(k);
    if (given) {
      statedTwin(given);
      tasks = given.tasks.map((id) => lastCopy(id, stepUs)).filter((m) => m !== undefined).map((m) => slotTask(m, slotS));
    }
    const prevTargets = pool.takeClosedTargets();
    out.slots.push({ slot: k, startUs, planUs: stepUs, twin, tasks, recorded, fromEvent: given !== undefined, ...(prevTargets ? { prevTargets } : {}) });
    for (const a of uniqueAssignments(recorded.values())) predicted.set(a.task_id, { uavId: a.exec_uav_id, predictedS: a.predicted_s, computeS: a.cycles / a.cpu_hz });
  }
  return out;
}

/** Each offloaded task once (a relayed task appears in its access and its exec UAV's plan). */
function uniqueAssignments(plans: Iterable<RecordedPlan>): Plan['assignments'] {
  const seen = new Map<number, Plan['assignments'][number]>();
  for (const p of plans) for (const a of p.msg.assignments) if (!seen.has(a.task_id)) seen.set(a.task_id, a);
  return [...seen.values()];
}

/**
 * The controller's receive time of each twin state (by recording index) that some FleetState
 * shows it holding: the member's `reported_t_us`, matched to the latest twin message of that UAV
 * published before the FleetState with exactly the member's position.
 */
export function controllerReceiveTimes(rec: RunRecording): Map<number, number> {
  const byUav = new Map<number, RunRecording['twins']>();
  for (const t of rec.twins) {
    const l = byUav.get(t.msg.uav_id) ?? [];
    l.push(t);
    byUav.set(t.msg.uav_id, l);
  }
  const out = new Map<number, number>();
  for (const f of rec.fleet) {
    const sentUs = f.msg.header!.t_us;
    for (const m of f.msg.members) {
      const list = byUav.get(m.uav_id);
      if (!list || !m.position) continue;
      for (let i = list.length - 1; i >= 0; i--) {
        const t = list[i]!;
        if (t.msg.header!.t_us > sentUs) continue;
        const p = t.msg.position;
        if (p && p.x_east_m === m.position.x_east_m && p.y_north_m === m.position.y_north_m && p.alt_m === m.position.alt_m) {
          if (!out.has(t.index)) out.set(t.index, m.reported_t_us);
          break;
        }
      }
    }
  }
  return out;
}
