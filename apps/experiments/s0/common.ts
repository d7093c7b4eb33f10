/**
 * Shared pieces of the S0 figure reproductions (SPEC §5.6): one task request per slot (S0 serves
 * one MED per coalition per slot), Rayleigh fading, the three algorithms of S0 §VII.
 */
import type { Rng } from '../../../core/rng.ts';
import { generateS0Instance, planCoalitions, type CoalitionAlgo, type CoalitionInstance, type S0GenOptions } from '../../../engines/planning/coalition/index.ts';

export const S0_ALGOS: readonly CoalitionAlgo[] = ['coalition', 'grand', 'nash'];
export const S0_LABELS: Record<string, string> = { coalition: 'TU coalition (ours)', grand: 'grand coalition', nash: 'Nash (non-cooperative)' };

export function s0Instance(rng: Rng, o: Omit<S0GenOptions, 'rayleigh'>): CoalitionInstance {
  return generateS0Instance(rng, { meds: 1, ...o, rayleigh: true });
}

/** Metrics of one plan: utilisation (S0 Eq. 12), energy (Eq. 7), utilities (Eq. 8, 10), worth. */
export function s0Metrics(inst: CoalitionInstance, algo: string): Record<string, number> {
  const p = planCoalitions(inst, algo as CoalitionAlgo);
  const working = p.assignments.reduce((s, a) => s + a.uavIds.length, 0);
  return {
    utilisation: p.utilisationMembers,
    utilisation_working: p.utilisation,
    utilisation_all: p.utilisationAll,
    energy_j: p.totalEnergyJ,
    participant_utility: p.meanParticipantUtility,
    coalition_utility: p.assignments.reduce((s, a) => s + a.coalitionUtility, 0),
    worth: p.totalWorth,
    served_fraction: p.servedFraction,
    working_uavs: working,
    energy_per_mbit_j: p.servedFraction > 0 ? p.totalEnergyJ / ((p.servedFraction * inst.meds.reduce((s, m) => s + m.taskBits, 0)) / 1e6) : Number.NaN,
  };
}
