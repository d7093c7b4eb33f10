/**
 * Replay of an S0 run (issue 15 §4): the HAP publishes, before each slot's plans, what it planned
 * from (CoalitionSlotInputs: each serving UAV's twin-state seq and compute correction ρ, the MED
 * request ids in planner order, the warm start, the idle UAVs). The replay rebuilds the planner's
 * input from the recorded twin states and task requests exactly as the controller does
 * (`medRequest`, `uavState`), runs the pure `planS0Slot` again and compares every plan byte for
 * byte with what was published. With another planner (grand, nash, coalition) it re-plans the same
 * recorded inputs and sets the predictions side by side with the recorded planner's and with what
 * flew (the run's measured S0 metrics).
 */
import path from 'node:path';
import { decode, type CoalitionSlotInputs, type TaskRequest, type TwinState } from '../../proto/index.ts';
import { readRecording } from '../common/recorder.ts';
import type { CoalitionAlgo } from '../../engines/planning/coalition/index.ts';
import { medRequest, planS0Slot, uavState, type S0ControllerConfig, type S0SlotInput, type S0SlotOutput } from '../controller/s0/index.ts';
import { applyTwinState, emptyTwin } from '../controller/twin/index.ts';
import { s0PlannerConfig, s0SetupFromSummary } from '../mission/s0.ts';
import { checkRounds, type CheckResult } from './check.ts';
import type { RecordedPlan, RunFolder } from './recording.ts';

export const S0_PLANNERS = ['coalition', 'grand', 'nash'] as const;

export interface S0SlotPrediction {
  slot: number;
  servedMeds: number;
  utilisation: number;
  energyJ: number;
  worth: number;
  meanParticipantUtility: number;
  servedFraction: number;
  iterations: number;
}

export interface S0ReplayReport {
  recordedPlanner: CoalitionAlgo;
  slots: number;
  check: CheckResult;
  whatIf?: { planner: CoalitionAlgo; recorded: S0SlotPrediction[]; alternative: S0SlotPrediction[]; flown: { slot: number; utilisation: number; energyJ: number; late: number; medsCompleted: number }[] };
}

export interface S0RecordedSlot {
  inputs: CoalitionSlotInputs;
  input: S0SlotInput;
  recorded: Map<number, RecordedPlan>;
}

/** Every S0 slot of a run: its recorded planning inputs, the rebuilt planner input and the plans published. */
export function s0Slots(run: RunFolder, cfg: S0ControllerConfig): S0RecordedSlot[] {
  const { messages } = readRecording(path.join(run.dir, 'mqtt.rec'));
  const inputs: CoalitionSlotInputs[] = [];
  for (const m of messages) {
    if (m.topic !== 'uavmec/v1/controller/coalition-inputs') continue;
    const d = decode('CoalitionSlotInputs', m.payload);
    if (d.ok) inputs.push(d.value);
  }
  const twins = new Map<string, TwinState>();
  for (const t of run.recording.twins) twins.set(`${t.msg.uav_id}:${t.msg.header!.seq}`, t.msg);
  return inputs.map((inp) => {
    // The controller keeps the last copy of a task id received before it planned.
    const tasks = new Map<number, TaskRequest>();
    for (const t of run.recording.tasks) if (t.recvUs <= inp.plan_t_us) tasks.set(t.msg.task_id, t.msg);
    const uavs = inp.uavs.map((u) => {
      const st = twins.get(`${u.uav_id}:${u.twin_seq}`);
      if (!st) throw new Error(`slot ${inp.slot}: the twin state seq ${u.twin_seq} of UAV ${u.uav_id} is not in the recording`);
      return uavState(applyTwinState(emptyTwin(), st, 0).get(u.uav_id)!, cfg.fleet[u.uav_id], u.compute_ratio);
    });
    const meds = inp.task_ids.map((id) => {
      const t = tasks.get(id);
      if (!t) throw new Error(`slot ${inp.slot}: task request ${id} is not in the recording`);
      return medRequest(t, cfg.slotS);
    });
    const warm = new Map(inp.warm_starts.map((w) => [w.task_id, w.groups.map((g) => [...g.uav_ids])]));
    const input: S0SlotInput = {
      slot: inp.slot, nowUs: inp.plan_t_us, slotS: cfg.slotS, validSlots: cfg.validSlots ?? 2, planner: inp.planner as CoalitionAlgo, params: cfg.params, speedMS: cfg.speedMS,
      uavs, idle: inp.idle_uav_ids.map((id) => ({ id, hover: cfg.fleet[id]!.station })), meds, ...(warm.size ? { warmStarts: warm } : {}),
    };
    const recorded = new Map<number, RecordedPlan>();
    for (const p of run.recording.plans) if (p.msg.slot === inp.slot && p.msg.valid_from_t_us === inp.plan_t_us && !recorded.has(p.uavId)) recorded.set(p.uavId, p);
    return { inputs: inp, input, recorded };
  });
}

