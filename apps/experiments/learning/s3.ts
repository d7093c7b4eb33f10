/**
 * S3's learning figures (SPEC §5.5; paper S3 §V) on the issue-16 protocol (s3-protocol.ts):
 * MUECRS (MADDPG, 3D) vs CEJOMU (MADDPG in 2D at its start altitude, 10 m) vs D3QN (6 directions)
 * vs RT (random trajectory), AO / AL (MUECRS trajectory with the all-offload / all-local planner),
 * and the oracle (straight flight to the best static placement found, then hover) that every
 * policy is reported against, over 500 slots and over slots 51–500.
 *
 * - Fig. 4 (`s3-fig4`): episode reward during training, mean ± sd over seeds, vs env steps.
 * - Fig. 6 (`s3-fig6`): DOR per slot over S3's 500 evaluation slots at 30 users (+ a summary CSV:
 *   totals, slots 51–500, fractions of the oracle, per seed).
 * - Fig. 7 (`s3-fig7`): overall DOR (sum over 500 slots, as S3 reports 4238 at 30 users) vs users
 *   5–30. Every learner is retrained per user count (observation = own position, S3 §IV-A1, so a
 *   policy is specific to its layout; layouts are nested: user i has the same position for every
 *   N). Checkpoints are cached in runs/learning (runs.ts).
 */
import { join } from 'node:path';
import type { AlgoName, Checkpoint } from '../../trainer/index.ts';
import { writeCsv, writeText } from '../csv.ts';
import { lineChart } from '../plot/svg.ts';
import type { ExperimentOptions, ExperimentRun } from '../registry.ts';
import { defaultRunDir, loadCached, runName, smooth, spread, trainOrLoad } from './runs.ts';
import { againstOracle, evalRow, LEARNERS, ROW_KEYS, rowAvailable, s3RunSpec, s3Setting, seedsAt, type Row, type S3Setting } from './s3-protocol.ts';

export { s3Setting, s3RunSpec } from './s3-protocol.ts';

async function trained(o: ExperimentOptions, s: S3Setting, users = s.users): Promise<Map<AlgoName, Checkpoint[]>> {
  const dir = defaultRunDir(o.quick, o.outDir);
  const out = new Map<AlgoName, Checkpoint[]>();
  for (const l of LEARNERS) {
    const cs: Checkpoint[] = [];
    for (const seed of seedsAt(s, users)) {
      const spec = s3RunSpec(l.algo, seed, s, users);
      const c = o.cachedOnly ? loadCached(spec, dir) : await trainOrLoad(spec, dir, (m) => console.error(m));
      if (c) cs.push(c);
      else console.error(`[learning] ${runName(spec)} is not cached; left out (--cached-only)`);
    }
    if (cs.length) out.set(l.algo, cs);
  }
  return out;
}

export const fig4: ExperimentRun = async (o) => {
  const s = s3Setting(o);
  const models = await trained(o, s);
  const rows: (string | number)[][] = [];
  const series = LEARNERS.filter((l) => models.has(l.algo)).map((l) => {
    const curves = models.get(l.algo)!.map((c) => c.curve);
    const len = Math.min(...curves.map((c) => c.length));
    const pts: [number, number][] = [];
    let steps = 0;
    for (let e = 0; e < len; e++) {
      const r = spread(curves.map((c) => c[e]!.reward));
      const d = spread(curves.map((c) => c[e]!.objective));
      const val = models.get(l.algo)!.map((c) => c.validation?.find((v) => v.episode === e + 1)?.total).filter((v): v is number => v !== undefined);
      steps += curves[0]![e]!.steps;
      rows.push([l.algo, e + 1, steps, r.mean, r.sd, r.min, r.max, d.mean, d.sd, val.length ? spread(val).mean : '', r.n]);
      pts.push([steps, r.mean]);
    }
    const sm = smooth(pts.map((p) => p[1]), 5);
    return { name: l.label, points: pts.map((p, i) => [p[0], sm[i]!] as const) };
  });
  const base = join(o.outDir, 's3-fig4-reward-curves');
  const csv = await writeCsv(`${base}.csv`, ['algo', 'episode', 'env_steps', 'reward_mean', 'reward_sd', 'reward_min', 'reward_max', 'dor_per_slot_mean', 'dor_per_slot_sd', `validation_dor_total_mean_${s.evalHorizon}_slots`, 'seeds'], rows);
  const svg = await writeText(`${base}.svg`, lineChart({
    title: `S3 Fig. 4: episode reward during training (${s.horizon}-slot episodes, ${s.steps} env steps), ${s.users} users, mean over seeds (${[...models].map(([a, c]) => `${a} ${c.length}`).join(', ')}; 5-episode smoothing)`,
    xLabel: 'env steps', yLabel: `episode reward (DOR − penalties, ${s.horizon} slots)`, series, markers: 'none',
  }));
  return { files: [csv, svg] };
};

const FIG6_KEYS = ['maddpg', 'cejomu', 'd3qn', 'rt', 'oracle'];

