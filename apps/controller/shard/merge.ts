/**
 * One mission's books from its shards' (issue 19 §3): every shard counts the tasks of its region
 * and the plans it sent, so the mission's slot rows are the shards' rows added up.
 */
import { MetricsLedger, type SlotMetrics } from '../metrics.ts';

const SUMMED = ['released', 'servingUavs', 'predictedDor', 'plansSent', 'plansAcked', 'plansNacked', 'offloaded', 'completed', 'completedOnUav', 'late', 'failed', 'dor', 'missedWindow', 'decisionLatencySumS'] as const;

export function mergeLedgers(ledgers: readonly MetricsLedger[]): MetricsLedger {
  const out = new MetricsLedger();
  const n = Math.max(0, ...ledgers.map((l) => l.slots.length));
  for (let k = 0; k < n; k++) {
    const rows = ledgers.map((l) => l.slots[k]).filter((m): m is SlotMetrics => m !== undefined);
    if (rows.length === 0) continue;
    const m = out.beginSlot(k, Math.min(...rows.map((r) => r.startUs)));
    for (const r of rows) {
      for (const f of SUMMED) m[f] += r[f];
      Object.assign(m.energyJ, r.energyJ);
    }
  }
  for (const l of ledgers) {
    out.launch.plansSent += l.launch.plansSent;
    out.launch.plansAcked += l.launch.plansAcked;
    out.launch.plansNacked += l.launch.plansNacked;
    out.pools.push(...l.pools);
  }
  return out;
}
