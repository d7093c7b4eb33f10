/**
 * What a failover mission did (issue 19 §4): each chaos step and its effect (takeover time in
 * slots, first plan of the new epoch), plan continuity, failsafes, telemetry loss, and one fleet
 * picture per slot stitched from the controllers that led it. Plus the printed account.
 */
import type { Scenario } from '../../../sim/world/index.ts';
import { refusedCopies, type PlanContinuity } from './chaos.ts';
import type { Monitor } from './monitor.ts';
import type { RunningController } from './controllers.ts';

export interface ChaosRecord {
  slot: number;
  tUs: number;
  kind: 'leader' | 'broker' | 'restart';
  target: string;
  epoch?: number;
}

export interface ChaosOutcome extends ChaosRecord {
  /** leader: who took over, with which epoch, how long after the kill (s and slots). */
  takeover?: { by: string; epoch: number; afterS: number; afterSlots: number; firstPlanAfterSlots: number | undefined };
  /** restart: the role the restarted controller took ('standby' or 'leader'). */
  rejoined?: string;
}

export interface FailoverSummary {
  /** The whole scenario and the planner (what `uavmec replay` re-plans with), the cluster's size. */
  scenario: { uavs: number; users: number; slots: number; slotS: number; brokerNodes: number; controllers: number } & Record<string, unknown>;
  /** The run's MQTT recording (mqtt.rec, recorded by the monitor's persistent session), for `uavmec replay`. */
  recording?: { file: string; messages: number; rejected: Record<string, number> };
  chaos: ChaosOutcome[];
  continuity: PlanContinuity;
  /** Failsafe hold/RTL events of UAVs before the mission's end. */
  failsafes: { uav: number; code: string; text: string }[];
  /** Failsafe hold/RTL events after the last slot (the mission-end RTL and landing). */
  failsafesAfterEnd: { uav: number; code: string; text: string }[];
  /**
   * Twin messages as the monitor saw them; `missing` lists (UAV, header seq) never received (at
   * most 50), each with the controllers that did receive it (in-process controllers only): a
   * message another subscriber got was stored by the broker and lost on the way to the monitor.
   */
  telemetry: { received: number; lost: number; missing: { uav: number; seq: number; receivedBy: string[] }[]; uplinkDropped: number; agentFailovers: number };
  /**
   * `copiesRefused`: refusals of a plan the agent had accepted before — a QoS 1 redelivery (the
   * cluster lost the agent's acknowledgement in a stall) refused STALE_SEQ, as a replayed plan is
   * (the agent cannot tell them apart); not a plan the fleet missed (docs/failover.md, item 4).
   */
  /** `seen`: distinct plans (uav, plan_seq); `acked`/`nacked`: distinct answers (a QoS 1 redelivery of one counts once). */
  plans: { seen: number; acked: number; nacked: number; staleEpochNacks: number; copiesRefused: number;
    /** Plans the monitor saw that no agent ever answered (accepted or refused): lost on the way to their UAV. */
    unanswered: number; refusedBy: Record<string, number>; refusals: { uav: number; seq: number; reason: string; detail: string }[] };
  /** Per slot: which controller led it and its metrics there. */
  slots: { slot: number; leader: string; plansSent: number; plansAcked: number; released: number; completed: number; dor: number }[];
  totals: { released: number; completed: number; dor: number };
  /**
   * Task requests as the users released them: `received`, distinct requests that reached a
   * controller (leader or standby); `inLeadersBooks`, the leaders' released, slot by slot (the
   * cores file requests by release time, so one that reached a standby before it followed the
   * leader into the slot is booked in that slot: see docs/failover.md); each request
   * taken by a UAV's plan (`offloaded`) or computed on its device (`local`); `unaccounted` =
   * released − offloaded − local (neither planned nor computed). Absent for controller processes.
   */
  requests?: { released: number; received: number; inLeadersBooks: number; offloaded: number; local: number; unaccounted: number };
  /** Secure mode: identities on the cluster, signed plans, what the agents' verifiers counted. */
  security?: { identities: number; signedPlans: true; mavlinkSigning: boolean; plansVerified: number; refusedUnauthentic: number };
  landed: number;
  wallS: number;
}

