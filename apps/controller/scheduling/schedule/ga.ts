import type { Rng } from '../../../../core/rng.ts';
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
 * - Seeding: with `seedHeft`, the HEFT solution and mutants of it join the initial population;
 *   with elitism the GA is therefore never worse than HEFT.
 */
export interface GaOptions {
  readonly population: number;
  readonly generations: number;
  /** Stop after this many generations without improvement. */
  readonly patience: number;
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
}

export const DEFAULT_GA: GaOptions = {
  population: 40,
  generations: 200,
  patience: 60,
  elite: 2,
  tournament: 3,
  crossoverRate: 0.9,
  geneMutations: 1.5,
  orderMutationRate: 0.5,
  balanceMutationRate: 0.3,
  seedHeft: true,
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
  const evaluate = (ind: Individual): Individual => {
    ind.fitness = dec.run(ind.order, ind.uav, ind.level);
    evaluations++;
    return ind;
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
  for (; gen < o.generations && stale < o.patience; gen++) {
    const next: Individual[] = pop.slice(0, Math.min(o.elite, P));
    while (next.length < P) {
      const a = tournament();
      const child = rng.next() < o.crossoverRate ? crossover(a, tournament()) : clone(a);
      mutate(child);
      next.push(evaluate(child));
    }
    next.sort((x, y) => x.fitness - y.fitness);
    const improved = next[0]!.fitness < pop[0]!.fitness - 1e-9 * Math.abs(pop[0]!.fitness);
    pop = next;
    history.push(pop[0]!.fitness);
    stale = improved ? 0 : stale + 1;
  }
  const best = pop[0]!;
  return { best: { order: best.order, uav: best.uav, level: best.level }, fitness: best.fitness, generations: gen, evaluations, history };
}
