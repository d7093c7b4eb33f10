/**
 * S0 mission metrics, slot by slot (SPEC §5.6's metrics, measured): what the HAP planned —
 * coalitions, predicted utilisation (S0 Eq. 12, Fig. 9), energy (Eq. 7), participant utility
 * (Eq. 10), served fraction, formation iterations with and without the warm start, U2U messages —
 * and what the fleet did: shares computed (once each), MED tasks complete when all their shares are
 * back (late after the deadline), measured utilisation μ_j = f̃_j / f_j,max, energies with the
 * measured times (S0 Eq. 19: E_tr + Σ p_cp T̃_cp + Σ p_h T̃_g), and the twin's compute fidelity.
 * Pure bookkeeping.
 */
import type { TaskCompletion } from '../../../proto/index.ts';
import type { S0ShareForecast, S0SlotOutput } from './types.ts';

export interface S0Coalition {
  taskId: number;
  userId: number;
  /** Members with work, ascending. */
  uavIds: number[];
  shareBits: number[];
  /** Predicted coalition delay T_g, s; and the deadline τ_i, s. */
  predictedDelayS: number;
  deadlineS: number;
  /** Measured T̃_g (slowest share, from the plan's valid_from), s; undefined until all shares are back. */
  delayS?: number;
  late?: boolean;
}

/** Counts kept per slot and summed over the mission. */
export interface S0Counts {
  requests: number;
  /** MEDs with a serving coalition. */
  servedMeds: number;
  sharesPlanned: number;
  sharesComputed: number;
  sharesLate: number;
  sharesFailed: number;
  /** Completions for a share already counted (must stay 0: every share is computed once). */
  sharesDuplicate: number;
  medsCompleted: number;
  medsLate: number;
}

export interface S0SlotMetrics extends S0Counts {
  slot: number;
  planner: string;
  planUs: number;
  coalitions: S0Coalition[];
  /** UAVs told to save energy (no share), of `uavs` planned. */
  energySaving: number;
  uavs: number;
  predicted: { utilisation: number; energyJ: number; meanParticipantUtility: number; totalWorth: number; servedFraction: number };
  formation: { warmStart: boolean; iterations: number; iterationsCold: number; worth: number; worthCold: number; u2uMessages: number; u2uMessagesWithoutDt: number };
  flown: { utilisation: number; energyTrJ: number; energyCpJ: number; energyHoverJ: number; energyJ: number; servedBits: number; servedFraction: number };
  /** Mean F_f of the slot's measured shares (1 = the twin predicted the compute exactly); and per UAV. */
  fidelity: number;
  fidelityByUav: Record<number, number>;
  /** ρ_j each UAV was planned with. */
  computeRatio: Record<number, number>;
}

interface OpenShare {
  f: S0ShareForecast;
  slot: number;
  planUs: number;
  done?: TaskCompletion;
}

export class S0Ledger {
  readonly slots: S0SlotMetrics[] = [];
  private readonly shares = new Map<string, OpenShare>();
  private readonly byTask = new Map<number, string[]>();
  private readonly engaged: number[] = [];
  private readonly muSum: number[] = [];
  private readonly fidSum: { n: number; s: number; byUav: Map<number, { n: number; s: number }> }[] = [];
  private readonly taskBits: number[] = [];

