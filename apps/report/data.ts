/**
 * Everything a run report shows, gathered from a run folder's summary.json and MQTT recording.
 * Pure: `RunFolder` in, plain data out (html.ts draws it).
 */
import path from 'node:path';
import type { Plan } from '../../proto/index.ts';
import type { MissionSummary } from '../mission/summary.ts';
import { NON_SLOT_PLANNERS } from '../replay/inputs.ts';
import { assignmentUtility } from '../replay/evaluate.ts';
import type { RunFolder } from '../replay/recording.ts';
import { linkHealth, modeTimelines, type LinkHealthRow, type ModeSegment } from './links.ts';

export interface TrackPoint {
  tS: number;
  x: number;
  y: number;
  alt: number;
  batteryPct?: number;
}

export interface SlotRow {
  slot: number;
  dor: number;
  predictedDor: number;
  /** Policy runs: the same actors' DOR in their training env after as many moves (null: no counterpart). */
  envDor?: number | null;
  /** S0-style utility of the slot's recorded plans (evaluate.ts `assignmentUtility`). */
  utility: number;
  released: number;
  offloaded: number;
  completed: number;
  late: number;
  /** Cumulative energy per UAV at the slot's end, J. */
  energyJ: Record<number, number>;
}

export interface CoalitionCell {
  slot: number;
  /** Tasks each UAV executed this slot. */
  execByUav: Record<number, number>;
  /** UAV pairs that shared a task (access ≠ exec: a relay coalition), with the task count. */
  pairs: { a: number; b: number; tasks: number }[];
  /** S0 runs: the coalitions of the slot's plans — which UAVs served which MED (from the plans' shares). */
  groups?: { taskId: number; userId: number; uavIds: number[] }[];
}

export interface ReportData {
  name: string;
  scenario: { uavs: number; users: number; slots: number; slotS: number; areaM: number; algo: string; flavour: string; seed: number; thetaMaxDeg: number };
  /** Policy runs: the model flown and how the flight compared with its env (mission summary). */
  policy?: MissionSummary['policy'];
  /** S2 runs (SPEC §5.4): revenue flown against the env (mission summary). */
  video?: MissionSummary['video'];
  /** S0 runs (`mission --system s0`): the S0 metrics per slot and in total (mission summary). */
  s0?: MissionSummary['s0'];
  t0Us: number;
  uavIds: number[];
  tracks: Record<number, TrackPoint[]>;
  users: { id: number; x: number; y: number }[];
  /** Per slot, each UAV's planned hover point and coverage radius (SPEC §3: R = H tan θ_max). */
  coverage: { slot: number; uavId: number; x: number; y: number; radiusM: number }[];
  slots: SlotRow[];
  coalitions: CoalitionCell[];
  acks: { tS: number; uavId: number; planSeq: number; accepted: boolean; reason: number; detail: string }[];
  events: { tS: number; uavId: number; code: string; text: string; severity: number }[];
  /** Per UAV, its autopilot mode and flight state over time (s from t0). */
  modes: Record<number, ModeSegment[]>;
  /** Per UAV, what its telemetry link delivered. */
  links: LinkHealthRow[];
  /** Time span of the recording shown, s from t0. */
  endS: number;
  totals: MissionSummary['totals'];
  uavs: MissionSummary['uavs'];
  simS: number;
  wallS: number;
}

