/**
 * Features of one (MED request, candidate UAV) pair for the generative warm start of the S0
 * coalition game (SPEC §5.2 "Generative warm start", S0 §III-A). The model reads these and
 * outputs the probability that the UAV belongs to the serving coalition of the stable structure;
 * sampling/thresholding the per-UAV probabilities proposes a preliminary coalition structure
 * (serving coalition + singletons) that merge/split then refines. Pure.
 */
import { shareCap, type F3Input } from './f3.ts';
import { CoalitionCache } from './game.ts';

export const WARMSTART_FEATURES = [
  'worth_rel', // v({j}) / max_k v({k}) over candidates (0 if none positive)
  'worth_rank', // rank of v({j}) among candidates, 0 = best, scaled to [0, 1]
  'cost_rel', // cheapest cost per bit / this UAV's cost per bit (p_i / C_ij), in (0, 1]
  'cap_frac', // min(cache, C8, C9 cap) / s_i
  'cpu', // f_j,max / 10 GHz
  'deadline', // τ_i / 0.5 s
  'complexity', // ϑ_i / 300 cycles/bit
  'task', // s_i / 200 Mbit
  'candidates', // number of candidates / 30
] as const;

/** One feature row per candidate (order of `candidates`). */
export function membershipFeatures(input: F3Input, candidates: readonly number[], cache = new CoalitionCache(input)): number[][] {
  const { med, uavs, eff } = input;
  const worth = candidates.map((j) => Math.max(0, cache.value([j])));
  const maxW = Math.max(...worth, 0);
  const order = candidates.map((_, q) => q).sort((a, b) => worth[b]! - worth[a]! || a - b);
  const rank = new Array<number>(candidates.length);
  order.forEach((q, r) => (rank[q] = candidates.length > 1 ? r / (candidates.length - 1) : 0));
  const cost = candidates.map((j) => med.txPowerW / Math.max(1e-9, uavs[j]!.bandwidthHz * eff[j]!));
  const minCost = Math.min(...cost);
  return candidates.map((j, q) => {
    const u = uavs[j]!;
    const cap = shareCap(med, u, u.bandwidthHz * eff[j]!);
    return [
      maxW > 0 ? worth[q]! / maxW : 0, rank[q]!, minCost / cost[q]!, Math.min(1, cap / med.taskBits),
      u.cpuHz / 10e9, med.deadlineS / 0.5, med.cyclesPerBit / 300, med.taskBits / 200e6, candidates.length / 30,
    ];
  });
}

/** Preliminary structure from membership probabilities: {j : p_j ≥ threshold} plus singletons. */
export function proposeStructure(candidates: readonly number[], probabilities: ArrayLike<number>, threshold = 0.5): number[][] {
  const serving = candidates.filter((_, q) => probabilities[q]! >= threshold);
  return [...(serving.length ? [serving] : []), ...candidates.filter((_, q) => probabilities[q]! < threshold).map((j) => [j])];
}
