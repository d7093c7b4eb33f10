/**
 * Replay through the controller's own planning core (apps/controller/core): a fresh core is driven
 * with exactly what the live one consumed — each recorded PlanningInputs names, in order, the
 * messages consumed since the previous planning step (looked up in the recording by topic, sender
 * and seq), the slot's start and planning instants, and the core's other events placed among the
 * messages (`controls`: a standby following the leader's slot, a shard releasing a UAV) — and the
 * plans it makes are the replayed plans. Nothing is inferred from the recorder's receive times, so
 * every recorded mission (policy, planner, dag) replays byte for byte, and a difference is a real
 * change of the planner. `runCore` drives one core over one core's inputs (cores.ts splits a run
 * that several cores planned: shards, leaders).
 *
 * Also returns what each slot was planned from (twin, tasks, previous hover targets), for the
 * what-if planners (replan.ts).
 */
import { createCore, step, type CoreConfig, type CoreEvent, type CoreState, type MessageEvent } from '../controller/core/index.ts';
import type { PlanBody } from '../controller/slot/index.ts';
import { ControlKind, type PlanningInputs as PlanningInputsMsg } from '../../proto/index.ts';
import { fail, ok, type Result } from '../../core/result.ts';
import { poolPlans, slotPlans, type PlanningInputs, type SlotInputs } from './inputs.ts';
import { POOL_PLANNER } from './pool-inputs.ts';
import { refKey, type RecordedPlan, type RunRecording, type Stamped } from './recording.ts';

export interface CoreReplayStep {
  slot: number;
  kind: 'slot' | 'pool';
  recorded: Map<number, RecordedPlan>;
  replayed: Map<number, PlanBody>;
}

export interface CoreReplay {
  steps: CoreReplayStep[];
  /** The core after the last step: its ledger holds the mission's metrics as the controller counted them. */
  core: CoreState;
  /** Each slot-plan step's inputs as the core held them (for what-if planners). */
  slotInputs: SlotInputs[];
  /** What each step was planned from in inputs.ts's terms (twin seqs, task ids), for its pool-round rebuild. */
  stated: { slots: Map<number, PlanningInputs>; pools: Map<number, PlanningInputs> };
  /** Whether the core's inputs end with the close after the last slot (a deposed or killed leader's do not). */
  closed: boolean;
}

type Recorded = Map<number, Map<number, RecordedPlan>>;

/** The run's one controller: every PlanningInputs of the recording, every slot and pool plan. */
export function replayThroughCore(rec: RunRecording, cfg: CoreConfig): Result<CoreReplay, 'missing_input'> {
  return runCore(rec, rec.planningInputs, cfg, { slot: slotPlans(rec), pool: poolPlans(rec) });
}

/**
 * One core over `inputs` (one core's PlanningInputs, in order); `recorded`: the plans its steps
 * are paired with (by slot and UAV). Fails when the recording lacks a message the core consumed.
 */
export function runCore(rec: RunRecording, inputs: readonly Stamped<PlanningInputsMsg>[], cfg: CoreConfig, recorded: { slot: Recorded; pool: Recorded }): Result<CoreReplay, 'missing_input'> {
  // The plans' validity is the controller's setting, recorded with every step (0: an older recording, the default).
  const validity = inputs[0]?.msg.plan_validity_slots;
  const core = createCore(validity ? { ...cfg, planValiditySlots: validity } : cfg);
  const out: CoreReplay = { steps: [], slotInputs: [], core, stated: { slots: new Map(), pools: new Map() }, closed: false };
  for (const { msg: pi } of inputs) {
    const events = stepEvents(rec, pi, pi.slot >= cfg.slots);
    if (!events.ok) return events;
    for (const ev of events.value) step(core, ev);
    if (pi.slot >= cfg.slots) {
      // The close after the last slot: what came in during the drain.
      step(core, { kind: 'close', nowUs: pi.plan_t_us });
      out.closed = true;
      continue;
    }
    planStep(core, pi, recorded, out);
  }
  return ok(out);
}

