/**
 * Slot planner for S0's task assignment (SPEC §5.2) with several MEDs.
 *
 * Multiple MEDs [choice]: S0 serves one MED per coalition and gives each request one coalition.
 * Requests are taken in earliest-deadline-first order (ties: larger task first, then id); for each,
 * the chosen algorithm runs over the UAVs not yet assigned, and the UAVs that received work
 * (s_j > 0) are assigned to that MED and leave the pool. Later MEDs thus see fewer UAVs; a MED
 * may get no coalition when no positive-utility coalition remains.
 */
import { dbmToW, distance3 } from '../../../core/models/channel.ts';
import { grandCoalition, nashEquilibrium } from './baselines.ts';
import type { F3Input } from './f3.ts';
import { formCoalitions, type FormationOptions } from './formation.ts';
import { CoalitionCache } from './game.ts';
import type { CoalitionEval, CoalitionInstance, CoalitionParams } from './types.ts';

export type CoalitionAlgo = 'coalition' | 'grand' | 'nash';

/**
 * [choice] weights for S0's setting (SPEC §5.6), which prints none: revenue φ = 10 per ln-Mbit,
 * ε = 10/J of MED transmission energy, α = 1/J of computing energy, β = 0.01/J of hovering
 * energy (168 W over ~0.3 s is ~50 J per member, so β ≪ α keeps hovering from swamping the rest);
 * B_max = 16 MHz, σ² = −110 dBm, γ = 4.
 */
export function defaultCoalitionParams(): CoalitionParams {
  return { phi: 10, epsilon: 10, alpha: 1, beta: 0.01, revenueUnitBits: 1e6, coalitionBandwidthHz: 16e6, noiseW: dbmToW(-110), pathLossExp: 4 };
}

export interface MedAssignment {
  medId: string;
  /** UAV ids with work, index-aligned with the arrays below. */
  uavIds: string[];
  shareBits: number[];
  bandwidthHz: number[];
  cpuHz: number[];
  participantUtility: number[];
  /** μ_j of every engaged UAV (see `CoalitionPlan.utilisationMembers`). */
  memberUtilisation: number[];
  /** U_g of the serving coalition (S0 Eq. 8; 0 if none). */
  coalitionUtility: number;
  /** Its worth v(g) = Σ u_j over the UAVs with work (game.ts; 0 if none). */
  coalitionWorth: number;
  delayS: number;
  /** E_tr + E_cp + E_h (S0 Eq. 7) of this assignment (J). */
  energyJ: number;
  /** Σ s_j / s_i. */
  servedFraction: number;
  /** Formation statistics (coalition) or best-response rounds (nash). */
  iterations: number;
  u2uMessagesWithDt: number;
  u2uMessagesWithoutDt: number;
  converged: boolean;
}

export interface CoalitionPlan {
  algo: CoalitionAlgo;
  assignments: MedAssignment[];
  /** Mean μ_j = f_j* ÷ f_j,max over UAVs with work (S0 Eq. 12); 0 when none works. */
  utilisation: number;
  /** Mean μ_j over every UAV (idle ones count 0). */
  utilisationAll: number;
  /**
   * Mean μ_j over the UAVs each algorithm engages: every member of the serving coalition, idle ones
   * counting 0 (coalition, grand — the grand coalition's members without work are S0's
   * "underutilised" UAVs), or the UAVs that chose a share (nash).
   */
  utilisationMembers: number;
  totalEnergyJ: number;
  /** Mean u_j over UAVs with work. */
  meanParticipantUtility: number;
  /** Σ over MEDs of the serving coalitions' worth v(g). */
  totalWorth: number;
  /** Σ_i served bits ÷ Σ_i s_i. */
  servedFraction: number;
  iterations: number;
}

export interface CoalitionPlanOptions {
  /** Warm start per MED id: UAV-id groups (e.g. from the generative model). */
  initial?: Record<string, string[][]>;
  maxIterations?: number;
  nashMaxRounds?: number;
  /** Coalition formation runs over at most this many free UAVs per MED (see `shortlist`); default 24. */
  maxCandidates?: number;
  /** Formation order and rule set (default: TU order, all four rules). */
  formation?: Pick<FormationOptions, 'order' | 'rules' | 'fullSplitMax'>;
}

/** Spectral efficiency log2(1 + |g|² p / σ²), |g|² = d^(−γ)·fading (SPEC §3 S0), [med][uav]. */
export function efficiencies(inst: CoalitionInstance): Float64Array[] {
  const { meds, uavs, params } = inst;
  return meds.map((m, i) => {
    const row = new Float64Array(uavs.length);
    uavs.forEach((u, j) => {
      const gain = distance3(m.pos, u.pos) ** -params.pathLossExp * (inst.fading?.[i]?.[j] ?? 1);
      row[j] = Math.log2(1 + (gain * m.txPowerW) / params.noiseW);
    });
    return row;
  });
}

export const DEFAULT_MAX_CANDIDATES = 24;

/**
 * [choice] Candidate shortlist for large fleets: the `max` free UAVs with the largest standalone
 * worth v({j}) for this MED (ties: lower index). Formation's first pass evaluates every pair of
 * candidates (O(n²) F3 solves), which dominates at 100 UAVs; the best coalition is small (a few
 * UAVs with the cheapest bits), so its members are among the best singletons in practice. The
 * cost of the cut is measured in coalition.test.ts (shortlist vs full pool at 30–40 UAVs).
 */
