/**
 * S3's learning figures (SPEC §5.5; paper S3 §V): MUECRS (MADDPG, 3D) vs CEJOMU (MADDPG in 2D at its
 * start altitude, 10 m) vs D3QN (6 directions) vs RT (random trajectory), plus AO / AL (MUECRS trajectory with the
 * all-offload / all-local planner). Every learner is trained at S3's 30 users on the same fixed
 * layout for the same number of environment steps, over three seeds.
 *
 * - Fig. 4 (`s3-fig4`): episode reward during training, mean ± sd over seeds.
 * - Fig. 6 (`s3-fig6`): DOR per slot over S3's 500 evaluation slots at 30 users.
 * - Fig. 7 (`s3-fig7`): overall DOR (sum over 500 slots, as S3 reports 4238 at 30 users) vs users
 *   5–30, with the best static hover placement found by search as a reference ceiling. Every
 *   learner is retrained for each user count (observation = own position, S3 §IV-A1, so a policy
 *   is specific to its layout; layouts are nested: user i has the same position for every N).
 *   [choice] 5, 10, 20 and 30 users (S3 plots 5–30 in steps of 5), three seeds each: a run is
 *   2–5 min on this 2-core machine (the update dominates, not the environment), 36 runs ≈ 1.5 h
 *   (the checkpoints are cached, see runs.ts).
 */
import { join } from 'node:path';
import { createRng } from '../../../core/rng.ts';
import { makeEnv, type EnvId } from '../../../sim/envs/index.ts';
import type { AlgoName, Checkpoint, EvalStats } from '../../trainer/index.ts';
import { writeCsv, writeText } from '../csv.ts';
import { lineChart } from '../plot/svg.ts';
import type { ExperimentOptions, ExperimentRun } from '../registry.ts';
import { defaultRunDir, evaluateCheckpoint, evaluateRandom, smooth, spread, tfBackend, trainOrLoad, type RunSpec } from './runs.ts';

const LEARNERS: { algo: AlgoName; label: string }[] = [
  { algo: 'maddpg', label: 'MUECRS (MADDPG 3D)' },
  { algo: 'cejomu', label: 'CEJOMU (MADDPG 2D, start altitude 10 m)' },
  { algo: 'd3qn', label: 'D3QN (6 directions)' },
];

interface Setting { users: number; episodes: number; horizon: number; evalHorizon: number; seeds: number[]; userSweep: number[]; staticSamples: number }

export function s3Setting(o: Pick<ExperimentOptions, 'seed' | 'quick'>): Setting {
  return o.quick
    ? { users: 5, episodes: 2, horizon: 5, evalHorizon: 8, seeds: [o.seed], userSweep: [2, 5], staticSamples: 10 }
    : { users: 30, episodes: 120, horizon: 50, evalHorizon: 500, seeds: [o.seed, o.seed + 1, o.seed + 2], userSweep: [5, 10, 20, 30], staticSamples: 400 };
}

function spec(algo: AlgoName, seed: number, s: Setting, users = s.users): RunSpec {
  const envOverrides: Record<string, unknown> = { users };
  if (s.horizon !== 50) envOverrides.horizon = s.horizon;
  return { algo, env: 's3', seed, episodes: s.episodes, envOverrides };
}

async function trained(o: ExperimentOptions, s: Setting, users = s.users): Promise<Map<AlgoName, Checkpoint[]>> {
  const dir = defaultRunDir(o.quick, o.outDir);
  const out = new Map<AlgoName, Checkpoint[]>();
  for (const l of LEARNERS) {
    const cs: Checkpoint[] = [];
    for (const seed of s.seeds) cs.push(await trainOrLoad(spec(l.algo, seed, s, users), dir, (m) => console.error(m)));
    out.set(l.algo, cs);
  }
  return out;
}

/** Evaluation environment seed: fixed per root seed, shared by every policy (same task draws). */
const evalSeed = (o: ExperimentOptions) => 12_345 + o.seed;

/**
 * Best static hover placement (no flight): random search + local perturbation over the UAVs'
 * positions, scored by the mean DOR of `slots` slots. A reference ceiling for any trajectory in
 * steady state (S3's users are static), not a paper baseline.
 */