/**
 * A step's events in the order the live core had them: the consumed messages, the slot start
 * before the `consumed_before_start`-th of them, each control before the `after_consumed`-th (a
 * control earlier than the slot start before it). A slot the core entered by following the
 * leader (a FOLLOW control for the step's slot: a standby that took over mid-slot) had no start;
 * nor has the close after the last slot (`close`).
 */
export function stepEvents(rec: RunRecording, pi: PlanningInputsMsg, close = false): Result<CoreEvent[], 'missing_input'> {
  const messages: MessageEvent[] = [];
  for (const c of pi.consumed) {
    const m = rec.byRef.get(refKey(c.topic, c.sender, c.seq));
    if (!m) return fail('missing_input', `slot ${pi.slot}${pi.core_id ? ` (${pi.core_id})` : ''}: the controller consumed ${c.topic} seq ${c.seq} from ${c.sender || '?'}, which the recording does not hold`);
    messages.push({ ...m, recvUs: c.recv_t_us } as MessageEvent);
  }
  const followed = pi.controls.some((c) => c.kind === ControlKind.CONTROL_KIND_FOLLOW && c.slot === pi.slot);
  const at: { index: number; order: number; ev: CoreEvent }[] = messages.map((ev, i) => ({ index: i, order: 1, ev }));
  if (!followed && !close) {
    at.push({ index: pi.consumed_before_start, order: 0.5, ev: { kind: 'slotStart', slot: pi.slot, nowUs: pi.slot_start_t_us } });
  }
  for (const c of pi.controls) {
    const order = c.t_us < pi.slot_start_t_us ? 0 : 0.75;
    const ev: CoreEvent = c.kind === ControlKind.CONTROL_KIND_RELEASE
      ? { kind: 'release', uavId: c.uav_id, nowUs: c.t_us }
      : { kind: 'follow', slot: c.slot, planned: c.slot_planned, nowUs: c.t_us, slotStartUs: c.slot_start_t_us };
    at.push({ index: c.after_consumed, order, ev });
  }
  // Stable: equal (index, order) keep the recorded order of the controls.
  return ok(at.map((x, i) => ({ ...x, i })).sort((a, b) => a.index - b.index || a.order - b.order || a.i - b.i).map((x) => x.ev));
}

/** The step's plan event, its plans split into slot plans and pool plans, paired with the recorded ones. */
function planStep(core: CoreState, pi: PlanningInputsMsg, recorded: { slot: Recorded; pool: Recorded }, out: CoreReplay): void {
  const before = { twin: core.twin, tasks: [...core.pending.values()], prevTargets: core.prevTargets };
  const twins = [...core.twinSeq].sort((a, b) => a[0] - b[0]).map(([uav, seq]) => ({ uav, seq }));
  const o = step(core, { kind: 'plan', slot: pi.slot, nowUs: pi.plan_t_us });
  const pool = new Map<number, PlanBody>();
  const slot = new Map<number, PlanBody>();
  for (const p of o.plans) (p.plan.planner === POOL_PLANNER ? pool : slot).set(p.uavId, p.plan);
  if (o.roundTasks) out.stated.pools.set(pi.slot, { slot: pi.slot, twins, tasks: o.roundTasks, pool: true });
  if (slot.size) out.stated.slots.set(pi.slot, { slot: pi.slot, twins, tasks: before.tasks.map((t) => t.taskId) });
  const recordedPool = recorded.pool.get(pi.slot);
  const recordedSlot = recorded.slot.get(pi.slot);
  if (pool.size || recordedPool) out.steps.push({ slot: pi.slot, kind: 'pool', recorded: recordedPool ?? new Map(), replayed: pool });
  if (slot.size || recordedSlot) {
    out.steps.push({ slot: pi.slot, kind: 'slot', recorded: recordedSlot ?? new Map(), replayed: slot });
    out.slotInputs.push({
      slot: pi.slot, startUs: pi.slot_start_t_us, planUs: pi.plan_t_us, twin: before.twin, tasks: before.tasks,
      recorded: recordedSlot ?? new Map(), fromEvent: true, prevTargets: before.prevTargets,
    });
  }
}
