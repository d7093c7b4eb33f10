/**
 * A slot in the core: it begins (the ledger opens its row; task requests count from now), and at
 * the end of the collection window it is planned — the pool's step in dag mode, else hover
 * targets, offloading and allocation for the tasks that arrived in time (trajectory.ts,
 * slot/plan-slot.ts: SPEC §5.1) — after the step's PlanningInputs.
 */
import { ControlKind } from '../../../proto/index.ts';
import { planFleetSlot, PLANNER_TRAJECTORY, type Vec3 } from '../trajectory.ts';
import { onTask } from './consume.ts';
import type { CoreOutput } from './inputs.ts';
import { poolSlot } from './pool-step.ts';
import { slotUs, type CoreState } from './state.ts';

export function slotStart(st: CoreState, k: number, nowUs: number): void {
  enterSlot(st, k, nowUs + slotUs(st), () => {
    st.slotStartUs = nowUs;
    st.ledger.beginSlot(k, nowUs);
  });
  st.consumedBeforeStart = st.consumed.length;
}

/**
 * A standby mirrors the leader's slot (its tasks are collected here too, for a takeover mid-slot).
 * `leaderStartUs`: the leader's start of slot k (LeaderRecord), which dates the slot's end for
 * filing task requests; 0 = unknown (a recording made before it): requests are filed in the slot
 * the core is in, as the cores of then did, so such recordings still replay.
 */
export function follow(st: CoreState, k: number, planned: boolean, nowUs: number, leaderStartUs = 0): void {
  st.controls.push({ after_consumed: st.consumed.length, kind: ControlKind.CONTROL_KIND_FOLLOW, slot: k, slot_planned: planned, uav_id: 0, t_us: nowUs, slot_start_t_us: leaderStartUs });
  if (k !== st.slot) {
    enterSlot(st, k, leaderStartUs > 0 ? leaderStartUs + slotUs(st) : Infinity, () => {
      st.slotStartUs = nowUs;
      st.pending.clear();
      if (!st.ledger.slots[k]) st.ledger.beginSlot(k, nowUs);
    });
  } else if (leaderStartUs > 0) {
    st.nextSlotUs = leaderStartUs + slotUs(st);
  }
  if (planned) st.pending.clear();
  st.planned = planned;
}

/**
 * The core moves to slot k, which ends at `endUs`: `open` opens its books, then the task requests
 * that came early for it are filed (consume.ts; one released later still waits). Requests held
 * for a slot the core skipped (it followed a later one) are booked as before filing by release
 * time: missed in the slot they came in, left to their devices.
 */
function enterSlot(st: CoreState, k: number, endUs: number, open: () => void): void {
  const held = [...st.early.values()];
  st.early.clear();
  const next = k === st.slot + 1;
  if (!next) {
    for (const m of held) {
      st.ledger.taskReleased(m.task_id, st.slot);
      st.ledger.missed(st.slot);
    }
  }
  st.slot = k;
  st.planned = false;
  st.nextSlotUs = endUs;
  open();
  if (next) for (const m of held) onTask(st, m);
}

/** A sharded controller drops a UAV it no longer plans (its twin entry and last hover target). */
export function release(st: CoreState, uavId: number, nowUs: number): void {
  st.controls.push({ after_consumed: st.consumed.length, kind: ControlKind.CONTROL_KIND_RELEASE, slot: 0, slot_planned: false, uav_id: uavId, t_us: nowUs, slot_start_t_us: 0 });
  if (!st.fleet.release(uavId)) return;
  st.prevTargets.delete(uavId);
}

export function planSlotNow(st: CoreState, k: number, nowUs: number, out: CoreOutput, s0Warm?: ReadonlyMap<number, number[][]>): void {
  st.planned = true;
  out.inputs = { slot: k, slot_start_t_us: st.slotStartUs, plan_t_us: nowUs, consumed: st.consumed, consumed_before_start: st.consumedBeforeStart, plan_validity_slots: st.cfg.planValiditySlots ?? 2, controls: st.controls };
  st.consumed = [];
  st.controls = [];
  st.consumedBeforeStart = 0;
  if (st.pool && poolSlot(st, k, nowUs, out)) return;
  if (st.s0) return s0Slot(st, k, nowUs, out, s0Warm);
  const cfg = st.cfg;
  const tasks = [...st.pending.values()];
  st.pending = new Map();
  st.positionsBySlot[k] = new Map([...st.twin.values()].filter((u) => u.pos).map((u) => [u.id, [u.pos![0], u.pos![1], u.pos![2]] as Vec3]));
  const o = planFleetSlot(cfg.trajectory ?? PLANNER_TRAJECTORY, {
    slot: k, nowUs, slotS: cfg.slotS, twin: st.twin, tasks, channel: cfg.channel, algo: cfg.algo, cruiseAltM: cfg.cruiseAltM, speedMS: cfg.speedMS,
    uavTxPowerW: cfg.uavTxPowerW, prevTargets: st.prevTargets, validSlots: cfg.planValiditySlots ?? 2, seed: cfg.seed, planner: cfg.algo,
  });
  st.prevTargets = o.targets;
  st.targetsBySlot[k] = o.targets;
  const m = st.ledger.slots[k]!;
  m.servingUavs = o.serving.length;
  m.predictedDor = o.predictedDor;
  o.offload?.decisions.forEach((d, i) => {
    if (d.mode !== 'edge') return;
    m.offloaded++;
    const t = tasks[i]!;
    st.predicted.set(t.taskId, { uavId: Number(d.execUav), predictedS: o.offload!.perUser[i]!.tS, computeS: o.offload!.perUser[i]!.computeS });
  });
  for (const [uavId, plan] of o.plans) {
    st.ledger.planSent(uavId, plan.plan_seq as number, k);
    out.plans.push({ uavId, plan, what: `plan for UAV ${uavId}` });
  }
  for (const u of st.twin.values()) m.energyJ[u.id] = (u.flightEnergyJ ?? 0) + u.computeEnergyJ;
  out.slotPlanned = k;
}

/** S0 slot (SPEC §5.2): coalitions for the MEDs' requests from the twin (and the warm start's proposal). */
function s0Slot(st: CoreState, k: number, nowUs: number, out: CoreOutput, warm?: ReadonlyMap<number, number[][]>): void {
  const s0 = st.s0!;
  const step = s0.step(k, nowUs, st.twin, new Map([...st.twinSeq].sort((a, b) => a[0] - b[0])), warm);
  out.coalitionInputs = step.inputs;
  const m = st.ledger.slots[k]!;
  const sm = s0.ledger.slots[k]!;
  m.servingUavs = sm.uavs - sm.energySaving;
  m.offloaded = sm.servedMeds;
  for (const [uavId, plan] of step.plans) {
    st.ledger.planSent(uavId, plan.plan_seq as number, k);
    out.plans.push({ uavId, plan, what: `coalition plan for UAV ${uavId}` });
  }
  for (const u of st.twin.values()) m.energyJ[u.id] = (u.flightEnergyJ ?? 0) + u.computeEnergyJ;
  out.slotPlanned = k;
}
