/**
 * The controller's planning core: a pure function `step(state, event) → output` that the live
 * service (../service/), lockstep missions (through the service) and replay (apps/replay) all drive.
 *
 * - State (`createCore(cfg)`): the digital twin, the slot's pending task requests, the metrics
 *   ledger, the pool round tracker (dag mode), the previous hover targets, the offload predictions
 *   for the twin's fidelity. `step` updates it in place and returns what to publish — it reads no
 *   clock (time comes in the events), does no I/O and draws no randomness but its seeded RNGs, so
 *   the same events give the same plans, bit for bit.
 * - Events (inputs.ts): the contract messages the controller consumes (TwinState, TaskRequest,
 *   PlanAck, TaskCompletion — as received: topic and receive time) and its timers (launch, slot
 *   start, plan, finish, close).
 * - Output: the plans to publish (unsigned bodies; the shell adds header and signature) and, at
 *   every planning step, a `PlanningInputs` message listing every message consumed since the
 *   previous step, in order, with the slot's start and planning instants. The shell publishes it
 *   before the plans; replay looks each listed message up in the recording and drives a fresh core
 *   with exactly that sequence (apps/replay/core-replay.ts).
 *
 * Plugging in another system (S0, S2): add its events and outputs here, keep them pure, and give
 * the recorded inputs as proto messages, so replay re-makes its plans too.
 */
import { close, finish, launch } from './lifecycle.ts';
import { consume } from './consume.ts';
import { emptyOutput, type CoreEvent, type CoreOutput } from './inputs.ts';
import { follow, planSlotNow, release, slotStart } from './slot.ts';
import type { CoreState } from './state.ts';

export function step(st: CoreState, ev: CoreEvent): CoreOutput {
  const out = emptyOutput();
  switch (ev.kind) {
    case 'launch': launch(st, ev.nowUs, out); break;
    case 'slotStart': slotStart(st, ev.slot, ev.nowUs); break;
    case 'plan': planSlotNow(st, ev.slot, ev.nowUs, out, ev.s0Warm); break;
    case 'follow': follow(st, ev.slot, ev.planned, ev.nowUs, ev.slotStartUs); break;
    case 'release': release(st, ev.uavId, ev.nowUs); break;
    case 'finish': finish(st, ev.nowUs, out); break;
    case 'close': close(st, ev.nowUs, out); break;
    default: consume(st, ev, out);
  }
  return out;
}

export { createCore, type CoreConfig, type CoreState } from './state.ts';
export { slotTask } from './consume.ts';
export type { ClockEvent, CoreEvent, CoreOutput, MessageEvent, OutPlan } from './inputs.ts';