  /** Records a planned slot. `cold`: the same slot formed from singletons (no warm start), for the comparison. */
  planned(slot: number, planUs: number, requests: number, out: S0SlotOutput, o: { warmStart: boolean; cold?: S0SlotOutput['coalition']; ratios: Record<number, number>; uavs: number; requestBits: number }): S0SlotMetrics {
    const c = out.coalition;
    const cold = o.cold ?? c;
    const coalitions: S0Coalition[] = [];
    for (const f of out.shares) {
      this.shares.set(key(f.taskId, f.uavId), { f, slot, planUs });
      this.byTask.set(f.taskId, [...(this.byTask.get(f.taskId) ?? []), key(f.taskId, f.uavId)]);
      let co = coalitions.find((x) => x.taskId === f.taskId);
      if (!co) coalitions.push((co = { taskId: f.taskId, userId: f.userId, uavIds: [], shareBits: [], predictedDelayS: f.delayS, deadlineS: f.deadlineS }));
      co.uavIds.push(f.uavId);
      co.shareBits.push(f.shareBits);
    }
    this.engaged[slot] = c.assignments.reduce((a, x) => a + x.memberUtilisation.length, 0);
    this.muSum[slot] = 0;
    this.fidSum[slot] = { n: 0, s: 0, byUav: new Map() };
    const m: S0SlotMetrics = {
      slot, planner: c.algo, planUs, requests, servedMeds: coalitions.length, coalitions, uavs: o.uavs, energySaving: [...out.plans.values()].filter((p) => p.energy_saving).length,
      predicted: { utilisation: c.utilisationMembers, energyJ: c.totalEnergyJ, meanParticipantUtility: c.meanParticipantUtility, totalWorth: c.totalWorth, servedFraction: c.servedFraction },
      formation: {
        warmStart: o.warmStart, iterations: c.iterations, iterationsCold: cold.iterations, worth: c.totalWorth, worthCold: cold.totalWorth,
        u2uMessages: c.assignments.reduce((a, x) => a + x.u2uMessagesWithDt, 0), u2uMessagesWithoutDt: c.assignments.reduce((a, x) => a + x.u2uMessagesWithoutDt, 0),
      },
      sharesPlanned: out.shares.length, sharesComputed: 0, sharesLate: 0, sharesFailed: 0, sharesDuplicate: 0, medsCompleted: 0, medsLate: 0,
      flown: { utilisation: 0, energyTrJ: 0, energyCpJ: 0, energyHoverJ: 0, energyJ: 0, servedBits: 0, servedFraction: 0 },
      fidelity: 1, fidelityByUav: {}, computeRatio: { ...o.ratios },
    };
    this.taskBits[slot] = o.requestBits;
    this.slots[slot] = m;
    return m;
  }

  /** Whether the share's completion was already counted. */
  isDone(taskId: number, uavId: number): boolean {
    return this.shares.get(key(taskId, uavId))?.done !== undefined;
  }

  /** The forecast of a planned share (undefined for unknown ones). */
  forecast(taskId: number, uavId: number): S0ShareForecast | undefined {
    return this.shares.get(key(taskId, uavId))?.f;
  }

  /**
   * A share's completion from its UAV, with the twin's fidelity F_f for it (fidelity.ts). Returns
   * the task's coalition when this was its last share.
   */
  shareDone(c: TaskCompletion, fidelity: number | undefined): S0Coalition | undefined {
    const sh = this.shares.get(key(c.task_id, c.uav_id));
    if (!sh) return undefined;
    const m = this.slots[sh.slot]!;
    if (sh.done) {
      m.sharesDuplicate++;
      return undefined;
    }
    sh.done = c;
    if (c.failed) {
      m.sharesFailed++;
    } else {
      m.sharesComputed++;
      if (c.late) m.sharesLate++;
      m.flown.energyTrJ += c.tx_energy_j;
      m.flown.energyCpJ += c.compute_energy_j;
      m.flown.servedBits += c.part_bits;
      if (c.compute_s > 0) this.muSum[sh.slot]! += sh.f.cycles / c.compute_s / sh.f.maxCpuHz;
      m.flown.utilisation = this.engaged[sh.slot]! > 0 ? this.muSum[sh.slot]! / this.engaged[sh.slot]! : 0;
      m.flown.servedFraction = this.taskBits[sh.slot]! > 0 ? m.flown.servedBits / this.taskBits[sh.slot]! : 0;
      if (fidelity !== undefined) {
        const fs = this.fidSum[sh.slot]!;
        fs.n++;
        fs.s += fidelity;
        const u = fs.byUav.get(c.uav_id) ?? { n: 0, s: 0 };
        u.n++;
        u.s += fidelity;
        fs.byUav.set(c.uav_id, u);
        m.fidelity = fs.s / fs.n;
        m.fidelityByUav = Object.fromEntries([...fs.byUav].map(([id, v]) => [id, v.s / v.n]));
      }
    }
    m.flown.energyJ = m.flown.energyTrJ + m.flown.energyCpJ + m.flown.energyHoverJ;
    const keys = this.byTask.get(c.task_id)!;
    const all = keys.map((k) => this.shares.get(k)!);
    if (!all.every((s) => s.done)) return undefined;
    // Every share is back: the MED's task is complete (S0: T̃_g = the slowest member, Eq. 19's hover time).
    const co = m.coalitions.find((x) => x.taskId === c.task_id)!;
    const t = Math.max(...all.map((s) => (s.done!.done_t_us - s.planUs) / 1e6));
    co.delayS = t;
    co.late = all.some((s) => s.done!.failed) || t > co.deadlineS + 1e-9;
    m.medsCompleted++;
    if (co.late) m.medsLate++;
    m.flown.energyHoverJ += all.filter((s) => !s.done!.failed).reduce((a, s) => a + s.f.hoverW * t, 0);
    m.flown.energyJ = m.flown.energyTrJ + m.flown.energyCpJ + m.flown.energyHoverJ;
    return co;
  }

