/**
 * The summary.json of a recorded multi-process mission, made from its recording alone: the
 * controller's planning core driven over the recorded PlanningInputs (apps/replay/core-replay.ts)
 * counts the mission as the controller did (per-slot metrics, totals, pool rounds); plans and
 * acks are counted from the recording; each UAV's path, altitude and energy come from its twin
 * states. Pure: recording and scenario in, summary out.
 */
import { fail, ok, type Result } from '../../core/result.ts';
import type { MissionSummary, UavSummary } from '../mission/summary.ts';
import { replayThroughCore } from '../replay/core-replay.ts';
import { NON_SLOT_PLANNERS } from '../replay/inputs.ts';
import { poolConfigFromSummary } from '../replay/pool-replan.ts';
import { configFromSummary } from '../replay/replan.ts';
import { FAILOVER_WHY, severalControllers, type RunRecording } from '../replay/recording.ts';

export interface RecorderRunInfo {
  /** The scenario the mission's processes were given (the same options as theirs). */
  scenario: Record<string, unknown>;
  wallS: number;
  messages: number;
  rejected: Record<string, number>;
}

export function summaryFromRecording(rec: RunRecording, info: RecorderRunInfo): Result<MissionSummary, 'no_mission' | 'missing_input' | 'unsupported'> {
  if (rec.planningInputs.length === 0) return fail('no_mission', 'the recording holds no controller PlanningInputs: no controller planned while it recorded (is the broker right, did the mission run?)');
  // The summary is the planning core's count over one controller's inputs: a failover run has several.
  const several = severalControllers(rec);
  if (several) return fail('unsupported', `the recording holds plans of ${several}, so no summary.json is written (${FAILOVER_WHY}); the failover mission's own summary describes it`);
  const base = { scenario: info.scenario } as unknown as MissionSummary;
  const cfg = configFromSummary(base);
  const pool = poolConfigFromSummary(base);
  const r = replayThroughCore(rec, { ...cfg, ...(pool ? { pool } : {}) });
  if (!r.ok) return r;
  const ledger = r.value.core.ledger;
  const sent = rec.plans.filter((p) => p.msg.planner !== 'mission-end');
  const answer = (p: (typeof sent)[number], accepted: boolean) => rec.acks.some((a) => a.msg.uav_id === p.uavId && a.msg.plan_seq === p.msg.plan_seq && a.msg.accepted === accepted);
  const totals = {
    ...ledger.totals(),
    plansSent: sent.length,
    plansAcked: sent.filter((p) => answer(p, true)).length,
    plansNacked: sent.filter((p) => answer(p, false)).length,
  };
  const times = [...rec.twins, ...rec.plans].map((m) => m.recvUs);
  const policy = sent.some((p) => !NON_SLOT_PLANNERS.has(p.msg.planner) && p.msg.flight?.mode === 3);
  return ok({
    scenario: info.scenario,
    trajectory: policy ? 'policy' : 'planner',
    wallS: info.wallS,
    simS: times.length ? (Math.max(...times) - Math.min(...times)) / 1e6 : 0,
    timing: { clock: 'scaled', degraded: totals.missedWindow > 0, lateRequests: totals.missedWindow, note: 'recorded from separate processes on a real-time clock: lateness is the run\'s own (late requests counted per slot)' },
    slots: ledger.slots,
    totals,
    ...(ledger.pools.length ? { pools: ledger.pools } : {}),
    uavs: uavSummaries(rec),
    bus: { published: info.messages, dropped: {}, droppedByTopic: {} },
    recording: { file: 'mqtt.rec', messages: info.messages, rejected: info.rejected },
    tlogs: [],
  });
}

/** Per UAV from its twin states: path length, highest altitude, energies; plans from the recording. */
function uavSummaries(rec: RunRecording): UavSummary[] {
  const ids = [...new Set(rec.twins.map((t) => t.msg.uav_id))].sort((a, b) => a - b);
  return ids.map((id) => {
    const twins = rec.twins.filter((t) => t.msg.uav_id === id);
    let distanceM = 0;
    let maxAltM = 0;
    let prev: { x_east_m: number; y_north_m: number; alt_m: number } | undefined;
    for (const t of twins) {
      const p = t.msg.position;
      if (!p) continue;
      if (prev) distanceM += Math.hypot(p.x_east_m - prev.x_east_m, p.y_north_m - prev.y_north_m, p.alt_m - prev.alt_m);
      maxAltM = Math.max(maxAltM, p.alt_m);
      prev = p;
    }
    const last = twins[twins.length - 1]?.msg;
    const acks = rec.acks.filter((a) => a.msg.uav_id === id);
    return {
      uavId: id, distanceM, maxAltM,
      flightEnergyJ: last?.flight_energy_used_j ?? 0,
      computeEnergyJ: last?.compute_energy_used_j ?? 0,
      tasksComputed: rec.completions.filter((c) => c.msg.uav_id === id && c.msg.site === 2 && !c.msg.failed).length,
      plansAccepted: acks.filter((a) => a.msg.accepted).length,
      plansRefused: acks.filter((a) => !a.msg.accepted).length,
      setpointsSent: 0,
      envelope: {},
    };
  });
}