export function bestStaticHover(env: EnvId, overrides: Record<string, unknown>, samples: number, seed: number, slots = 20): { dor: number; positions: [number, number, number][] } {
  const rng = createRng(seed);
  const probe = makeEnv(env, 1, overrides);
  const { obsLow, obsHigh } = probe.spec.space;
  const n = probe.spec.nAgents;
  const score = (p: [number, number, number][]) => {
    const e = makeEnv(env, seed, { ...overrides, horizon: slots, startPositions: p });
    e.reset();
    let s = 0;
    for (let t = 0; t < slots; t++) s += e.step(p.map(() => [0, 0, 0])).info.objective;
    return s / slots;
  };
  const clip = (v: number, d: number) => Math.min(obsHigh[d]!, Math.max(obsLow[d]!, v));
  let best = { dor: -Infinity, positions: [] as [number, number, number][] };
  for (let i = 0; i < samples; i++) {
    const p = Array.from({ length: n }, () => [0, 1, 2].map((d) => rng.uniform(obsLow[d]!, obsHigh[d]!)) as [number, number, number]);
    const local = i >= samples / 2 && best.positions.length > 0;
    const cand = local ? best.positions.map((q) => q.map((v, d) => clip(v + (d < 2 ? 3 : 1) * rng.normal(), d)) as [number, number, number]) : p;
    const dor = score(cand);
    if (dor > best.dor) best = { dor, positions: cand };
  }
  return best;
}

interface Row { users: number; key: string; label: string; totals: number[]; perSlot: number[][]; penalties: number[] }

async function evalRow(o: ExperimentOptions, s: Setting, models: Map<AlgoName, Checkpoint[]>, users: number, key: string): Promise<Row> {
  const tf = await tfBackend();
  const over = { users, horizon: s.evalHorizon };
  const stats: EvalStats[] = [];
  let label = key;
  if (key === 'rt') {
    label = 'RT (random trajectory)';
    for (const seed of s.seeds) stats.push(await evaluateRandom('s3', evalSeed(o), 7_000 + seed, 1, { ...spec('maddpg', seed, s, users).envOverrides, ...over }));
  } else if (key === 'ao' || key === 'al') {
    label = key === 'ao' ? 'AO (MUECRS trajectory, all offload)' : 'AL (all local)';
    for (const c of models.get('maddpg')!) stats.push(await evaluateCheckpoint(tf, c, evalSeed(o), 1, { ...over, planner: key }));
  } else {
    label = LEARNERS.find((l) => l.algo === key)!.label;
    for (const c of models.get(key as AlgoName)!) stats.push(await evaluateCheckpoint(tf, c, evalSeed(o), 1, over));
  }
  return {
    users, key, label, totals: stats.map((st) => st.meanObjective * s.evalHorizon), perSlot: stats.map((st) => st.perSlotObjective), penalties: stats.map((st) => st.meanPenalty),
  };
}

export const fig4: ExperimentRun = async (o) => {
  const s = s3Setting(o);
  const models = await trained(o, s);
  const rows: (string | number)[][] = [];
  const series = LEARNERS.map((l) => {
    const curves = models.get(l.algo)!.map((c) => c.curve);
    const len = Math.min(...curves.map((c) => c.length));
    const means: number[] = [];
    for (let e = 0; e < len; e++) {
      const r = spread(curves.map((c) => c[e]!.reward));
      const d = spread(curves.map((c) => c[e]!.objective));
      const steps = curves[0]!.slice(0, e + 1).reduce((a, x) => a + x.steps, 0);
      rows.push([l.algo, e + 1, steps, r.mean, r.sd, r.min, r.max, d.mean, d.sd, r.n]);
      means.push(r.mean);
    }
    return { name: l.label, points: smooth(means, 9).map((y, i) => [i + 1, y] as const) };
  });
  const base = join(o.outDir, 's3-fig4-reward-curves');
  const csv = await writeCsv(`${base}.csv`, ['algo', 'episode', 'env_steps', 'reward_mean', 'reward_sd', 'reward_min', 'reward_max', 'dor_per_slot_mean', 'dor_per_slot_sd', 'seeds'], rows);
  const svg = await writeText(`${base}.svg`, lineChart({
    title: `S3 Fig. 4: episode reward during training, ${s.users} users, mean of ${s.seeds.length} seeds (9-episode smoothing)`,
    xLabel: `episode (${s.horizon} slots each)`, yLabel: 'episode reward (DOR − penalties)', series, markers: 'none',
  }));
  return { files: [csv, svg] };
};

