/**
 * Messages into the core: twin states update the digital twin (SPEC §2), task requests wait for
 * the slot's plan (or the next pool round), acks and completions feed the metrics and the twin's
 * fidelity. Each consumed message is noted (topic, sender, seq, receive time) for the next
 * planning step's PlanningInputs.
 */
import type { TaskCompletion, TaskRequest } from '../../../proto/index.ts';
import type { SlotTask } from '../slot/index.ts';
import type { CoreOutput, MessageEvent } from './inputs.ts';
import { afterPool } from './pool-step.ts';
import { slotUs, type CoreState } from './state.ts';

export function consume(st: CoreState, ev: MessageEvent, out: CoreOutput): void {
  const h = ev.msg.header!;
  st.consumed.push({ topic: ev.topic, sender: h.sender, seq: h.seq, recv_t_us: ev.recvUs });
  switch (ev.kind) {
    case 'twin': {
      const uav = Number(ev.topic.split('/')[3]);
      if (uav !== ev.msg.uav_id) return void out.warnings.push({ text: 'twin state for another UAV on this topic: ignored', data: { topic: ev.topic, uav: ev.msg.uav_id } });
      st.fleet.apply(ev.msg, ev.recvUs);
      st.twinSeq.set(ev.msg.uav_id, h.seq);
      return;
    }
    case 'task':
      return onTask(st, ev.msg);
    case 'ack':
      st.ledger.planAnswered(ev.msg.uav_id, ev.msg.plan_seq, ev.msg.accepted);
      if (!ev.msg.accepted) out.warnings.push({ text: 'plan refused', data: { uav: ev.msg.uav_id, seq: ev.msg.plan_seq, reason: ev.msg.reason, detail: ev.msg.detail } });
      return;
    case 'completion':
      return onCompletion(st, ev.msg, ev.recvUs, out);
  }
}

/** A task request's release time, µs on the users' clock (its header's send time if unset). */
const releaseUs = (m: TaskRequest): number => m.release_t_us || m.header!.t_us;

/**
 * A task request is filed by its own release time, not by the slot the core is in when it
 * arrives: one released when the current slot has ended (`nextSlotUs`) belongs to the next slot
 * and waits for it (a standby whose leader record for that slot comes after the slot's first
 * requests). Release times are the message's (the users' clock, recorded), so a replay files
 * them the same way. The next slot counts from a hundredth of a slot before its start, as a
 * follower shard's does (service/slot-clock.ts): the users release on the leader's FleetState,
 * and the leader's slot timer fires up to a few ms early (1.6 ms measured under load).
 */
export function onTask(st: CoreState, m: TaskRequest): void {
  if (st.slot < 0) return;
  if (releaseUs(m) >= st.nextSlotUs - slotMarginUs(st)) return void st.early.set(m.task_id, m);
  fileTask(st, m);
}

/** A hundredth of a slot, µs: how early a slot's timer may fire and its requests still count in it. */
const slotMarginUs = (st: CoreState): number => Math.round(st.cfg.slotS * 1e4);

/**
 * Whether a request was released before the current slot began (a broker stall held it back past
 * its own slot): its slot's plan is made or was never made here, so its device computes it
 * (sim/world's rule) and planning it now would give a UAV work the device is already doing.
 * Unknown slot end (a recording made before the leader's slot start was recorded): never stale.
 */
function staleRelease(st: CoreState, m: TaskRequest): boolean {
  const startUs = st.nextSlotUs - slotUs(st);
  return Number.isFinite(startUs) && releaseUs(m) < startUs - slotMarginUs(st);
}

/** A task request of the current slot: to the pool (DAG), to S0, to the slot's plan, or missed if that plan is made or its own slot is past. */
export function fileTask(st: CoreState, m: TaskRequest): void {
  st.ledger.taskReleased(m.task_id, st.slot);
  // A DAG task waits for the next pool round, however late in the slot it came.
  if (st.pool?.add(m)) return;
  if (st.s0 && !st.planned) return st.s0.add(m);
  if (st.planned || staleRelease(st, m)) {
    // Too late for its slot's plan: the device computes it (sim/world's rule), so it is not planned in this slot or the next.
    st.ledger.missed(st.slot);
    return;
  }
  st.pending.set(m.task_id, slotTask(m, st.cfg.slotS));
}

/** A task request as the slot planner takes it. */
export function slotTask(m: TaskRequest, slotS: number): SlotTask {
  return {
    taskId: m.task_id,
    userId: m.user_id,
    pos: [m.user_position!.x_east_m, m.user_position!.y_north_m, m.user_position!.alt_m],
    dataBits: m.data_bits,
    cyclesPerBit: m.cycles_per_bit,
    localCpuHz: m.local_cpu_hz,
    txPowerW: m.tx_power_w,
    deadlineS: m.deadline_s > 0 ? m.deadline_s : slotS,
    releaseUs: releaseUs(m),
  };
}

function onCompletion(st: CoreState, c: TaskCompletion, recvUs: number, out: CoreOutput): void {
  // S0: a coalition share's completion scores the twin's compute fidelity and the S0 ledger.
  if (st.s0 && c.part_bits > 0) return void st.s0.onShare(c);
  if (c.subtask_id !== '' && st.pool) {
    const sample = st.pool.fidelitySample(c);
    if (sample) st.fleet.recordCompletion(c.uav_id, sample);
    const step = { completions: [] };
    // The pool reads the twin only to copy each UAV's energy when a round closes: no snapshot needed.
    if (st.pool.onSubtask(c, recvUs, st.fleet.peek(), step)) afterPool(st, step, out);
    return;
  }
  if (!st.ledger.completion(c)) return;
  const p = st.predicted.get(c.task_id);
  if (p && c.site === 2 && !c.failed) {
    st.predicted.delete(c.task_id);
    st.fleet.recordCompletion(c.uav_id, {
      predictedS: p.predictedS,
      actualS: (c.done_t_us - c.release_t_us) / 1e6,
      predictedComputeS: p.computeS,
      actualComputeS: c.compute_s,
    });
  }
}
