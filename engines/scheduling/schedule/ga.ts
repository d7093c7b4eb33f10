import type { Rng } from '../../../core/rng.ts';
import type { Assignment, CompiledProblem } from './problem.ts';
import { Decoder, repairOrder } from './decode.ts';
import { heft } from './heuristics.ts';

/**
 * The improved GA of S1 §4.2 (Algorithm S2 is in S1's supplement; this follows SPEC §5.3).
 * Chromosome: a topological order of the merged subtasks + per subtask the UAV index and CPU
 * frequency level. Fitness = the decoder's `max_n (γ E_move + E_c)` + a budget penalty
 * (S1 (19)). Elitism, tournament selection, order-preserving crossover, three mutations.
 *
 * - Crossover: cut point c; the child keeps parent A's first c tasks in A's order, then the rest
 *   in B's order — both parents are topological, so the child is too (no repair needed); tasks
 *   from A's prefix take A's UAV/level genes, the others B's, keeping co-adapted blocks.
 * - Mutation: per-gene UAV and level resets; moving one task to a random position inside its
 *   precedence window (still topological); and a balancing move of a task from the UAV with the
 *   largest objective to the one with the smallest ("improved" operator aimed at the max).
 * - Local search ("memetic" step): the best individual is periodically hill-climbed over single
 *   UAV / level changes in random order and adjacent swaps in the order (first improvement,
 *   bounded budget), and once more at
 *   the end. Ties of the max objective are broken by the mean per-UAV objective, so the search
 *   can lower the non-critical UAVs and make room.
 * - Seeding: with `seedHeft`, the HEFT solution and mutants of it join the initial population;
 *   with elitism the GA is therefore never worse than HEFT.
 */
export interface GaOptions {
  readonly population: number;
  readonly generations: number;
  /** After this many generations without improvement: restart (keeping the elite) or stop. */
  readonly patience: number;
  /** Restarts on stagnation: all but the elite replaced by mutants of the best and random individuals. */
  readonly restarts: number;
  readonly elite: number;
  readonly tournament: number;
  readonly crossoverRate: number;
  /** Expected number of UAV (and, separately, level) gene resets per child. */
  readonly geneMutations: number;
  /** Probability of a precedence-window move per child. */
  readonly orderMutationRate: number;
  /** Probability of a balancing move per child. */
  readonly balanceMutationRate: number;
  readonly seedHeft: boolean;
  /** Every this many generations the best individual gets a local-search pass (0 = never). */
  readonly localSearchEvery: number;
  /** Max decoder evaluations per local-search pass. */
  readonly localSearchBudget: number;
  /** Hard cap on decoder evaluations (the latency knob; ≈ 10–40 µs each at 500 subtasks). */
  readonly maxEvaluations: number;
}

export const DEFAULT_GA: GaOptions = {
  population: 40,
  generations: 200,
  patience: 40,
  restarts: 3,
  elite: 2,
  tournament: 3,
  crossoverRate: 0.9,
  geneMutations: 1.5,
  orderMutationRate: 0.5,
  balanceMutationRate: 0.3,
  seedHeft: true,
  localSearchEvery: 10,
  localSearchBudget: 400,
  maxEvaluations: 3000,
};

export interface GaResult {
  readonly best: Assignment;
  readonly fitness: number;
  readonly generations: number;
  readonly evaluations: number;
  /** Best fitness after each generation (index 0 = initial population). */
  readonly history: readonly number[];
}

interface Individual {
  order: Int32Array;
  uav: Int32Array;
  level: Int32Array;
  fitness: number;
}

