/**
 * The S0 part of a run report (issue 15 §4): per slot, utilisation planned and flown (S0 Fig. 9),
 * energy planned and flown (Eq. 7 / 19), the twin's compute fidelity, formation iterations with
 * and without the warm start, and a table of the coalitions with their timing.
 */
import type { MissionSummary } from '../mission/summary.ts';

type Chart = (title: string, xLabel: string, yLabel: string, series: { name: string; points: [number, number][] }[], w: number) => string;
type Table = (head: string[], rows: (string | number)[][], cls?: string) => string;

const n = (v: number, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : '—');

export function s0Section(r: NonNullable<MissionSummary['s0']>, w: number, h: { chart: Chart; table: Table }): string {
  const t = r.totals;
  const sl = r.slots;
  const parts = [
    `<h3>S0: coalitions (${r.planner}${r.warmStart ? ', warm start' : ''})</h3>`,
    `<p class="meta">${r.setting.uavs} UAVs at ${r.setting.altM} m, ${r.setting.meds} MEDs, ${r.setting.slots} slots of ${r.setting.slotS} s. Shares computed ${t.sharesComputed}/${t.sharesPlanned} (${t.sharesDuplicate} duplicates); MED tasks complete ${t.medsCompleted} of ${t.servedMeds} served (${t.medsLate} late); ` +
      `utilisation ${n(t.predictedUtilisation, 3)} planned / ${n(t.flownUtilisation, 3)} flown; energy ${n(t.predictedEnergyJ, 1)} J planned / ${n(t.flownEnergyJ, 1)} J flown; twin fidelity F_f ${n(t.firstFidelity, 3)} → ${n(t.lastFidelity, 3)}; ` +
      `formation ${t.iterations} iterations (from singletons ${t.iterationsCold}); U2U messages ${t.u2uMessages} with the twin, ${t.u2uMessagesWithoutDt} without.</p>`,
    h.chart('Utilisation of engaged UAVs (S0 Fig. 9)', 'slot', 'μ', [
      { name: 'planned', points: sl.map((m) => [m.slot, m.predicted.utilisation]) },
      { name: 'flown', points: sl.filter((m) => m.sharesComputed > 0).map((m) => [m.slot, m.flown.utilisation]) },
    ], w),
    h.chart('Coalition energy (S0 Eq. 7 planned, Eq. 19 flown)', 'slot', 'energy (J)', [
      { name: 'planned', points: sl.map((m) => [m.slot, m.predicted.energyJ]) },
      { name: 'flown', points: sl.map((m) => [m.slot, m.flown.energyJ]) },
    ], w),
    h.chart('Twin compute fidelity F_f (S0 §VI-C)', 'slot', 'F_f', [{ name: 'mean over shares', points: sl.filter((m) => m.sharesComputed > 0).map((m) => [m.slot, m.fidelity]) }], w),
    h.chart('Formation iterations (S0 Fig. 8)', 'slot', 'iterations', [
      { name: r.warmStart ? 'warm start (flown)' : 'from singletons', points: sl.map((m) => [m.slot, m.formation.iterations]) },
      ...(r.warmStart ? [{ name: 'from singletons', points: sl.map((m) => [m.slot, m.formation.iterationsCold] as [number, number]) }] : []),
    ], w),
    h.table(['slot', 'MED', 'UAVs', 'bits (Mbit)', 'T_g planned (ms)', 'T_g flown (ms)', 'deadline (ms)', 'late'],
      sl.flatMap((m) => m.coalitions.map((c) => [m.slot, c.userId, c.uavIds.join(', '), n(c.shareBits.reduce((a, b) => a + b, 0) / 1e6, 2), n(c.predictedDelayS * 1000, 1), c.delayS === undefined ? '—' : n(c.delayS * 1000, 1), n(c.deadlineS * 1000, 1), c.late ? 'late' : c.delayS === undefined ? '—' : 'on time']))),
  ];
  return parts.join('\n');
}