export function summarize(x: {
  scenario: Scenario; algo?: string; records: ChaosRecord[]; controllers: RunningController[]; monitor: Monitor; tEndUs: number; landed: number;
  continuity: PlanContinuity; telemetry: { total: number; received: number; missing: { uav: number; seq: number }[] }; uplinkDropped: number; agentFailovers: number; wallS: number; brokerNodes: number;
  /** Controllers as processes: the last leader's printed totals. */
  processTotals?: Record<string, number>;
  world: { released: number; offloaded: number; local: number };
  security?: FailoverSummary['security'];
}): FailoverSummary {
  const s = x.scenario;
  const slotUs = s.slotS * 1e6;
  const history = controllerHistory(x.controllers, x.monitor);
  const chaos: ChaosOutcome[] = x.records.map((r) => {
    if (r.kind === 'leader') {
      const t = history.filter((h) => h.event === 'takeover' && h.tUs >= r.tUs).sort((a, b) => a.tUs - b.tUs)[0];
      if (!t) return r;
      const firstPlan = x.monitor.plans.find((p) => p.epoch === t.epoch);
      return { ...r, takeover: { by: t.who, epoch: t.epoch, afterS: (t.tUs - r.tUs) / 1e6, afterSlots: (t.tUs - r.tUs) / slotUs, firstPlanAfterSlots: firstPlan ? (firstPlan.tUs - r.tUs) / slotUs : undefined } };
    }
    if (r.kind === 'restart') {
      const h = history.filter((e) => e.who === r.target && e.tUs >= r.tUs).sort((a, b) => a.tUs - b.tUs)[0];
      return { ...r, rejoined: h ? (h.event === 'standby' ? 'standby' : 'leader') : 'not yet decided' };
    }
    return r;
  });
  const slots = x.controllers.some((c) => c.local) ? slotsFromLedgers(x.controllers, s.slots) : slotsFromMonitor(x.monitor, s.slots);
  return {
    scenario: { ...s, ...(x.algo ? { algo: x.algo } : {}), brokerNodes: x.brokerNodes, controllers: new Set(x.controllers.map((c) => c.id)).size },
    chaos,
    continuity: x.continuity,
    failsafes: x.monitor.failsafes.filter((f) => f.tUs <= x.tEndUs).map(({ uav, code, text }) => ({ uav, code, text })),
    failsafesAfterEnd: x.monitor.failsafes.filter((f) => f.tUs > x.tEndUs).map(({ uav, code, text }) => ({ uav, code, text })),
    telemetry: {
      received: x.telemetry.received, lost: x.telemetry.total, uplinkDropped: x.uplinkDropped, agentFailovers: x.agentFailovers,
      missing: x.telemetry.missing.map((m) => ({ ...m, receivedBy: x.controllers.filter((c) => c.twinSeqs.get(m.uav)?.has(m.seq)).map((c) => c.id) })),
    },
    plans: {
      seen: new Set(x.monitor.plans.map((p) => `${p.uav}:${p.seq}`)).size, acked: x.monitor.acks, nacked: x.monitor.nacks, staleEpochNacks: x.monitor.staleEpochNacks.length,
      copiesRefused: refusedCopies(x.monitor.refusals, x.monitor.accepted),
      unanswered: unansweredPlans(x.monitor),
      refusedBy: countBy(x.monitor.refusals.map((r) => r.reason)), refusals: x.monitor.refusals.slice(0, 50).map(({ uav, seq, reason, detail }) => ({ uav, seq, reason, detail })),
    },
    slots,
    totals: x.processTotals
      ? { released: x.processTotals.released ?? 0, completed: x.processTotals.completed ?? 0, dor: x.processTotals.dor ?? 0 }
      : { released: sum(slots.map((r) => r.released)), completed: sum(slots.map((r) => r.completed)), dor: sum(slots.map((r) => r.dor)) },
    ...(x.processTotals ? {} : { requests: {
      released: x.world.released, received: new Set(x.controllers.flatMap((c) => [...(c.taskIds ?? [])])).size, inLeadersBooks: sum(slots.map((r) => r.released)), offloaded: x.world.offloaded, local: x.world.local,
      unaccounted: x.world.released - x.world.offloaded - x.world.local,
    } }),
    ...(x.security ? { security: x.security } : {}),
    landed: x.landed,
    wallS: x.wallS,
  };
}

