/**
 * Chaos for failover missions (issue 19 §4), pure: the `--chaos` schedule and the analysis of
 * what a monitor on the bus saw (takeovers, plan-sequence continuity, failsafes, telemetry loss).
 */
import { fail, ok, type Result } from '../../../core/result.ts';

export type ChaosStep =
  /** Kill the leading controller (its connection drops without DISCONNECT: the broker sends its will). */
  | { kind: 'leader'; slot: number }
  /** SIGKILL broker node `node` (1-based). */
  | { kind: 'broker'; slot: number; node: number }
  /** Start the controller killed last again, same id: it must rejoin the running mission. */
  | { kind: 'restart'; slot: number };

/** `leader@12,broker@20,restart@15,broker2@30` → steps in slot order. */
export function parseChaos(spec: string, nodes: number): Result<ChaosStep[], 'bad_chaos'> {
  const steps: ChaosStep[] = [];
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^(leader|restart|broker)([1-9])?@(\d+)$/.exec(part);
    if (!m) return fail('bad_chaos', `'${part}' is not leader@SLOT, restart@SLOT or broker[N]@SLOT`);
    const slot = Number(m[3]);
    if (m[1] === 'broker') {
      const node = m[2] ? Number(m[2]) : 1;
      if (node > nodes) return fail('bad_chaos', `'${part}': there are only ${nodes} broker nodes`);
      steps.push({ kind: 'broker', slot, node });
    } else if (m[2]) return fail('bad_chaos', `'${part}': only broker takes a node number`);
    else steps.push({ kind: m[1] as 'leader' | 'restart', slot });
  }
  return ok(steps.sort((a, b) => a.slot - b.slot));
}

export interface SeenPlan {
  uav: number;
  seq: number;
  slot: number;
  epoch: number;
  planner: string;
  tUs: number;
}

export interface PlanContinuity {
  /** Slots (0 … slots−1) for which no UAV got a plan. */
  slotsWithoutPlans: number[];
  /** Plans of the current epoch that arrived with a plan_seq not above the UAV's previous one of that epoch (a newer epoch's first plan supersedes whatever its plan_seq, as the agents' gate orders them). */
  seqRegressions: number;
  /** Plans of an epoch below one already seen (a deposed leader still sending; agents refuse them). */
  staleEpochPlans: number;
  /** The epochs seen, in order. */
  epochs: number[];
}

/**
 * Plan continuity as the fleet follows it: over the plans a monitor saw, in arrival order, those of
 * the highest epoch so far (older epochs are a deposed leader's, refused by the agents' gate and
 * counted apart). Slot coverage excludes launch and mission-end plans.
 */
export function planContinuity(plans: readonly SeenPlan[], slots: number): PlanContinuity {
  const lastSeq = new Map<number, { epoch: number; seq: number }>();
  let maxEpoch = 0;
  let seqRegressions = 0;
  let staleEpochPlans = 0;
  const epochs: number[] = [];
  const covered = new Set<number>();
  const seen = new Set<string>();
  for (const p of plans) {
    // QoS 1 is at-least-once: a redelivered copy is not a regression.
    const key = `${p.uav}:${p.seq}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (p.epoch < maxEpoch) {
      staleEpochPlans++;
      continue;
    }
    const prev = lastSeq.get(p.uav);
    if (prev && prev.epoch === p.epoch && p.seq <= prev.seq) seqRegressions++;
    lastSeq.set(p.uav, !prev || p.epoch > prev.epoch ? { epoch: p.epoch, seq: p.seq } : { epoch: p.epoch, seq: Math.max(p.seq, prev.seq) });
    if (p.epoch > maxEpoch) {
      maxEpoch = p.epoch;
      epochs.push(p.epoch);
    }
    if (p.planner !== 'launch' && p.planner !== 'mission-end') covered.add(p.slot);
  }
  const slotsWithoutPlans = Array.from({ length: slots }, (_, k) => k).filter((k) => !covered.has(k));
  return { slotsWithoutPlans, seqRegressions, staleEpochPlans, epochs };
}

/** Telemetry loss per UAV from the header seqs a subscriber saw: gaps between 1 and the highest seq. */
export function telemetryLoss(seqs: ReadonlyMap<number, ReadonlySet<number>>): { perUav: Record<number, number>; total: number; received: number; missing: { uav: number; seq: number }[] } {
  const perUav: Record<number, number> = {};
  const missing: { uav: number; seq: number }[] = [];
  let total = 0;
  let received = 0;
  for (const [uav, s] of seqs) {
    let max = 0;
    for (const q of s) max = Math.max(max, q);
    perUav[uav] = max - s.size;
    total += max - s.size;
    received += s.size;
    for (let q = 1; q <= max && missing.length < 50; q++) if (!s.has(q)) missing.push({ uav, seq: q });
  }
  return { perUav, total, received, missing };
}

/**
 * Refusals of a plan the same agent had acked as accepted before: QoS 1 redeliveries (the cluster
 * lost the agent's acknowledgement in a stall) refused STALE_SEQ — not plans the fleet missed.
 */
export function refusedCopies(refusals: readonly { uav: number; seq: number }[], accepted: ReadonlySet<string>): number {
  return refusals.filter((r) => accepted.has(`${r.uav}:${r.seq}`)).length;
}
