/** Text form of the pool-round part of a replay report (`uavmec replay` on a dag run). */
import { poolTotals, type PoolRoundMeasured, type PoolRoundPredicted } from './pool-evaluate.ts';
import type { PoolReplayReport } from './replay.ts';

const f = (v: number, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : '—');

export function formatPools(p: PoolReplayReport, divergence: readonly string[]): string[] {
  const c = p.check;
  const out = [`Replayed ${p.rounds} pool rounds with the recorded planner (${p.recordedPlanner}: P1/P2 alternation, GA): ${c.identical}/${c.compared} plans byte-identical.`, ...divergence];
  const w = p.whatIf;
  if (!w) return out;
  const measured = w.measured.filter((m): m is PoolRoundMeasured => m !== undefined);
  const a = poolTotals(w.recorded);
  const b = poolTotals(w.alternative);
  const m = measured.length === w.measured.length && measured.length > 0 ? poolTotals(measured) : undefined;
  const sum = (rows: readonly PoolRoundPredicted[], k: 'waitingS' | 'collectWaitS') => rows.reduce((s, r) => s + r[k], 0);
  type Col = { t: ReturnType<typeof poolTotals>; rows?: readonly PoolRoundPredicted[] };
  const cols: Col[] = [{ t: a, rows: w.recorded }, { t: b, rows: w.alternative }, ...(m ? [{ t: m }] : [])];
  const rows: [string, (c: Col) => string][] = [
    ['max UAV energy (J)', (c) => f(c.t.maxEnergyJ)],
    ['total energy (J)', (c) => f(c.t.totalEnergyJ)],
    ['makespan (s)', (c) => f(c.t.makespanS, 2)],
    ['completion time (s)', (c) => f(c.t.completionS, 2)],
    ['mean task done (s)', (c) => f(c.t.meanTaskCompletionS, 2)],
    ['waiting (s)', (c) => (c.rows ? f(sum(c.rows, 'waitingS'), 2) : '—')],
    ['  collection wait (s)', (c) => (c.rows ? f(sum(c.rows, 'collectWaitS'), 2) : '—')],
    ['  compute idle (s)', (c) => f(c.t.computeWaitS, 2)],
    ['tasks completed', (c) => `${c.t.tasksCompleted}/${c.t.tasks}`],
  ];
  const h = [p.recordedPlanner, w.planner, ...(m ? ['flown'] : [])];
  out.push('', `What-if, pool rounds (each planner's prediction on the same recorded inputs${m ? `; flown = the recorded rounds as measured` : ''}; energies and times summed over rounds, mean task done averaged):`);
  out.push(`${'metric'.padEnd(22)}${h.map((x) => x.padStart(14)).join('')}`);
  for (const [k, g] of rows) out.push(`${k.padEnd(22)}${cols.map((c) => g(c).padStart(14)).join('')}`);
  out.push('', `slot  ${'max energy (J) ' + h.join(' / ')}`.padEnd(52) + `completion (s) ${h.join(' / ')}`);
  w.recorded.forEach((r, i) => {
    const x = w.alternative[i]!;
    const mm = w.measured[i];
    const e = [r.maxEnergyJ, x.maxEnergyJ, ...(m ? [mm?.maxEnergyJ ?? NaN] : [])].map((v) => f(v)).join(' / ');
    const t = [r.completionS, x.completionS, ...(m ? [mm?.completionS ?? NaN] : [])].map((v) => f(v, 2)).join(' / ');
    out.push(`${String(r.slot).padStart(4)}  ${e.padEnd(46)}${t}${x.error ? `  (${w.planner}: ${x.error})` : ''}`);
  });
  return out;
}
