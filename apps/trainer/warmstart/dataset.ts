/**
 * Labelled (request → stable coalition structure) pairs for the warm-start model (S0 §III-A used
 * ~200 labelled strategies): seeded S0-setting instances, formation from singletons (the
 * controller's `formCoalitions`), label 1 for members of the resulting serving coalition.
 */
import type { Rng } from '../../../core/rng.ts';
import { CoalitionCache, efficiencies, formCoalitions, generateS0Instance, type F3Input } from '../../../engines/planning/coalition/index.ts';
import { membershipFeatures } from './features.ts';

export interface WarmstartSample {
  input: F3Input;
  candidates: number[];
  features: number[][];
  labels: number[];
  /** Formation from singletons: iterations, evaluations and the stable value. */
  iterations: number;
  evaluations: number;
  value: number;
}

/** `count` requests, each with a UAV count drawn from `uavs` (S0 sweeps 5–30). */
export function warmstartDataset(rng: Rng, count: number, uavs: [number, number] = [5, 30]): WarmstartSample[] {
  return Array.from({ length: count }, () => {
    const inst = generateS0Instance(rng, { uavs: rng.int(uavs[0], uavs[1]) });
    const input: F3Input = { med: inst.meds[0]!, uavs: inst.uavs, eff: efficiencies(inst)[0]!, params: inst.params };
    const candidates = inst.uavs.map((_, j) => j);
    const cache = new CoalitionCache(input);
    const r = formCoalitions(input, candidates, {}, cache);
    const serving = new Set(r.serving >= 0 ? r.structure[r.serving]! : []);
    return {
      input, candidates, features: membershipFeatures(input, candidates, cache), labels: candidates.map((j) => (serving.has(j) ? 1 : 0)),
      iterations: r.iterations, evaluations: r.evaluations, value: r.value,
    };
  });
}
