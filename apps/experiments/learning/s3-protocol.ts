/**
 * The S3 learning experiments' protocol and evaluation rows (issue 16; SPEC §5.5, paper S3 §V):
 * every learner (MUECRS = MADDPG 3D, CEJOMU = MADDPG 2D at 10 m, D3QN) is trained with the same
 * episode length, step budget and step-scheduled exploration (`S3_PROTOCOL`), and every policy
 * is evaluated on S3's 500 slots against the oracle (straight flight from the same start corners
 * to the best static placement found, then hover; sim/envs/s3-oracle.ts).
 */
import { s3Oracle, type PlacementSearch, DEFAULT_PLACEMENT_SEARCH } from '../../../sim/envs/index.ts';
import { episodesFor, evaluatePolicy, S3_PROTOCOL, s3Selection, type AlgoName, type Checkpoint, type EvalStats } from '../../trainer/index.ts';
import { makeEnv } from '../../../sim/envs/index.ts';
import type { ExperimentOptions } from '../registry.ts';
import { evaluateCheckpoint, evaluateRandom, spread, tfBackend, type RunSpec } from './runs.ts';

export const LEARNERS: { algo: AlgoName; label: string }[] = [
  { algo: 'maddpg', label: 'MUECRS (MADDPG 3D)' },
  { algo: 'cejomu', label: 'CEJOMU (MADDPG 2D, start altitude 10 m)' },
  { algo: 'd3qn', label: 'D3QN (6 directions)' },
];

export interface S3Setting {
  users: number;
  /** Slots per training episode. */
  horizon: number;
  /** Env steps per run. */
  steps: number;
  episodes: number;
  evalHorizon: number;
  /** First slot of the "after arrival" window. */
  lateFrom: number;
  /** Seeds at the main point (30 users: Figs. 4, 6 and Fig. 7's 30-user point). */
  seeds: number[];
  /** Seeds at Fig. 7's other user counts. */
  sweepSeeds: number[];
  userSweep: number[];
  search: PlacementSearch;
}

/**
 * [choice] Fig. 7's other user counts (5, 10, 20) train one seed per learner (`sweepSeeds`), the
 * 30-user point three (where the targets are set): a run costs 3–6 min of CPU, and the 2-core
 * machine is shared; `sweepSeeds: [seed, seed + 1, seed + 2]` gives the full sweep.
 */
export function s3Setting(o: Pick<ExperimentOptions, 'seed' | 'quick'>): S3Setting {
  if (o.quick) {
    return { users: 5, horizon: 5, steps: 10, episodes: 2, evalHorizon: 8, lateFrom: 5, seeds: [o.seed], sweepSeeds: [o.seed], userSweep: [2, 5], search: { samples: 10, seed: o.seed, slots: 4 } };
  }
  const p = S3_PROTOCOL;
  return {
    users: 30, horizon: p.horizon, steps: p.steps, episodes: episodesFor(p.steps, p.horizon), evalHorizon: p.evalSlots, lateFrom: p.lateFromSlot,
    seeds: [o.seed, o.seed + 1, o.seed + 2], sweepSeeds: [o.seed], userSweep: [5, 10, 20, 30], search: { ...DEFAULT_PLACEMENT_SEARCH, seed: o.seed },
  };
}

/** Seeds trained at `users`. */
export const seedsAt = (s: S3Setting, users: number) => (users === s.users ? s.seeds : s.sweepSeeds);

/**
 * One run of the protocol. The protocol's hyper-parameters are written out (not left to the
 * defaults) so a cached checkpoint is reused only when it was trained with them; tag `p16v` keeps
 * these runs (with model selection) apart from the earlier `p16` runs (last policy) and the
 * 50-slot, per-episode-exploration runs before them.
 */
export function s3RunSpec(algo: AlgoName, seed: number, s: S3Setting, users = s.users): RunSpec {
  const decay = Math.round((S3_PROTOCOL.exploreDecaySteps * s.steps) / S3_PROTOCOL.steps);
  const shared = { updateEvery: S3_PROTOCOL.updateEvery };
  const algoOverrides: Record<string, unknown> = algo === 'd3qn'
    ? { ...shared, epsDecaySteps: decay }
    : { ...shared, actionReg: S3_PROTOCOL.actionReg, noiseDecaySteps: decay };
  const select = { ...s3Selection(seed), slots: s.evalHorizon };
  return { algo, env: 's3', seed, episodes: s.episodes, envOverrides: { users, horizon: s.horizon }, algoOverrides, tag: 'p16v', select };
}