function predicted(slot: number, o: S0SlotOutput): S0SlotPrediction {
  const c = o.coalition;
  return {
    slot, servedMeds: c.assignments.filter((a) => a.uavIds.length > 0).length, utilisation: c.utilisationMembers, energyJ: c.totalEnergyJ, worth: c.totalWorth,
    meanParticipantUtility: c.meanParticipantUtility, servedFraction: c.servedFraction, iterations: c.iterations,
  };
}

export function replayS0Run(run: RunFolder, planner?: CoalitionAlgo): S0ReplayReport {
  const r = run.summary.s0;
  if (!r) throw new Error(`${run.dir} is not an S0 run (uavmec mission --system s0)`);
  const setup = s0SetupFromSummary(r);
  if (!setup.ok) throw new Error(`the run's S0 setting is invalid: ${setup.detail ?? setup.reason}`);
  const cfg = s0PlannerConfig(setup.value);
  const slots = s0Slots(run, cfg);
  const same = slots.map((s) => planS0Slot(s.input));
  const check = checkRounds(slots.map((s, i) => ({ slot: s.inputs.slot, recorded: s.recorded, replayed: same[i]!.plans })), 'slot');
  const rep: S0ReplayReport = { recordedPlanner: r.planner, slots: slots.length, check };
  if (planner) {
    const alt = slots.map((s) => {
      const { warmStarts: _w, ...rest } = s.input;
      return planS0Slot({ ...rest, planner, ...(planner === 'coalition' && s.input.warmStarts ? { warmStarts: s.input.warmStarts } : {}) });
    });
    rep.whatIf = {
      planner,
      recorded: slots.map((s, i) => predicted(s.inputs.slot, same[i]!)),
      alternative: slots.map((s, i) => predicted(s.inputs.slot, alt[i]!)),
      flown: r.slots.map((m) => ({ slot: m.slot, utilisation: m.flown.utilisation, energyJ: m.flown.energyJ, late: m.medsLate, medsCompleted: m.medsCompleted })),
    };
  }
  return rep;
}

const n = (v: number, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : '—');

export function formatS0Replay(r: S0ReplayReport, divergence: string[]): string {
  const c = r.check;
  const out = [`Replayed ${r.slots} S0 slots with the recorded planner (${r.recordedPlanner}): ${c.identical}/${c.compared} plans byte-identical.`, ...divergence];
  const w = r.whatIf;
  if (!w) return out.join('\n');
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const withWork = (p: S0SlotPrediction[]) => p.filter((x) => x.servedMeds > 0);
  const rows: [string, string, string, string][] = [
    ['MEDs served', String(sum(w.recorded.map((x) => x.servedMeds))), String(sum(w.alternative.map((x) => x.servedMeds))), String(sum(w.flown.map((x) => x.medsCompleted)))],
    ['utilisation μ (Fig. 9)', n(mean(withWork(w.recorded).map((x) => x.utilisation)), 3), n(mean(withWork(w.alternative).map((x) => x.utilisation)), 3), n(mean(w.flown.filter((x) => x.medsCompleted > 0).map((x) => x.utilisation)), 3)],
    ['energy (J)', n(sum(w.recorded.map((x) => x.energyJ)), 1), n(sum(w.alternative.map((x) => x.energyJ)), 1), n(sum(w.flown.map((x) => x.energyJ)), 1)],
    ['worth Σ v(g)', n(sum(w.recorded.map((x) => x.worth))), n(sum(w.alternative.map((x) => x.worth))), '—'],
    ['mean participant utility', n(mean(withWork(w.recorded).map((x) => x.meanParticipantUtility)), 3), n(mean(withWork(w.alternative).map((x) => x.meanParticipantUtility)), 3), '—'],
    ['served fraction (bits)', n(mean(w.recorded.map((x) => x.servedFraction)), 4), n(mean(w.alternative.map((x) => x.servedFraction)), 4), '—'],
    ['iterations / rounds', String(sum(w.recorded.map((x) => x.iterations))), String(sum(w.alternative.map((x) => x.iterations))), '—'],
    ['late MED tasks', '—', '—', String(sum(w.flown.map((x) => x.late)))],
  ];
  out.push('', `What-if on the same recorded requests and twin (predicted by the planners; "flown" = measured in the run):`);
  out.push(`${'metric'.padEnd(26)}${r.recordedPlanner.padStart(14)}${w.planner.padStart(14)}${'flown'.padStart(14)}`);
  for (const [k, a, b, f] of rows) out.push(`${k.padEnd(26)}${a.padStart(14)}${b.padStart(14)}${f.padStart(14)}`);
  return out.join('\n');
}
