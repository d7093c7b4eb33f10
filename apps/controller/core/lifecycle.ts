/**
 * The mission's ends in the core: the launch before slot 0 (each UAV to its launch position at
 * the cruise altitude, or with a policy to the start it was trained from), the RTL after the last
 * slot, and the close after the drain (final energies; a running pool round closed, its open
 * tasks failed) — with a last PlanningInputs (slot = the slot count) listing what came in after
 * the last slot's plan.
 */
import { FlightMode } from '../../../proto/index.ts';
import { launchTarget, PLANNER_TRAJECTORY } from '../trajectory.ts';
import type { CoreOutput } from './inputs.ts';
import { afterPool } from './pool-step.ts';
import type { CoreState } from './state.ts';

export function launch(st: CoreState, nowUs: number, out: CoreOutput): void {
  const cfg = st.cfg;
  const traj = cfg.trajectory ?? PLANNER_TRAJECTORY;
  for (const u of st.twin.values()) {
    if (!u.pos) continue;
    const [x, y, alt] = launchTarget(traj, u, cfg.cruiseAltM);
    const plan = {
      uav_id: u.id,
      plan_seq: Math.floor(nowUs / 1000),
      slot: 0,
      valid_from_t_us: nowUs,
      expires_t_us: nowUs + Math.round((cfg.launchTimeoutS ?? 60) * 1e6),
      flight: { mode: FlightMode.FLIGHT_MODE_GOTO, target: { x_east_m: x, y_north_m: y, alt_m: alt }, speed_m_s: cfg.speedMS },
      planner: 'launch',
    };
    st.ledger.planSent(u.id, plan.plan_seq, -1);
    out.plans.push({ uavId: u.id, plan, what: `launch plan for UAV ${u.id}` });
  }
}

export function finish(st: CoreState, nowUs: number, out: CoreOutput): void {
  const cfg = st.cfg;
  for (const u of st.twin.values()) {
    const plan = {
      uav_id: u.id,
      plan_seq: Math.floor(nowUs / 1000),
      slot: cfg.slots,
      valid_from_t_us: nowUs,
      expires_t_us: nowUs + Math.round(10 * cfg.slotS * 1e6),
      flight: { mode: FlightMode.FLIGHT_MODE_RTL },
      planner: 'mission-end',
    };
    out.plans.push({ uavId: u.id, plan, what: `final plan for UAV ${u.id}` });
  }
}

export function close(st: CoreState, nowUs: number, out: CoreOutput): void {
  // What came in since the last slot's plan (late completions, acks), so a replay ends where the mission did.
  out.inputs = { slot: st.cfg.slots, slot_start_t_us: nowUs, plan_t_us: nowUs, consumed: st.consumed, consumed_before_start: st.consumed.length, plan_validity_slots: st.cfg.planValiditySlots ?? 2, controls: st.controls };
  st.consumed = [];
  st.controls = [];
  const last = st.ledger.slots[st.cfg.slots - 1];
  if (last) for (const u of st.twin.values()) last.energyJ[u.id] = (u.flightEnergyJ ?? 0) + u.computeEnergyJ;
  if (st.pool?.active) afterPool(st, st.pool.closeNow(nowUs, st.twin), out);
}
