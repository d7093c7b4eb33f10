/**
 * The core's input. Messages of one instant wait in the inbox and go to the core in a canonical
 * order (order.ts: topic, sender, seq) when the instant is over: before the next message of
 * another instant, before any timer event and before the shell reads the core's state. Arrival
 * order within an instant follows the sockets (several publishers), so this is what makes the
 * core's input — and its PlanningInputs — the same on every run of a lockstep mission; any order
 * is a valid serialisation of messages that arrived at the same instant.
 */
import { step, type CoreEvent, type CoreOutput, type MessageEvent } from '../core/index.ts';
import { leading, type ControllerCtx } from './context.ts';
import { canonicalOrder } from './order.ts';
import { publish, publishPlan } from './publish.ts';

export function receive(c: ControllerCtx, ev: MessageEvent): void {
  if (c.inbox.length > 0 && c.inbox[0]!.recvUs !== ev.recvUs) sync(c);
  c.inbox.push(ev);
}

/** Applies the waiting messages. */
export function sync(c: ControllerCtx): void {
  if (c.inbox.length === 0) return;
  const batch = c.inbox.sort(canonicalOrder);
  c.inbox = [];
  for (const ev of batch) apply(c, ev);
}

/** One event through the core (waiting messages first); its output published. */
export function apply(c: ControllerCtx, ev: CoreEvent): CoreOutput {
  if (!('msg' in ev)) sync(c);
  const out = step(c.core, ev);
  for (const w of out.warnings) c.log.warn(w.data, w.text);
  if (out.inputs && leading(c)) publish(c, c.bus.publish('planningInputs', {}, { ...out.inputs, ...coreIdentity(c) }), 'planning inputs');
  if (out.coalitionInputs && leading(c)) publish(c, c.bus.publish('coalitionInputs', {}, out.coalitionInputs), 'coalition planning inputs');
  for (const p of out.plans) publishPlan(c, p.uavId, p.plan, p.what);
  for (const r of out.roundsClosed) c.hooks.onPoolRound?.(r);
  if (out.slotPlanned !== undefined) c.hooks.onSlot?.(c.core.ledger.slots[out.slotPlanned]!, out.slotPlanned);
  return out;
}

/**
 * Which core made a planning step, when several plan the mission (PlanningInputs.core_id and
 * leader_epoch): a replay drives one core per identity (apps/replay/cores.ts).
 */
function coreIdentity(c: ControllerCtx): { core_id?: string; leader_epoch?: number } {
  const l = c.cfg.leadership;
  if (c.cfg.shard) return { core_id: `shard-${c.cfg.shard.shard}` };
  return l ? { core_id: l.id, leader_epoch: l.epoch } : {};
}

/** The twin after the waiting messages are applied (an immutable snapshot). */
export function twin(c: ControllerCtx): ControllerCtx['core']['twin'] {
  sync(c);
  return c.core.twin;
}

/**
 * The twin's live entries after the waiting messages are applied, for a reader that copies what it
 * needs at once and keeps nothing: no snapshot, so the reports that follow stay in place (twin/store.ts).
 */
export function twinNow(c: ControllerCtx): ControllerCtx['core']['twin'] {
  sync(c);
  return c.core.fleet.peek();
}