export const fig6: ExperimentRun = async (o) => {
  const s = s3Setting(o);
  const models = await trained(o, s);
  const rows: (string | number)[][] = [];
  const series = [];
  const evaluated: Row[] = [];
  for (const key of FIG6_KEYS.filter((k) => rowAvailable(k, models))) {
    const r = await evalRow(o, s, models, s.users, key);
    evaluated.push(r);
    const means = r.perSlot[0]!.map((_, t) => {
      const sp = spread(r.perSlot.map((p) => p[t]!));
      rows.push([key, t + 1, sp.mean, sp.sd, sp.min, sp.max, sp.n]);
      return sp.mean;
    });
    series.push({ name: r.label, points: means.map((y, t) => [t + 1, y] as const) });
  }
  const oracle = evaluated.find((r) => r.key === 'oracle')!;
  const summary = evaluated.map((r) => {
    const a = againstOracle(r, oracle);
    return [r.key, a.total.mean, a.total.sd, a.total.min, a.total.max, a.late.mean, a.fraction, a.fractionSd, a.fractionLate, r.totals.map((t) => Math.round(t)).join(' '), r.selected.map((e) => e ?? '-').join(' '), r.lastTotals.length ? spread(r.lastTotals).mean / oracle.totals[0]! : '', r.lastTotals.map((t) => Math.round(t)).join(' '), a.total.n];
  });
  const base = join(o.outDir, 's3-fig6-dor-per-slot');
  const csv = await writeCsv(`${base}.csv`, ['algo', 'slot', 'dor_mean', 'dor_sd', 'dor_min', 'dor_max', 'seeds'], rows);
  const sum = await writeCsv(`${base}-summary.csv`, ['algo', 'dor_total_mean', 'dor_total_sd', 'dor_total_min', 'dor_total_max', `dor_per_slot_from_slot${s.lateFrom}`, 'fraction_of_oracle', 'fraction_of_oracle_sd', `fraction_of_oracle_from_slot${s.lateFrom}`, 'dor_total_per_seed', 'selected_episode_per_seed', 'fraction_of_oracle_last_policy', 'dor_total_last_policy_per_seed', 'seeds'], summary);
  const svg = await writeText(`${base}.svg`, lineChart({
    title: `S3 Fig. 6: DOR per slot, ${s.users} users, mean over trained seeds (${[...models].map(([a, c]) => `${a} ${c.length}`).join(', ')}), against the oracle (straight flight to the best static placement, then hover)`,
    xLabel: 'slot', yLabel: 'DOR', series, markers: 'none', yMin: 0,
  }));
  return { files: [csv, sum, svg] };
};

export const fig7: ExperimentRun = async (o) => {
  const s = s3Setting(o);
  const rows: (string | number)[][] = [];
  const byKey = new Map<string, { label: string; pts: [number, number][]; err: number[] }>();
  for (const users of s.userSweep) {
    const models = await trained(o, s, users);
    const evaluated: Row[] = [];
    for (const key of ROW_KEYS) if (rowAvailable(key, models)) evaluated.push(await evalRow(o, s, models, users, key));
    const oracle = evaluated.find((r) => r.key === 'oracle')!;
    for (const r of evaluated) {
      const a = againstOracle(r, oracle);
      const lastFraction = r.lastTotals.length ? spread(r.lastTotals).mean / oracle.totals[0]! : '';
      rows.push([users, r.key, a.total.mean, a.total.sd, a.total.min, a.total.max, a.total.mean / s.evalHorizon, a.late.mean, a.fraction, a.fractionLate, lastFraction, a.penalty, a.total.n]);
      const e = byKey.get(r.key) ?? { label: r.label, pts: [], err: [] };
      e.pts.push([users, a.total.mean]);
      e.err.push(a.total.sd);
      byKey.set(r.key, e);
    }
  }
  const base = join(o.outDir, 's3-fig7-dor-vs-users');
  const csv = await writeCsv(`${base}.csv`, ['users', 'algo', 'dor_total_mean', 'dor_total_sd', 'dor_total_min', 'dor_total_max', 'dor_per_slot_mean', `dor_per_slot_from_slot${s.lateFrom}`, 'fraction_of_oracle', `fraction_of_oracle_from_slot${s.lateFrom}`, 'fraction_of_oracle_last_policy', 'penalty_per_episode_mean', 'seeds'], rows);
  const seedsNote = s.sweepSeeds.length === s.seeds.length ? `${s.seeds.length} seeds` : s.sweepSeeds.length ? `${s.seeds.length} seeds at ${s.users} users, ${s.sweepSeeds.length} elsewhere` : `learners trained at ${s.users} users only (${s.seeds.length} seeds)`;
  const svg = await writeText(`${base}.svg`, lineChart({
    title: `S3 Fig. 7: overall DOR (${s.evalHorizon} slots) vs users; policies trained per user count, ${seedsNote} (± sd); oracle = straight flight to the best static placement, then hover`,
    xLabel: 'number of users', yLabel: `overall DOR (sum over ${s.evalHorizon} slots)`, yMin: 0, yFloor: 0,
    series: [...byKey.values()].map((v) => ({ name: v.label, points: v.pts, errors: v.err })),
  }));
  return { files: [csv, svg] };
};