/** Distinct plans the monitor saw that no agent answered. */
function unansweredPlans(m: Monitor): number {
  const seen = new Set(m.plans.map((p) => `${p.uav}:${p.seq}`));
  return [...seen].filter((k) => !m.answered.has(k)).length;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const countBy = (xs: string[]): Record<string, number> => xs.reduce<Record<string, number>>((m, x) => ({ ...m, [x]: (m[x] ?? 0) + 1 }), {});

type HistoryEvent = { tUs: number; event: string; who: string; epoch: number };

/**
 * Who led, took over or stood by, and when: in-process controllers keep their lease history; a
 * controller process tells it in its log (standby), and the monitor saw every epoch's first
 * LEADING record (takeover) on the bus.
 */
function controllerHistory(controllers: readonly RunningController[], monitor: Monitor): HistoryEvent[] {
  const local = controllers.flatMap((c) => c.local?.leadership.history.map((h) => ({ ...h, who: c.id })) ?? []);
  const procs = controllers.flatMap((c) => c.proc?.events.filter((e) => e.event === 'standby').map((e) => ({ tUs: e.tUs, event: e.event, who: c.id, epoch: e.epoch })) ?? []);
  const firstOfEpoch = new Map<number, HistoryEvent>();
  if (controllers.some((c) => c.proc)) {
    for (const l of monitor.leaders) {
      if (l.state !== 'leading' || firstOfEpoch.has(l.epoch)) continue;
      firstOfEpoch.set(l.epoch, { tUs: l.tUs, event: l.epoch === 1 ? 'lead' : 'takeover', who: l.controllerId, epoch: l.epoch });
    }
  }
  return [...local, ...procs, ...firstOfEpoch.values()].sort((a, b) => a.tUs - b.tUs);
}

function slotsFromLedgers(controllers: readonly RunningController[], n: number): FailoverSummary['slots'] {
  return Array.from({ length: n }, (_, k) => {
    const c = controllers.filter((x) => (x.local?.service.ledger.slots[k]?.plansSent ?? 0) > 0).at(-1);
    const m = c?.local?.service.ledger.slots[k];
    return { slot: k, leader: c?.id ?? '—', plansSent: m?.plansSent ?? 0, plansAcked: m?.plansAcked ?? 0, released: m?.released ?? 0, completed: m?.completed ?? 0, dor: m?.dor ?? 0 };
  });
}

/** Controllers in other processes: each slot's plans as the monitor saw them, led by whoever held that epoch. */
function slotsFromMonitor(monitor: Monitor, n: number): FailoverSummary['slots'] {
  const holder = new Map<number, string>();
  for (const l of monitor.leaders) if (l.state === 'leading' && !holder.has(l.epoch)) holder.set(l.epoch, l.controllerId);
  const seen = new Set<string>();
  const rows = Array.from({ length: n }, (_, k) => ({ slot: k, leader: '—', plansSent: 0, plansAcked: 0, released: 0, completed: 0, dor: 0 }));
  for (const p of monitor.plans) {
    if (p.planner === 'launch' || p.planner === 'mission-end' || seen.has(`${p.uav}:${p.seq}`)) continue;
    seen.add(`${p.uav}:${p.seq}`);
    const r = rows[p.slot];
    if (!r) continue;
    r.plansSent++;
    r.leader = holder.get(p.epoch) ?? r.leader;
  }
  return rows;
}

/** The printed account of a failover mission. */
export function formatFailover(f: FailoverSummary): string {
  const out: string[] = [];
  out.push(`failover mission: ${f.scenario.uavs} UAVs, ${f.scenario.slots} slots of ${f.scenario.slotS} s, ${f.scenario.brokerNodes} broker nodes, ${f.scenario.controllers} controllers`);
  for (const c of f.chaos) {
    if (c.kind === 'leader') {
      const t = c.takeover;
      out.push(`  slot ${c.slot}: killed leader ${c.target} (epoch ${c.epoch}) → ${t ? `${t.by} took over with epoch ${t.epoch} after ${t.afterSlots.toFixed(2)} slot (${t.afterS.toFixed(2)} s); its first plan ${t.firstPlanAfterSlots?.toFixed(2) ?? '—'} slot after the kill` : 'nobody took over'}`);
    } else if (c.kind === 'broker') out.push(`  slot ${c.slot}: killed broker ${c.target}`);
    else out.push(`  slot ${c.slot}: restarted ${c.target} → ${c.rejoined}`);
  }
  const k = f.continuity;
  out.push(`  plans: ${f.plans.seen} seen, ${f.plans.acked} acked, ${f.plans.nacked} refused (${Object.entries(f.plans.refusedBy).map(([r, n]) => `${n} ${r}`).join(', ') || 'none'}${f.plans.copiesRefused ? `; ${f.plans.copiesRefused} of them redelivered copies of plans accepted before` : ''}); epochs ${k.epochs.join(' → ') || '—'}; plan_seq regressions ${k.seqRegressions}; slots without plans ${k.slotsWithoutPlans.length ? k.slotsWithoutPlans.join(', ') : 'none'}`);
  out.push(`  UAVs in hold or RTL before the end: ${new Set(f.failsafes.map((x) => x.uav)).size}${f.failsafes.length ? ` (${f.failsafes.map((x) => `UAV ${x.uav} ${x.code}`).join(', ')})` : ''}; after the last slot: ${new Set(f.failsafesAfterEnd.map((x) => x.uav)).size}`);
  out.push(`  telemetry: ${f.telemetry.received} twin messages received, ${f.telemetry.lost} lost, ${f.telemetry.uplinkDropped} dropped by agents; ${f.telemetry.agentFailovers} agent broker failovers`);
  for (const m of f.telemetry.missing.slice(0, 10)) out.push(`    missing UAV ${m.uav} seq ${m.seq}: ${m.receivedBy.length ? `received by ${m.receivedBy.join(', ')} (stored by the broker, lost on the way to the monitor)` : 'received by no controller either'}`);
  if (f.requests) out.push(`  requests: ${f.requests.released} released by the users, ${f.requests.received} reached a controller (${f.requests.inLeadersBooks} in the leaders' books of their slot); ${f.requests.offloaded} taken by a UAV's plan, ${f.requests.local} computed on the device, ${f.requests.unaccounted} unaccounted; plans never answered: ${f.plans.unanswered}`);
  if (f.security) out.push(`  secure: ${f.security.identities} identities on the cluster (passwords), signed plans verified by the agents: ${f.security.plansVerified} accepted, ${f.security.refusedUnauthentic} refused as unauthentic${f.security.mavlinkSigning ? '; MAVLink signing' : ''}`);
  out.push(`  tasks: ${f.totals.completed}/${f.totals.released} completed, DOR ${f.totals.dor.toFixed(2)}; ${f.landed}/${f.scenario.uavs} UAVs landed; ${f.wallS.toFixed(0)} s wall`);
  return out.join('\n');
}
