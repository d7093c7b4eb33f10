/**
 * Coalition formation for one MED (SPEC §5.2, S0 §V, Algorithm 1) on the game of `game.ts`.
 *
 * Rules, tried in this order; the first change the involved UAVs prefer (order 'tu' or 'pareto',
 * see game.ts) is applied and the search restarts:
 * - merge (S0 Definition 2): two coalitions into their union;
 * - split (S0 Definition 3): a coalition into two parts — every bipartition for coalitions of up
 *   to `fullSplitMax` members, single-member detachments for larger ones;
 * - switch [choice, beyond S0]: one UAV leaves its coalition and joins another;
 * - exchange [choice, beyond S0]: two UAVs of different coalitions trade places.
 *
 * Why switch and exchange. With merge and split alone, the serving coalition can grow only by
 * absorbing a whole coalition and shrink only by splitting; a UAV whose best move is "leave the
 * serving coalition for an idle one" or "trade places with an idle UAV" has no rule for it, and
 * on S0-setting instances formation then ends ~1 % (worst ~19 %) below the best coalition. Switch
 * is the individual move of hedonic games (Bogomolnaia & Jackson's Nash/individual stability) and
 * exchange the pairwise one (exchange stability); each is a merge-then-split of the involved
 * coalitions done in one step, so D_hp stability (no preferred merge or split, Apt & Witzel) still
 * holds at the end, together with switch- and exchange-stability.
 *
 * Termination: under 'tu' every applied change raises W(Π) (game.ts), so no structure repeats;
 * under 'pareto' a revisited structure stops the loop (`converged` false), as does
 * `maxIterations`.
 *
 * Messages (S0 Fig. 6) [choice]: with the twin on the controller, evaluating a change needs no
 * U2U traffic and each applied change costs |involved| − 1 messages (the changed coalitions'
 * members confirm to one head); without a twin, every evaluated change also costs
 * |involved|·(|involved| − 1) messages (each involved UAV tells the others its utility).
 */
import type { F3Input } from './f3.ts';
import { beats, CoalitionCache, keyOf, paretoImproves, payoffs, servingIndex, TOL, type FormationOrder } from './game.ts';
import type { CoalitionEval } from './types.ts';

export interface FormationOptions {
  /** Preliminary structure (warm start, e.g. from the generative model); default singletons. */
  initial?: number[][];
  maxIterations?: number;
  fullSplitMax?: number;
  /** Preference order; default 'tu'. */
  order?: FormationOrder;
  /** Which rules beyond merge and split run; default both. `{ switch: false, exchange: false }` is S0's rule set. */
  rules?: { switch?: boolean; exchange?: boolean };
}

export interface FormationResult {
  structure: number[][];
  /** Index into `structure` of the serving coalition, or −1 if no coalition has v(g) > 0. */
  serving: number;
  servingEval?: CoalitionEval;
  /** W(Π): the serving coalition's worth v(g) (0 when none serves). */
  value: number;
  /** Applied changes, and by rule. */
  iterations: number;
  merges: number;
  splits: number;
  switches: number;
  exchanges: number;
  /** Candidate changes evaluated. */
  evaluations: number;
  u2uMessagesWithDt: number;
  u2uMessagesWithoutDt: number;
  converged: boolean;
}

const structKey = (s: number[][]): string => s.map(keyOf).sort().join('|');
const norm = (c: number[]): number[] => [...c].sort((a, b) => a - b);

/** Every split of `c` into two non-empty parts (c sorted); single-member detachments for big c. */
export function* bipartitions(c: readonly number[], fullSplitMax: number): Generator<[number[], number[]]> {
  if (c.length < 2) return;
  if (c.length > fullSplitMax) {
    for (const j of c) yield [[j], c.filter((x) => x !== j)];
    return;
  }
  const n = c.length;
  // Fix the first member in part A so each unordered split appears once.
  for (let mask = 0; mask < 1 << (n - 1); mask++) {
    const a = [c[0]!];
    const b: number[] = [];
    for (let t = 1; t < n; t++) ((mask >> (t - 1)) & 1 ? a : b).push(c[t]!);
    if (b.length > 0) yield [a, b];
  }
}

type Kind = 'merge' | 'split' | 'switch' | 'exchange';
interface Move {
  kind: Kind;
  /** Indices of the coalitions the change replaces. */
  removed: number[];
  /** The coalitions it creates (sorted, non-empty). */
  added: number[][];
}

