/** The S0 part of a mission's printed summary: one row per slot, then the totals (S0 metrics, SPEC §5.6). */
import type { S0RunSummary } from './s0.ts';

const f = (v: number, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : '—');

export function formatS0Summary(s: S0RunSummary): string {
  const head = ['slot', 'MEDs', 'served', 'coalitions (MED←UAVs)', 'shares', 'late', 'μ plan', 'μ flown', 'E plan J', 'E flown J', 'u mean', 'iter', 'iter cold', 'F_f'];
  const rows = s.slots.map((m) => [
    String(m.slot), String(m.requests), String(m.servedMeds), m.coalitions.map((c) => `${c.userId}←${c.uavIds.join(',')}`).join(' ') || '—',
    `${m.sharesComputed}/${m.sharesPlanned}`, String(m.medsLate), f(m.predicted.utilisation), f(m.flown.utilisation), f(m.predicted.energyJ, 1), f(m.flown.energyJ, 1),
    f(m.predicted.meanParticipantUtility), String(m.formation.iterations), String(m.formation.iterationsCold), m.sharesComputed ? f(m.fidelity, 3) : '—',
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((v, c) => (c === 3 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join('  ');
  const t = s.totals;
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line), ''];
  out.push(
    `S0 (${s.planner}${s.warmStart ? `, warm start ${s.warmStart}` : ''}): ${s.setting.uavs} UAVs at ${s.setting.altM} m over ${s.setting.areaM} m × ${s.setting.areaM} m, ${s.setting.meds} MEDs, ${s.setting.slots} slots of ${s.setting.slotS} s.`,
    `Requests ${t.requests}, served ${t.servedMeds}; shares computed ${t.sharesComputed}/${t.sharesPlanned} (${t.sharesDuplicate} duplicates, ${t.sharesFailed} failed, ${t.sharesLate} late); MED tasks complete ${t.medsCompleted}, late ${t.medsLate}; served fraction ${f(t.servedFraction * 100, 1)} % of the bits.`,
    `Utilisation of engaged UAVs (S0 Fig. 9): ${f(t.predictedUtilisation, 3)} planned, ${f(t.flownUtilisation, 3)} flown. Energy (S0 Eq. 7/19): ${f(t.predictedEnergyJ, 1)} J planned, ${f(t.flownEnergyJ, 1)} J flown. Mean participant utility ${f(t.meanParticipantUtility, 3)}.`,
    `Formation: ${t.iterations} iterations${t.iterations !== t.iterationsCold ? ` (from singletons: ${t.iterationsCold}, ${f(t.iterationReduction * 100, 1)} % fewer; worth ${f(t.worth, 2)} vs ${f(t.worthCold, 2)})` : ''}; U2U messages ${t.u2uMessages} with the twin, ${t.u2uMessagesWithoutDt} without (S0 Fig. 6).`,
    `Twin compute fidelity F_f: ${f(t.firstFidelity, 3)} in the first slot with shares, ${f(t.lastFidelity, 3)} in the last, ${f(t.meanFidelity, 3)} over all; learnt ρ per UAV ${s.fleet.map((u) => `${u.uavId}:${f(u.learntRatio, 3)} (1/η ${f(1 / u.computeEfficiency, 3)})`).join(' ')}.`,
  );
  return out.join('\n');
}