  totals(): S0Totals {
    const s = this.slots.filter(Boolean);
    const sum = (f: (m: S0SlotMetrics) => number) => s.reduce((a, m) => a + f(m), 0);
    const mean = (f: (m: S0SlotMetrics) => number, w: (m: S0SlotMetrics) => number) => (sum(w) > 0 ? sum((m) => f(m) * w(m)) / sum(w) : 0);
    const iterations = sum((m) => m.formation.iterations);
    const iterationsCold = sum((m) => m.formation.iterationsCold);
    const withShares = s.filter((m) => m.sharesComputed > 0);
    return {
      slots: s.length, requests: sum((m) => m.requests), servedMeds: sum((m) => m.servedMeds), sharesPlanned: sum((m) => m.sharesPlanned), sharesComputed: sum((m) => m.sharesComputed),
      sharesLate: sum((m) => m.sharesLate), sharesFailed: sum((m) => m.sharesFailed), sharesDuplicate: sum((m) => m.sharesDuplicate), medsCompleted: sum((m) => m.medsCompleted), medsLate: sum((m) => m.medsLate),
      predictedUtilisation: mean((m) => m.predicted.utilisation, (m) => (m.servedMeds > 0 ? 1 : 0)), flownUtilisation: mean((m) => m.flown.utilisation, (m) => (m.sharesComputed > 0 ? 1 : 0)),
      predictedEnergyJ: sum((m) => m.predicted.energyJ), flownEnergyJ: sum((m) => m.flown.energyJ), totalWorth: sum((m) => m.predicted.totalWorth),
      meanParticipantUtility: mean((m) => m.predicted.meanParticipantUtility, (m) => m.sharesPlanned),
      servedFraction: mean((m) => m.flown.servedFraction, (m) => (m.requests > 0 ? 1 : 0)),
      iterations, iterationsCold, iterationReduction: iterationsCold > 0 ? 1 - iterations / iterationsCold : 0, worth: sum((m) => m.formation.worth), worthCold: sum((m) => m.formation.worthCold),
      u2uMessages: sum((m) => m.formation.u2uMessages), u2uMessagesWithoutDt: sum((m) => m.formation.u2uMessagesWithoutDt),
      firstFidelity: withShares[0]?.fidelity ?? 1, lastFidelity: withShares[withShares.length - 1]?.fidelity ?? 1, meanFidelity: mean((m) => m.fidelity, (m) => m.sharesComputed),
    };
  }
}

export interface S0Totals extends S0Counts {
  slots: number;
  /** Mean over slots with coalitions of the planned / measured utilisation of engaged UAVs (S0 Fig. 9). */
  predictedUtilisation: number;
  flownUtilisation: number;
  predictedEnergyJ: number;
  flownEnergyJ: number;
  totalWorth: number;
  meanParticipantUtility: number;
  servedFraction: number;
  iterations: number;
  iterationsCold: number;
  /** 1 − iterations / iterationsCold (the warm start's saving; 0 without it). */
  iterationReduction: number;
  worth: number;
  worthCold: number;
  u2uMessages: number;
  u2uMessagesWithoutDt: number;
  /** Mean F_f of the first and last slots with measured shares, and over all shares. */
  firstFidelity: number;
  lastFidelity: number;
  meanFidelity: number;
}

const key = (taskId: number, uavId: number) => `${taskId}:${uavId}`;