/** All candidate changes of `s`, in rule order (merge, split, switch, exchange). */
function* moves(s: readonly number[][], fullSplitMax: number, sw: boolean, ex: boolean): Generator<Move> {
  for (let a = 0; a < s.length; a++) for (let b = a + 1; b < s.length; b++) yield { kind: 'merge', removed: [a, b], added: [norm([...s[a]!, ...s[b]!])] };
  for (let c = 0; c < s.length; c++) for (const [p, q] of bipartitions(s[c]!, fullSplitMax)) yield { kind: 'split', removed: [c], added: [p, q] };
  if (sw) {
    for (let a = 0; a < s.length; a++) {
      if (s[a]!.length < 2) continue; // a singleton joining another coalition is a merge
      for (const j of s[a]!) {
        const rest = s[a]!.filter((x) => x !== j);
        for (let b = 0; b < s.length; b++) if (b !== a) yield { kind: 'switch', removed: [a, b], added: [rest, norm([...s[b]!, j])] };
      }
    }
  }
  if (ex) {
    for (let a = 0; a < s.length; a++) {
      for (let b = a + 1; b < s.length; b++) {
        if (s[a]!.length < 2 && s[b]!.length < 2) continue; // swapping two singletons changes nothing
        for (const i of s[a]!) {
          for (const j of s[b]!) {
            yield { kind: 'exchange', removed: [a, b], added: [norm(s[a]!.map((x) => (x === i ? j : x))), norm(s[b]!.map((x) => (x === j ? i : x)))] };
          }
        }
      }
    }
  }
}

export function formCoalitions(input: F3Input, candidates: readonly number[], opts: FormationOptions = {}, cache = new CoalitionCache(input)): FormationResult {
  const maxIt = opts.maxIterations ?? 10_000;
  const fullSplitMax = opts.fullSplitMax ?? 10;
  const order = opts.order ?? 'tu';
  const sw = opts.rules?.switch ?? true;
  const ex = opts.rules?.exchange ?? true;
  const pool = new Set(candidates);
  let structure: number[][] = (opts.initial ?? candidates.map((j) => [j])).map(norm).filter((c) => c.length > 0);
  const placed = new Set(structure.flat());
  for (const j of placed) if (!pool.has(j)) throw new RangeError(`warm start names UAV ${j}, which is not a candidate`);
  if (placed.size !== structure.flat().length) throw new RangeError('warm start places a UAV in two coalitions');
  for (const j of candidates) if (!placed.has(j)) structure.push([j]);

  const seen = new Set([structKey(structure)]);
  const count: Record<Kind, number> = { merge: 0, split: 0, switch: 0, exchange: 0 };
  let iterations = 0, evaluations = 0, withDt = 0, withoutDt = 0;
  let converged = false;
  while (iterations < maxIt) {
    const vals = structure.map((c) => cache.value(c));
    const keys = structure.map(keyOf);
    const serving = servingIndex(cache, structure);
    // The three best unchanged coalitions: a change removes at most two.
    const ranked = structure
      .map((_, i) => i)
      .filter((i) => vals[i]! > TOL)
      .sort((a, b) => (beats(vals[a]!, keys[a]!, vals[b]!, keys[b]!) ? -1 : 1))
      .slice(0, 3);
    const before = order === 'pareto' ? payoffs(cache, structure) : undefined;
    const preferred = (m: Move): boolean => {
      // New serving coalition: best unchanged one vs the added ones.
      const keep = ranked.find((i) => !m.removed.includes(i));
      let winV = keep === undefined ? 0 : vals[keep]!;
      let winK = keep === undefined ? '' : keys[keep]!;
      let winAdded: number[] | undefined;
      for (const g of m.added) {
        const v = cache.value(g);
        if (v <= TOL) continue;
        const k = keyOf(g);
        if (beats(v, k, winV, winK)) {
          winV = v;
          winK = k;
          winAdded = g;
        }
      }
      if (order === 'tu') {
        const was = serving >= 0 && m.removed.includes(serving) ? vals[serving]! : 0;
        return (winAdded ? winV : 0) > was + TOL;
      }
      const involved = m.removed.flatMap((i) => structure[i]!);
      const after = new Map<number, number>(involved.map((j) => [j, 0]));
      if (winAdded) {
        const e = cache.get(winAdded);
        e.members.forEach((j, q) => after.set(j, e.participantUtility[q]!));
      }
      return paretoImproves(before!, after, involved);
    };
    let applied: Move | undefined;
    for (const m of moves(structure, fullSplitMax, sw, ex)) {
      evaluations++;
      const n = m.removed.reduce((a, i) => a + structure[i]!.length, 0);
      withoutDt += n * (n - 1);
      if (preferred(m)) {
        applied = m;
        break;
      }
    }
    if (!applied) {
      converged = true;
      break;
    }
    iterations++;
    count[applied.kind]++;
    const n = applied.removed.reduce((a, i) => a + structure[i]!.length, 0);
    withDt += n - 1;
    withoutDt += n - 1;
    const removed = applied.removed;
    structure = structure.filter((_, i) => !removed.includes(i)).concat(applied.added.filter((g) => g.length > 0));
    const k = structKey(structure);
    if (seen.has(k)) break;
    seen.add(k);
  }
  const serving = servingIndex(cache, structure);
  const res: FormationResult = {
    structure,
    serving,
    value: serving >= 0 ? cache.value(structure[serving]!) : 0,
    iterations,
    merges: count.merge,
    splits: count.split,
    switches: count.switch,
    exchanges: count.exchange,
    evaluations,
    u2uMessagesWithDt: withDt,
    u2uMessagesWithoutDt: withoutDt,
    converged,
  };
  if (serving >= 0) res.servingEval = cache.get(structure[serving]!);
  return res;
}
