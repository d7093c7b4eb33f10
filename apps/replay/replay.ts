/**
 * `replayRun`: a recorded run through the pure re-planner — the byte-identity check with the
 * recorded planner, and, with another planner, the what-if metrics of both side by side.
 */
import { checkPlans, type CheckResult } from './check.ts';
import { evaluateSlot, totalsOf, type SlotMetricsPredicted } from './evaluate.ts';
import { slotInputs } from './inputs.ts';
import type { RunFolder } from './recording.ts';
import { configFromSummary, replan, type ReplayPlanner } from './replan.ts';

export interface ReplayReport {
  recordedPlanner: string;
  slots: number;
  check: CheckResult;
  /** Present when a what-if planner was given. */
  whatIf?: { planner: ReplayPlanner; recorded: SlotMetricsPredicted[]; alternative: SlotMetricsPredicted[] };
}

export function replayRun(run: RunFolder, planner?: ReplayPlanner): ReplayReport {
  const cfg = configFromSummary(run.summary);
  const inputs = slotInputs(run.recording, cfg.slotS);
  const same = replan(inputs, cfg, cfg.algo);
  const rep: ReplayReport = { recordedPlanner: cfg.algo, slots: inputs.length, check: checkPlans(inputs, same) };
  if (planner) {
    const alt = replan(inputs, cfg, planner);
    rep.whatIf = {
      planner,
      recorded: inputs.map((inp, i) => evaluateSlot(inp, same[i]!, cfg)),
      alternative: inputs.map((inp, i) => evaluateSlot(inp, alt[i]!, cfg)),
    };
  }
  return rep;
}

const n2 = (v: number) => v.toFixed(2);

export function formatReplay(r: ReplayReport): string {
  const c = r.check;
  const out = [`Replayed ${r.slots} slots with the recorded planner (${r.recordedPlanner}): ${c.identical}/${c.compared} plans byte-identical.`];
  if (c.first) {
    const d = c.first;
    out.push(`First divergence: slot ${d.slot}, UAV ${d.uavId}, byte ${d.byteOffset}, field ${d.field}: recorded ${JSON.stringify(d.recorded)}, replayed ${JSON.stringify(d.replayed)}.`);
    out.push(`Divergent plans: ${c.divergent.length} in slots ${[...new Set(c.divergent.map((x) => x.slot))].join(', ')}.`);
  }
  if (r.whatIf) {
    const a = totalsOf(r.whatIf.recorded);
    const b = totalsOf(r.whatIf.alternative);
    const rows: [string, (t: typeof a) => string][] = [
      ['tasks', (t) => String(t.tasks)], ['offloaded', (t) => String(t.offloaded)], ['DOR', (t) => n2(t.dor)], ['energy (J)', (t) => n2(t.energyJ)],
      ['utility', (t) => n2(t.utility)], ['completions on time', (t) => String(t.onTime)], ['late', (t) => String(t.late)],
    ];
    const h = [r.recordedPlanner, r.whatIf.planner];
    out.push('', `What-if (predicted by each planner's model, same recorded inputs per slot):`);
    out.push(`${'metric'.padEnd(20)}  ${h[0]!.padStart(12)}  ${h[1]!.padStart(12)}`);
    for (const [k, g] of rows) out.push(`${k.padEnd(20)}  ${g(a).padStart(12)}  ${g(b).padStart(12)}`);
    out.push('', 'slot  ' + `DOR ${h[0]}`.padStart(16) + `DOR ${h[1]}`.padStart(16) + '  late ' + h[0] + '/' + h[1]);
    r.whatIf.recorded.forEach((m, i) => {
      const x = r.whatIf!.alternative[i]!;
      out.push(`${String(m.slot).padStart(4)}  ${n2(m.dor).padStart(16)}${n2(x.dor).padStart(16)}  ${m.late}/${x.late}`);
    });
  }
  return out.join('\n');
}
