/**
 * Side-by-side metrics of a slot plan, the same for every planner so the what-if comparison is
 * like for like. All are the planner's predictions (a replay does not fly the plan):
 * - DOR (SPEC §5.1): Σ_i (1 − T_i / T_i^loc) over the slot's tasks, local tasks contributing 0.
 * - late / on time: T_i against the task's deadline.
 * - energy: UAV computing energy κ f² · cycles (SPEC §4) plus the users' transmission energy
 *   p_i · (time on air) of the offloaded bits.
 * - utility: S0's coalition utility (SPEC §5.2, Eq. 8) summed over tasks,
 *   φ ln(1 + s/unit) − ε E_tr, with `defaultCoalitionParams`' φ, ε and unit. [choice] For
 *   plans that only carry per-assignment predictions (recorded plans) the time on air is
 *   predicted_s − cycles/cpu_hz, i.e. uplink plus any UAV relay (a slight overestimate of E_tr
 *   for relayed tasks, whose relay leg the UAV, not the user, transmits).
 */
import { defaultCoalitionParams } from '../../engines/planning/coalition/index.ts';
import type { Plan } from '../../proto/index.ts';
import type { SlotInputs } from './inputs.ts';
import type { ReplannedSlot, ReplayConfig } from './replan.ts';

export interface SlotMetricsPredicted {
  slot: number;
  tasks: number;
  offloaded: number;
  dor: number;
  onTime: number;
  late: number;
  energyJ: number;
  utility: number;
}

type Assignment = Plan['assignments'][number];
const P = defaultCoalitionParams();

/** S0 Eq. 8 for one (part of a) task from its plan assignment. */
export function assignmentUtility(a: Pick<Assignment, 'data_bits' | 'cycles' | 'cpu_hz' | 'predicted_s' | 'tx_power_w'>): number {
  const airS = Math.max(0, a.predicted_s - a.cycles / a.cpu_hz);
  return P.phi * Math.log(1 + a.data_bits / P.revenueUnitBits) - P.epsilon * a.tx_power_w * airS;
}

export function evaluateSlot(inp: SlotInputs, r: ReplannedSlot, cfg: ReplayConfig): SlotMetricsPredicted {
  const m: SlotMetricsPredicted = { slot: inp.slot, tasks: inp.tasks.length, offloaded: 0, dor: 0, onTime: 0, late: 0, energyJ: 0, utility: 0 };
  if (r.coalition) {
    const byId = new Map(r.coalition.assignments.map((a) => [a.medId, a]));
    for (const t of inp.tasks) {
      const tLoc = (t.dataBits * t.cyclesPerBit) / t.localCpuHz;
      const a = byId.get(String(t.taskId));
      const served = a && a.uavIds.length > 0 ? a.servedFraction : 0;
      // The unserved remainder runs on the device in parallel with the coalition.
      const tS = served > 0 ? Math.max(a!.delayS, (1 - served) * tLoc) : tLoc;
      m.dor += 1 - tS / tLoc;
      if (tS <= t.deadlineS) m.onTime++;
      else m.late++;
      if (!a || served === 0) continue;
      m.offloaded++;
      m.utility += a.coalitionUtility;
      a.uavIds.forEach((_, j) => {
        const cycles = a.shareBits[j]! * t.cyclesPerBit;
        m.energyJ += cfg.kappa * a.cpuHz[j]! ** 2 * cycles;
      });
      // E_tr from the coalition's own transmissions: U_g = φ ln(1+Σs) − ε E_tr.
      m.energyJ += (P.phi * Math.log(1 + (served * t.dataBits) / P.revenueUnitBits) - a.coalitionUtility) / P.epsilon;
    }
    return m;
  }
  const o = r.out.offload;
  inp.tasks.forEach((t, i) => {
    const u = o?.perUser[i];
    const d = o?.decisions[i];
    const tLoc = (t.dataBits * t.cyclesPerBit) / t.localCpuHz;
    const tS = u ? u.tS : tLoc;
    m.dor += 1 - tS / tLoc;
    if (tS <= t.deadlineS) m.onTime++;
    else m.late++;
    if (!u || !d || d.mode !== 'edge') return;
    m.offloaded++;
    const eTr = t.txPowerW * u.uplinkS;
    m.energyJ += cfg.kappa * d.cpuHz ** 2 * t.dataBits * t.cyclesPerBit + eTr;
    m.utility += P.phi * Math.log(1 + t.dataBits / P.revenueUnitBits) - P.epsilon * eTr;
  });
  return m;
}

export function totalsOf(rows: readonly SlotMetricsPredicted[]): Omit<SlotMetricsPredicted, 'slot'> {
  const sum = (k: keyof SlotMetricsPredicted) => rows.reduce((a, r) => a + r[k], 0);
  return { tasks: sum('tasks'), offloaded: sum('offloaded'), dor: sum('dor'), onTime: sum('onTime'), late: sum('late'), energyJ: sum('energyJ'), utility: sum('utility') };
}