export function runGa(cp: CompiledProblem, rng: Rng, options: Partial<GaOptions> = {}, seeds: readonly Assignment[] = []): GaResult {
  const o: GaOptions = { ...DEFAULT_GA, ...options };
  const { T, N, L } = cp;
  const dec = new Decoder(cp);
  let evaluations = 0;
  let bestEver: Individual | undefined;
  const tieWeight = 1e-3 / N;
  /** Search score: fitness + a small share of the per-UAV objectives (tie-break of the max). */
  const score = (ind: Individual): number => {
    const f = dec.run(ind.order, ind.uav, ind.level);
    evaluations++;
    if (bestEver === undefined || f < bestEver.fitness) bestEver = { order: ind.order.slice(), uav: ind.uav.slice(), level: ind.level.slice(), fitness: f };
    let sum = 0;
    for (let n = 0; n < N; n++) sum += cp.gamma * (cp.fixedMove[n]! + cp.hover[n]! * (dec.free[n]! - cp.ssc)) + dec.ec[n]!;
    return f + tieWeight * sum;
  };
  const evaluate = (ind: Individual): Individual => {
    ind.fitness = score(ind);
    return ind;
  };
  const localSearch = (ind: Individual, budget: number): void => {
    let cur = ind.fitness;
    let used = 0;
    let improved = true;
    while (improved && used < budget) {
      improved = false;
      const tasks = rng.shuffle(Array.from({ length: T }, (_, t) => t));
      for (const t of tasks) {
        if (used >= budget) break;
        const u0 = ind.uav[t]!;
        const l0 = ind.level[t]!;
        let bestU = u0;
        let bestL = l0;
        for (let n = 0; n < N && used < budget; n++)
          for (let l = 0; l < L && used < budget; l++) {
            if (n === u0 && l === l0) continue;
            ind.uav[t] = n;
            ind.level[t] = l;
            const f = score(ind);
            used++;
            if (f < cur - 1e-12 * Math.abs(cur)) {
              cur = f;
              bestU = n;
              bestL = l;
              improved = true;
            }
          }
        ind.uav[t] = bestU;
        ind.level[t] = bestL;
      }
      // order pass: swap adjacent tasks that are not precedence-related
      for (let k = 0; k + 1 < T && used < budget; k++) {
        const a = ind.order[k]!;
        const b = ind.order[k + 1]!;
        let related = false;
        for (let j = cp.succStart[a]!; j < cp.succStart[a + 1]!; j++) if (cp.succList[j] === b) related = true;
        if (related) continue;
        ind.order[k] = b;
        ind.order[k + 1] = a;
        const f = score(ind);
        used++;
        if (f < cur - 1e-12 * Math.abs(cur)) {
          cur = f;
          improved = true;
        } else {
          ind.order[k] = a;
          ind.order[k + 1] = b;
        }
      }
    }
    ind.fitness = cur;
  };
  const clone = (a: Assignment): Individual => ({ order: a.order.slice(), uav: a.uav.slice(), level: a.level.slice(), fitness: Infinity });
  const P = Math.max(2, o.population);
  const pos = new Int32Array(T);
  const mark = new Int32Array(T);
  let stamp = 0;
  const objN = new Float64Array(N);

  const mutate = (c: Individual): void => {
    if (T === 0) return;
    const pm = o.geneMutations / T;
    for (let t = 0; t < T; t++) {
      if (N > 1 && rng.next() < pm) c.uav[t] = (c.uav[t]! + 1 + Math.floor(rng.next() * (N - 1))) % N;
      if (L > 1 && rng.next() < pm) c.level[t] = Math.floor(rng.next() * L);
    }
    if (rng.next() < o.orderMutationRate) moveInWindow(c.order);
    if (N > 1 && rng.next() < o.balanceMutationRate) balance(c);
  };

  const moveInWindow = (order: Int32Array): void => {
    for (let k = 0; k < T; k++) pos[order[k]!] = k;
    const k = Math.floor(rng.next() * T);
    const t = order[k]!;
    let lo = 0;
    let hi = T - 1;
    for (let j = cp.predStart[t]!; j < cp.predStart[t + 1]!; j++) lo = Math.max(lo, pos[cp.predList[j]!]! + 1);
    for (let j = cp.succStart[t]!; j < cp.succStart[t + 1]!; j++) hi = Math.min(hi, pos[cp.succList[j]!]! - 1);
    const dest = lo + Math.floor(rng.next() * (hi - lo + 1));
    if (dest > k) order.copyWithin(k, k + 1, dest + 1);
    else if (dest < k) order.copyWithin(dest + 1, dest, k);
    order[dest] = t;
  };

  const balance = (c: Individual): void => {
    dec.run(c.order, c.uav, c.level);
    evaluations++;
    let hiN = 0;
    let loN = 0;
    for (let n = 0; n < N; n++) {
      objN[n] = cp.gamma * (cp.fixedMove[n]! + cp.hover[n]! * (dec.free[n]! - cp.ssc)) + dec.ec[n]!;
      if (objN[n]! > objN[hiN]!) hiN = n;
      if (objN[n]! < objN[loN]!) loN = n;
    }
    if (hiN === loN) return;
    let count = 0;
    let pick = -1;
    for (let t = 0; t < T; t++) if (c.uav[t] === hiN && rng.next() * ++count < 1) pick = t;
    if (pick >= 0) c.uav[pick] = loN;
  };

  const crossover = (a: Individual, b: Individual): Individual => {
    const cut = 1 + Math.floor(rng.next() * Math.max(1, T - 1));
    stamp++;
    const order = new Int32Array(T);
    const uav = new Int32Array(T);
    const level = new Int32Array(T);
    for (let k = 0; k < cut; k++) {
      const t = a.order[k]!;
      order[k] = t;
      mark[t] = stamp;
      uav[t] = a.uav[t]!;
      level[t] = a.level[t]!;
    }
    let k = cut;
    for (let j = 0; j < T; j++) {
      const t = b.order[j]!;
      if (mark[t] === stamp) continue;
      order[k++] = t;
      uav[t] = b.uav[t]!;
      level[t] = b.level[t]!;
    }
    return { order, uav, level, fitness: Infinity };
  };

  const randomIndividual = (): Individual => {
    const prio = rng.shuffle(Array.from({ length: T }, (_, t) => t));
    return {
      order: repairOrder(cp, prio),
      uav: Int32Array.from({ length: T }, () => Math.floor(rng.next() * N)),
      level: Int32Array.from({ length: T }, () => Math.floor(rng.next() * L)),
      fitness: Infinity,
    };
  };

  let pop: Individual[] = seeds.map((s) => evaluate(clone(s)));
  if (o.seedHeft) {
    const h = heft(cp);
    pop.push(evaluate(clone(h)));
    const mutants = Math.floor(P / 4);
    for (let i = 0; i < mutants && pop.length < P; i++) {
      const m = clone(h);
      mutate(m);
      pop.push(evaluate(m));
    }
  }
  while (pop.length < P) pop.push(evaluate(randomIndividual()));
  pop.sort((x, y) => x.fitness - y.fitness);
  pop = pop.slice(0, P);

  const tournament = (): Individual => {
    let best = pop[Math.floor(rng.next() * pop.length)]!;
    for (let i = 1; i < o.tournament; i++) {
      const c = pop[Math.floor(rng.next() * pop.length)]!;
      if (c.fitness < best.fitness) best = c;
    }
    return best;
  };

  const history = [pop[0]!.fitness];
  let stale = 0;
  let gen = 0;
  let restartsLeft = o.restarts;
  for (; gen < o.generations && evaluations < o.maxEvaluations; gen++) {
    if (stale >= o.patience) {
      if (restartsLeft-- <= 0) break;
      const keep = pop.slice(0, Math.min(o.elite, P));
      const fresh: Individual[] = [...keep];
      while (fresh.length < P) {
        if (fresh.length % 2 === 0) fresh.push(evaluate(randomIndividual()));
        else {
          const m = clone(keep[0]!);
          for (let r = 0; r < 3; r++) mutate(m);
          fresh.push(evaluate(m));
        }
      }
      fresh.sort((x, y) => x.fitness - y.fitness);
      pop = fresh;
      stale = 0;
    }
    const next: Individual[] = pop.slice(0, Math.min(o.elite, P));
    while (next.length < P) {
      const a = tournament();
      const child = rng.next() < o.crossoverRate ? crossover(a, tournament()) : clone(a);
      mutate(child);
      next.push(evaluate(child));
    }
    next.sort((x, y) => x.fitness - y.fitness);
    if (o.localSearchEvery > 0 && (gen + 1) % o.localSearchEvery === 0) {
      localSearch(next[0]!, Math.min(o.localSearchBudget, o.maxEvaluations - evaluations));
      next.sort((x, y) => x.fitness - y.fitness);
    }
    const improved = next[0]!.fitness < pop[0]!.fitness - 1e-9 * Math.abs(pop[0]!.fitness);
    pop = next;
    history.push(pop[0]!.fitness);
    stale = improved ? 0 : stale + 1;
  }
  if (o.localSearchEvery > 0) localSearch(pop[0]!, Math.min(o.localSearchBudget, Math.max(0, o.maxEvaluations - evaluations)));
  const best = bestEver!;
  return { best: { order: best.order, uav: best.uav, level: best.level }, fitness: best.fitness, generations: gen, evaluations, history };
}