export function shortlist(cache: CoalitionCache, cand: readonly number[], max: number): number[] {
  if (cand.length <= max) return [...cand];
  return [...cand]
    .sort((a, b) => cache.value([b]) - cache.value([a]) || a - b)
    .slice(0, max)
    .sort((a, b) => a - b);
}

export function planCoalitions(inst: CoalitionInstance, algo: CoalitionAlgo = 'coalition', opts: CoalitionPlanOptions = {}): CoalitionPlan {
  const eff = efficiencies(inst);
  const uavIndex = new Map(inst.uavs.map((u, j) => [u.id, j]));
  const order = inst.meds.map((_, i) => i).sort((a, b) => {
    const A = inst.meds[a]!, B = inst.meds[b]!;
    return A.deadlineS - B.deadlineS || B.taskBits - A.taskBits || (A.id < B.id ? -1 : A.id > B.id ? 1 : 0);
  });
  const free = new Set(inst.uavs.map((_, j) => j));
  const assignments: MedAssignment[] = [];
  for (const i of order) {
    const med = inst.meds[i]!;
    const input: F3Input = { med, uavs: inst.uavs, eff: eff[i]!, params: inst.params };
    const cand = [...free].sort((a, b) => a - b);
    let ev: CoalitionEval | undefined;
    let stats = { iterations: 0, u2uMessagesWithDt: 0, u2uMessagesWithoutDt: 0, converged: true };
    if (cand.length > 0) {
      if (algo === 'grand') ev = grandCoalition(input, cand);
      else if (algo === 'nash') {
        const r = nashEquilibrium(input, cand, opts.nashMaxRounds ?? 200);
        ev = r.eval;
        stats = { iterations: r.rounds, u2uMessagesWithDt: 0, u2uMessagesWithoutDt: 0, converged: r.converged };
      } else {
        const cache = new CoalitionCache(input);
        const short = shortlist(cache, cand, opts.maxCandidates ?? DEFAULT_MAX_CANDIDATES);
        const inShort = new Set(short);
        const init = opts.initial?.[med.id]?.map((g) => g.map((id) => uavIndex.get(id)!).filter((j) => j !== undefined && inShort.has(j)));
        const r = formCoalitions(input, short, { ...opts.formation, initial: init, maxIterations: opts.maxIterations }, cache);
        ev = r.servingEval;
        stats = { iterations: r.iterations, u2uMessagesWithDt: r.u2uMessagesWithDt, u2uMessagesWithoutDt: r.u2uMessagesWithoutDt, converged: r.converged };
      }
    }
    const a: MedAssignment = { medId: med.id, uavIds: [], shareBits: [], bandwidthHz: [], cpuHz: [], participantUtility: [], memberUtilisation: [], coalitionUtility: 0, coalitionWorth: 0, delayS: 0, energyJ: 0, servedFraction: 0, ...stats };
    if (ev && ev.utility > 0) {
      ev.members.forEach((j, m) => {
        if (!(ev.shareBits[m]! > 0)) return;
        a.uavIds.push(inst.uavs[j]!.id);
        a.shareBits.push(ev.shareBits[m]!);
        a.bandwidthHz.push(ev.bandwidthHz[m]!);
        a.cpuHz.push(ev.cpuHz[m]!);
        a.participantUtility.push(ev.participantUtility[m]!);
        free.delete(j);
      });
      ev.members.forEach((j, m) => {
        if (algo !== 'nash' || ev.shareBits[m]! > 0) a.memberUtilisation.push(ev.cpuHz[m]! / inst.uavs[j]!.cpuHz);
      });
      a.coalitionUtility = ev.utility;
      a.coalitionWorth = a.participantUtility.reduce((x, y) => x + y, 0);
      a.delayS = ev.delayS;
      // Hover energy of the UAVs that work (members without work are dropped from the assignment).
      const workers = ev.members.filter((_, m) => ev.shareBits[m]! > 0);
      a.energyJ = ev.energyTrJ + ev.energyCpJ + workers.reduce((s, j) => s + inst.uavs[j]!.hoverW * ev.delayS, 0);
      a.servedFraction = a.shareBits.reduce((s, x) => s + x, 0) / med.taskBits;
    }
    assignments.push(a);
  }
  const mus: number[] = [];
  const utils: number[] = [];
  for (const a of assignments) {
    a.uavIds.forEach((id, m) => {
      mus.push(a.cpuHz[m]! / inst.uavs[uavIndex.get(id)!]!.cpuHz);
      utils.push(a.participantUtility[m]!);
    });
  }
  const mean = (v: number[]) => (v.length ? v.reduce((s, x) => s + x, 0) / v.length : 0);
  return {
    algo,
    assignments: order.map((_, q) => assignments[q]!),
    utilisation: mean(mus),
    utilisationAll: inst.uavs.length ? mus.reduce((s, x) => s + x, 0) / inst.uavs.length : 0,
    utilisationMembers: mean(assignments.flatMap((a) => a.memberUtilisation)),
    totalEnergyJ: assignments.reduce((s, a) => s + a.energyJ, 0),
    meanParticipantUtility: mean(utils),
    totalWorth: assignments.reduce((s, a) => s + a.coalitionWorth, 0),
    servedFraction: assignments.reduce((s, a) => s + a.shareBits.reduce((x, y) => x + y, 0), 0) / Math.max(1e-300, inst.meds.reduce((s, m) => s + m.taskBits, 0)),
    iterations: assignments.reduce((s, a) => s + a.iterations, 0),
  };
}