export const fig6: ExperimentRun = async (o) => {
  const s = s3Setting(o);
  const models = await trained(o, s);
  const rows: (string | number)[][] = [];
  const series = [];
  for (const key of ['maddpg', 'cejomu', 'd3qn', 'rt']) {
    const r = await evalRow(o, s, models, s.users, key);
    const means = r.perSlot[0]!.map((_, t) => {
      const sp = spread(r.perSlot.map((p) => p[t]!));
      rows.push([key, t + 1, sp.mean, sp.sd, sp.min, sp.max, sp.n]);
      return sp.mean;
    });
    series.push({ name: r.label, points: means.map((y, t) => [t + 1, y] as const) });
  }
  const base = join(o.outDir, 's3-fig6-dor-per-slot');
  const csv = await writeCsv(`${base}.csv`, ['algo', 'slot', 'dor_mean', 'dor_sd', 'dor_min', 'dor_max', 'seeds'], rows);
  const svg = await writeText(`${base}.svg`, lineChart({
    title: `S3 Fig. 6: DOR per slot, ${s.users} users, mean of ${s.seeds.length} trained seeds`, xLabel: 'slot', yLabel: 'DOR', series, markers: 'none', yMin: 0,
  }));
  return { files: [csv, svg] };
};

export const fig7: ExperimentRun = async (o) => {
  const s = s3Setting(o);
  const keys = ['maddpg', 'cejomu', 'd3qn', 'rt', 'ao', 'al'];
  const rows: (string | number)[][] = [];
  const byKey = new Map<string, { label: string; pts: [number, number][]; err: number[] }>();
  const push = (key: string, label: string, users: number, v: ReturnType<typeof spread>) => {
    const e = byKey.get(key) ?? { label, pts: [], err: [] };
    e.pts.push([users, v.mean]);
    e.err.push(v.sd);
    byKey.set(key, e);
  };
  for (const users of s.userSweep) {
    const models = await trained(o, s, users);
    for (const key of keys) {
      const r = await evalRow(o, s, models, users, key);
      const t = spread(r.totals);
      rows.push([users, key, t.mean, t.sd, t.min, t.max, t.mean / s.evalHorizon, spread(r.penalties).mean, t.n]);
      push(key, r.label, users, t);
    }
    for (const [env, key, label] of [['s3', 'static-3d', 'best static hover, 3D (reference)'], ['s3-2d', 'static-2d', 'best static hover at 10 m (reference)']] as const) {
      const b = bestStaticHover(env, { users }, s.staticSamples, o.seed);
      const total = b.dor * s.evalHorizon;
      rows.push([users, key, total, 0, total, total, b.dor, 0, 1]);
      push(key, label, users, spread([total]));
    }
  }
  const base = join(o.outDir, 's3-fig7-dor-vs-users');
  const csv = await writeCsv(`${base}.csv`, ['users', 'algo', 'dor_total_mean', 'dor_total_sd', 'dor_total_min', 'dor_total_max', 'dor_per_slot_mean', 'penalty_per_episode_mean', 'seeds'], rows);
  const svg = await writeText(`${base}.svg`, lineChart({
    title: `S3 Fig. 7: overall DOR (${s.evalHorizon} slots) vs users; policies trained per user count, ${s.seeds.length} seeds (± sd)`,
    xLabel: 'number of users', yLabel: `overall DOR (sum over ${s.evalHorizon} slots)`, yMin: 0, yFloor: 0,
    series: [...byKey.values()].map((v) => ({ name: v.label, points: v.pts, errors: v.err })),
  }));
  return { files: [csv, svg] };
};
