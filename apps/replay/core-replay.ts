/**
 * Replay through the controller's own planning core (apps/controller/core): a fresh core is driven
 * with exactly what the live one consumed — each recorded PlanningInputs names, in order, the
 * messages consumed since the previous planning step (looked up in the recording by topic, sender
 * and seq) and the slot's start and planning instants — and the plans it makes are the replayed
 * plans. Nothing is inferred from the recorder's receive times, so every recorded mission
 * (policy, planner, dag) replays byte for byte, and a difference is a real change of the planner.
 *
 * Also returns what each slot was planned from (twin, tasks, previous hover targets), for the
 * what-if planners (replan.ts).
 */
import { createCore, step, type CoreConfig, type CoreState, type MessageEvent } from '../controller/core/index.ts';
import type { PlanBody } from '../controller/slot/index.ts';
import { fail, ok, type Result } from '../../core/result.ts';
import { poolPlans, slotPlans, type PlanningInputs, type SlotInputs } from './inputs.ts';
import { POOL_PLANNER } from './pool-inputs.ts';
import { refKey, type RecordedPlan, type RunRecording } from './recording.ts';

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
}

export function replayThroughCore(rec: RunRecording, cfg: CoreConfig): Result<CoreReplay, 'missing_input'> {
  // The plans' validity is the controller's setting, recorded with every step (0: an older recording, the default).
  const validity = rec.planningInputs[0]?.msg.plan_validity_slots;
  const core = createCore(validity ? { ...cfg, planValiditySlots: validity } : cfg);
  const recSlot = slotPlans(rec);
  const recPool = poolPlans(rec);
  const out: CoreReplay = { steps: [], slotInputs: [], core, stated: { slots: new Map(), pools: new Map() } };
  for (const { msg: pi } of rec.planningInputs) {
    const events: MessageEvent[] = [];
    for (const c of pi.consumed) {
      const m = rec.byRef.get(refKey(c.topic, c.sender, c.seq));
      if (!m) return fail('missing_input', `slot ${pi.slot}: the controller consumed ${c.topic} seq ${c.seq} from ${c.sender || '?'}, which the recording does not hold`);
      events.push({ ...m, recvUs: c.recv_t_us } as MessageEvent);
    }
    events.forEach((ev, i) => {
      if (i === pi.consumed_before_start) step(core, { kind: 'slotStart', slot: pi.slot, nowUs: pi.slot_start_t_us });
      step(core, ev);
    });
    if (pi.slot >= cfg.slots) {
      // The close after the last slot: what came in during the drain.
      for (const ev of events) step(core, ev);
      step(core, { kind: 'close', nowUs: pi.plan_t_us });
      continue;
    }
    if (pi.consumed_before_start >= events.length) step(core, { kind: 'slotStart', slot: pi.slot, nowUs: pi.slot_start_t_us });
    const before = { twin: core.twin, tasks: [...core.pending.values()], prevTargets: core.prevTargets };
    const twins = [...core.twinSeq].sort((a, b) => a[0] - b[0]).map(([uav, seq]) => ({ uav, seq }));
    const o = step(core, { kind: 'plan', slot: pi.slot, nowUs: pi.plan_t_us });
    const pool = new Map<number, PlanBody>();
    const slot = new Map<number, PlanBody>();
    for (const p of o.plans) (p.plan.planner === POOL_PLANNER ? pool : slot).set(p.uavId, p.plan);
    if (o.roundTasks) out.stated.pools.set(pi.slot, { slot: pi.slot, twins, tasks: o.roundTasks, pool: true });
    if (slot.size) out.stated.slots.set(pi.slot, { slot: pi.slot, twins, tasks: before.tasks.map((t) => t.taskId) });
    const recordedPool = recPool.get(pi.slot);
    const recordedSlot = recSlot.get(pi.slot);
    if (pool.size || recordedPool) out.steps.push({ slot: pi.slot, kind: 'pool', recorded: recordedPool ?? new Map(), replayed: pool });
    if (slot.size || recordedSlot) {
      out.steps.push({ slot: pi.slot, kind: 'slot', recorded: recordedSlot ?? new Map(), replayed: slot });
      out.slotInputs.push({
        slot: pi.slot, startUs: pi.slot_start_t_us, planUs: pi.plan_t_us, twin: before.twin, tasks: before.tasks,
        recorded: recordedSlot ?? new Map(), fromEvent: true, prevTargets: before.prevTargets,
      });
    }
  }
  return ok(out);
}