export function reportData(run: RunFolder): ReportData {
  const s = run.summary;
  const sc = s.scenario as Record<string, unknown> & { channel?: { thetaMaxDeg?: number } };
  const rec = run.recording;
  const t0Us = Math.min(...[rec.twins[0]?.recvUs, rec.plans[0]?.recvUs, s.slots[0]?.startUs].filter((v): v is number => v !== undefined));
  const tS = (us: number) => (us - t0Us) / 1e6;
  const tracks: Record<number, TrackPoint[]> = {};
  for (const t of rec.twins) {
    const p = t.msg.position;
    if (!p) continue;
    (tracks[t.msg.uav_id] ??= []).push({ tS: tS(t.recvUs), x: p.x_east_m, y: p.y_north_m, alt: p.alt_m, ...(t.msg.battery_pct !== undefined ? { batteryPct: t.msg.battery_pct } : {}) });
  }
  const users = new Map<number, { id: number; x: number; y: number }>();
  for (const t of rec.tasks) if (t.msg.user_position) users.set(t.msg.user_id, { id: t.msg.user_id, x: t.msg.user_position.x_east_m, y: t.msg.user_position.y_north_m });
  const thetaMaxDeg = sc.channel?.thetaMaxDeg ?? 60;
  const slotPlans = new Map<number, Plan[]>();
  for (const p of rec.plans) {
    if (NON_SLOT_PLANNERS.has(p.msg.planner)) continue;
    const l = slotPlans.get(p.msg.slot) ?? [];
    l.push(p.msg);
    slotPlans.set(p.msg.slot, l);
  }
  const coverage: ReportData['coverage'] = [];
  const coalitions: CoalitionCell[] = [];
  const utilityBySlot = new Map<number, number>();
  for (const [slot, plans] of [...slotPlans.entries()].sort((a, b) => a[0] - b[0])) {
    for (const p of plans) {
      // A POLICY plan has no target: the coverage is where the UAV was when the slot was planned.
      const fp = s.policy?.rows[slot]?.flownPositions[p.uav_id - 1];
      const tg = p.flight?.target ?? (fp ? { x_east_m: fp[0], y_north_m: fp[1], alt_m: fp[2] } : undefined);
      if (tg) coverage.push({ slot, uavId: p.uav_id, x: tg.x_east_m, y: tg.y_north_m, radiusM: tg.alt_m * Math.tan((thetaMaxDeg * Math.PI) / 180) });
    }
    const seen = new Map<number, Plan['assignments'][number]>();
    for (const p of plans) for (const a of p.assignments) if (!seen.has(a.task_id)) seen.set(a.task_id, a);
    const execByUav: Record<number, number> = {};
    const pairs = new Map<string, { a: number; b: number; tasks: number }>();
    for (const a of seen.values()) {
      execByUav[a.exec_uav_id] = (execByUav[a.exec_uav_id] ?? 0) + 1;
      if (a.access_uav_id !== a.exec_uav_id) {
        const [x, y] = [a.access_uav_id, a.exec_uav_id].sort((m, n) => m - n) as [number, number];
        const k = `${x}-${y}`;
        const e = pairs.get(k) ?? { a: x, b: y, tasks: 0 };
        e.tasks++;
        pairs.set(k, e);
      }
    }
    const groups = new Map<number, { taskId: number; userId: number; uavIds: number[] }>();
    for (const p of plans) {
      for (const sh of p.shares) {
        execByUav[p.uav_id] = (execByUav[p.uav_id] ?? 0) + 1;
        if (!groups.has(sh.task_id)) groups.set(sh.task_id, { taskId: sh.task_id, userId: sh.user_id, uavIds: [...sh.coalition_uav_ids] });
      }
    }
    coalitions.push({ slot, execByUav, pairs: [...pairs.values()], ...(groups.size ? { groups: [...groups.values()].sort((a, b) => a.userId - b.userId) } : {}) });
    utilityBySlot.set(slot, [...seen.values()].reduce((u, a) => u + assignmentUtility(a), 0));
  }
  const lastUs = Math.max(...[rec.twins.at(-1)?.recvUs, rec.plans.at(-1)?.recvUs, rec.fleet.at(-1)?.recvUs].filter((v): v is number => v !== undefined), t0Us);
  const endS = tS(lastUs);
  const uavIds = [...new Set([...s.uavs.map((u) => u.uavId), ...Object.keys(tracks).map(Number)])].sort((a, b) => a - b);
  return {
    name: path.basename(path.resolve(run.dir)),
    scenario: {
      uavs: sc.uavs as number, users: sc.users as number, slots: sc.slots as number, slotS: sc.slotS as number, areaM: (sc.areaM as number | undefined) ?? 0,
      algo: String(sc.algo ?? ''), flavour: String(sc.flavour ?? ''), seed: sc.seed as number, thetaMaxDeg,
    },
    ...(s.policy ? { policy: s.policy } : {}),
    ...(s.video ? { video: s.video } : {}),
    ...(s.s0 ? { s0: s.s0 } : {}),
    t0Us,
    uavIds,
    tracks,
    users: [...users.values()].sort((a, b) => a.id - b.id),
    coverage,
    slots: s.slots.map((m) => ({ slot: m.slot, dor: m.dor, predictedDor: m.predictedDor, ...(s.policy ? { envDor: s.policy.rows[m.slot]?.envDor ?? null } : {}), utility: utilityBySlot.get(m.slot) ?? 0, released: m.released, offloaded: m.offloaded, completed: m.completed, late: m.late, energyJ: m.energyJ })),
    coalitions,
    acks: rec.acks.map((a) => ({ tS: tS(a.recvUs), uavId: a.msg.uav_id, planSeq: a.msg.plan_seq, accepted: a.msg.accepted, reason: a.msg.reason, detail: a.msg.detail })),
    events: rec.events.map((e) => ({ tS: tS(e.recvUs), uavId: e.msg.uavId || e.msg.uav_id, code: e.msg.code, text: e.msg.text, severity: e.msg.severity })),
    modes: modeTimelines(rec, t0Us, endS),
    links: linkHealth(rec),
    endS,
    totals: s.totals,
    uavs: s.uavs,
    simS: s.simS,
    wallS: s.wallS,
  };
}
