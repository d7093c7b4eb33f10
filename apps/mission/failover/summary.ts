/**
 * What a failover mission did (issue 19 §4): each chaos step and its effect (takeover time in
 * slots, first plan of the new epoch), plan continuity, failsafes, telemetry loss, and one fleet
 * picture per slot stitched from the controllers that led it. Plus the printed account.
 */
import type { Scenario } from '../../../sim/world/index.ts';
import type { PlanContinuity } from './chaos.ts';
import type { Monitor } from './monitor.ts';
import type { RunningController } from './run.ts';

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
  scenario: { uavs: number; users: number; slots: number; slotS: number; brokerNodes: number; controllers: number };
  chaos: ChaosOutcome[];
  continuity: PlanContinuity;
  /** Failsafe hold/RTL events of UAVs before the mission's end. */
  failsafes: { uav: number; code: string; text: string }[];
  /** Twin messages as the monitor saw them; `missing` lists (UAV, header seq) never received (at most 50). */
  telemetry: { received: number; lost: number; missing: { uav: number; seq: number }[]; uplinkDropped: number; agentFailovers: number };
  plans: { seen: number; acked: number; nacked: number; staleEpochNacks: number };
  /** Per slot: which controller led it and its metrics there. */
  slots: { slot: number; leader: string; plansSent: number; plansAcked: number; released: number; completed: number; dor: number }[];
  totals: { released: number; completed: number; dor: number };
  landed: number;
  wallS: number;
}

export function summarize(x: {
  scenario: Scenario; records: ChaosRecord[]; controllers: RunningController[]; monitor: Monitor; tEndUs: number; landed: number;
  continuity: PlanContinuity; telemetry: { total: number; received: number; missing: { uav: number; seq: number }[] }; uplinkDropped: number; agentFailovers: number; wallS: number; brokerNodes: number;
}): FailoverSummary {
  const s = x.scenario;
  const slotUs = s.slotS * 1e6;
  const history = x.controllers.flatMap((c) => c.leadership.history.map((h) => ({ ...h, who: c.id })));
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
  const slots: FailoverSummary['slots'] = [];
  for (let k = 0; k < s.slots; k++) {
    const led = x.controllers.filter((c) => (c.service.ledger.slots[k]?.plansSent ?? 0) > 0);
    const c = led.at(-1);
    const m = c?.service.ledger.slots[k];
    slots.push({ slot: k, leader: c?.id ?? '—', plansSent: m?.plansSent ?? 0, plansAcked: m?.plansAcked ?? 0, released: m?.released ?? 0, completed: m?.completed ?? 0, dor: m?.dor ?? 0 });
  }
  return {
    scenario: { uavs: s.uavs, users: s.users, slots: s.slots, slotS: s.slotS, brokerNodes: x.brokerNodes, controllers: new Set(x.controllers.map((c) => c.id)).size },
    chaos,
    continuity: x.continuity,
    failsafes: x.monitor.failsafes.filter((f) => f.tUs <= x.tEndUs).map(({ uav, code, text }) => ({ uav, code, text })),
    telemetry: { received: x.telemetry.received, lost: x.telemetry.total, missing: x.telemetry.missing, uplinkDropped: x.uplinkDropped, agentFailovers: x.agentFailovers },
    plans: { seen: x.monitor.plans.length, acked: x.monitor.acks, nacked: x.monitor.nacks, staleEpochNacks: x.monitor.staleEpochNacks.length },
    slots,
    totals: { released: sum(slots.map((r) => r.released)), completed: sum(slots.map((r) => r.completed)), dor: sum(slots.map((r) => r.dor)) },
    landed: x.landed,
    wallS: x.wallS,
  };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

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
  out.push(`  plans: ${f.plans.seen} seen, ${f.plans.acked} acked, ${f.plans.nacked} refused (${f.plans.staleEpochNacks} from a deposed leader); epochs ${k.epochs.join(' → ') || '—'}; plan_seq regressions ${k.seqRegressions}; slots without plans ${k.slotsWithoutPlans.length ? k.slotsWithoutPlans.join(', ') : 'none'}`);
  out.push(`  UAVs in hold or RTL before the end: ${new Set(f.failsafes.map((x) => x.uav)).size}${f.failsafes.length ? ` (${f.failsafes.map((x) => `UAV ${x.uav} ${x.code}`).join(', ')})` : ''}`);
  out.push(`  telemetry: ${f.telemetry.received} twin messages received, ${f.telemetry.lost} lost, ${f.telemetry.uplinkDropped} dropped by agents; ${f.telemetry.agentFailovers} agent broker failovers`);
  out.push(`  tasks: ${f.totals.completed}/${f.totals.released} completed, DOR ${f.totals.dor.toFixed(2)}; ${f.landed}/${f.scenario.uavs} UAVs landed; ${f.wallS.toFixed(0)} s wall`);
  return out.join('\n');
}
