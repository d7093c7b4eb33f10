/**
 * A slot in the core: it begins (the ledger opens its row; task requests count from now), and at
 * the end of the collection window it is planned — the pool's step in dag mode, else hover
 * targets, offloading and allocation for the tasks that arrived in time (trajectory.ts,
 * slot/plan-slot.ts: SPEC §5.1) — after the step's PlanningInputs.
 */
import { planFleetSlot, PLANNER_TRAJECTORY, type Vec3 } from '../trajectory.ts';
import type { CoreOutput } from './inputs.ts';
import { poolSlot } from './pool-step.ts';
import type { CoreState } from './state.ts';

export function slotStart(st: CoreState, k: number, nowUs: number): void {
  st.slot = k;
  st.planned = false;
  st.slotStartUs = nowUs;
  st.ledger.beginSlot(k, nowUs);
  st.consumedBeforeStart = st.consumed.length;
}

export function planSlotNow(st: CoreState, k: number, nowUs: number, out: CoreOutput): void {
  st.planned = true;
  out.inputs = { slot: k, slot_start_t_us: st.slotStartUs, plan_t_us: nowUs, consumed: st.consumed, consumed_before_start: st.consumedBeforeStart };
  st.consumed = [];
  st.consumedBeforeStart = 0;
  if (st.pool && poolSlot(st, k, nowUs, out)) return;
  const cfg = st.cfg;
  const tasks = [...st.pending.values()];
  st.pending = new Map();
  st.positionsBySlot[k] = new Map([...st.twin.values()].filter((u) => u.pos).map((u) => [u.id, [u.pos![0], u.pos![1], u.pos![2]] as Vec3]));
  const o = planFleetSlot(cfg.trajectory ?? PLANNER_TRAJECTORY, {
    slot: k, nowUs, slotS: cfg.slotS, twin: st.twin, tasks, channel: cfg.channel, algo: cfg.algo, cruiseAltM: cfg.cruiseAltM, speedMS: cfg.speedMS,
    uavTxPowerW: cfg.uavTxPowerW, prevTargets: st.prevTargets, validSlots: 2, seed: cfg.seed, planner: cfg.algo,
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
