/**
 * Dag mode (SPEC §5.3): the pool's step at a slot's planning instant, and what a pool step's
 * outcome does to the ledger and the hover targets.
 */
import type { PoolStep } from '../pool.ts';
import type { CoreOutput } from './inputs.ts';
import type { CoreState } from './state.ts';

/** Completed DAG tasks into the ledger; a closed round's metrics out, its pool positions as the next slot's previous targets. */
export function afterPool(st: CoreState, step: PoolStep, out: CoreOutput): void {
  for (const d of step.completions) st.ledger.dagCompletion(d.taskId, d.failed);
  if (step.closed) {
    st.ledger.pools.push(step.closed);
    // The UAVs stay where they computed until the next plan moves them.
    st.prevTargets = st.pool!.lastTargets ?? st.prevTargets;
    out.roundsClosed.push(step.closed);
  }
}

/** Runs the pool's step; true when a round runs (or started) and the slot needs no other plan. */
export function poolSlot(st: CoreState, k: number, nowUs: number, out: CoreOutput): boolean {
  const step = st.pool!.step(k, nowUs, st.twin);
  if (step.error) out.warnings.push({ text: 'pool round not started', data: { slot: k, why: step.error } });
  afterPool(st, step, out);
  if (step.taskIds) out.roundTasks = step.taskIds;
  const m = st.ledger.slots[k]!;
  for (const [uavId, plan] of step.plans ?? []) {
    st.ledger.planSent(uavId, plan.plan_seq as number, k);
    out.plans.push({ uavId, plan, what: `pool plan for UAV ${uavId}` });
  }
  if (!st.pool!.active) return false;
  m.servingUavs = step.plans?.size ?? m.servingUavs;
  for (const u of st.twin.values()) m.energyJ[u.id] = (u.flightEnergyJ ?? 0) + u.computeEnergyJ;
  out.slotPlanned = k;
  return true;
}