/** Evaluation environment seed: fixed per root seed, shared by every policy (same task draws). */
export const evalSeed = (o: Pick<ExperimentOptions, 'seed'>) => 12_345 + o.seed;

export interface Row {
  users: number; key: string; label: string;
  /** Per seed: DOR summed over the evaluation slots. */
  totals: number[];
  /** Per seed: mean DOR per slot from `lateFrom` on. */
  late: number[];
  perSlot: number[][];
  penalties: number[];
  /** Per seed (learners): the episode whose policy model selection kept. */
  selected: (number | undefined)[];
  /** Per seed (learners with model selection): DOR over the evaluation slots of the run's last policy. */
  lastTotals: number[];
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

function row(users: number, key: string, label: string, stats: EvalStats[], s: S3Setting, selected: (number | undefined)[] = [], lastTotals: number[] = []): Row {
  return {
    users, key, label, selected, lastTotals,
    totals: stats.map((st) => sum(st.perSlotObjective)),
    late: stats.map((st) => { const l = st.perSlotObjective.slice(s.lateFrom - 1); return l.length ? sum(l) / l.length : NaN; }),
    perSlot: stats.map((st) => st.perSlotObjective), penalties: stats.map((st) => st.meanPenalty),
  };
}

export const ROW_KEYS = ['maddpg', 'cejomu', 'd3qn', 'rt', 'ao', 'al', 'oracle', 'oracle-2d'] as const;

/** The learner whose trained policies a row needs (AO/AL fly MUECRS's trajectory), if any. */
export function learnerOf(key: string): AlgoName | undefined {
  if (key === 'ao' || key === 'al') return 'maddpg';
  return LEARNERS.some((l) => l.algo === key) ? (key as AlgoName) : undefined;
}

/** Whether a row can be evaluated with the trained policies at hand. */
export const rowAvailable = (key: string, models: ReadonlyMap<AlgoName, unknown>) => {
  const l = learnerOf(key);
  return l === undefined || models.has(l);
};

/** Evaluates one row (a learner over its seeds, a baseline, or an oracle) at `users`. */
export async function evalRow(o: ExperimentOptions, s: S3Setting, models: Map<AlgoName, Checkpoint[]>, users: number, key: string): Promise<Row> {
  const tf = await tfBackend();
  const over = { users, horizon: s.evalHorizon };
  const stats: EvalStats[] = [];
  if (key === 'rt') {
    const seeds = seedsAt(s, users);
    for (const seed of seeds.length ? seeds : [o.seed]) stats.push(await evaluateRandom('s3', evalSeed(o), 7_000 + seed, 1, { ...s3RunSpec('maddpg', seed, s, users).envOverrides, ...over }));
    return row(users, key, 'RT (random trajectory)', stats, s);
  }
  if (key === 'ao' || key === 'al') {
    for (const c of models.get('maddpg')!) stats.push(await evaluateCheckpoint(tf, c, evalSeed(o), 1, { ...over, planner: key }));
    return row(users, key, key === 'ao' ? 'AO (MUECRS trajectory, all offload)' : 'AL (all local)', stats, s);
  }
  if (key === 'oracle' || key === 'oracle-2d') {
    const env = key === 'oracle' ? 's3' : 's3-2d';
    const oracle = s3Oracle(env, { users }, s.search);
    stats.push(await evaluatePolicy(makeEnv(env, evalSeed(o), over), oracle.act, 1));
    return row(users, key, key === 'oracle' ? 'oracle (fly to best placement, hover)' : 'oracle at 10 m (2D)', stats, s);
  }
  const cs = models.get(key as AlgoName)!;
  const last: number[] = [];
  for (const c of cs) {
    stats.push(await evaluateCheckpoint(tf, c, evalSeed(o), 1, over));
    if (c.best) last.push(sum((await evaluateCheckpoint(tf, { ...c, best: undefined }, evalSeed(o), 1, over)).perSlotObjective));
  }
  return row(users, key, LEARNERS.find((l) => l.algo === key)!.label, stats, s, cs.map((c) => c.best?.episode), last);
}

/** Summary of a row against the (3D) oracle row of the same user count. */
export function againstOracle(r: Row, oracle: Row) {
  const t = spread(r.totals), l = spread(r.late);
  const ot = oracle.totals[0]!, ol = oracle.late[0]!;
  return { total: t, late: l, fraction: ot > 0 ? t.mean / ot : NaN, fractionSd: ot > 0 ? t.sd / ot : NaN, fractionLate: ol > 0 ? l.mean / ol : NaN, penalty: spread(r.penalties).mean };
}
