/**
 * S2's sim-to-SITL gap: what the same actor earns in its training env (S2VideoEnv, the env's own
 * per-slot revenue parts) for the mission's slots, averaged over episodes, and the mission's books
 * set against it slot by slot and in total (revenue Q, U_K, U_J, U_I, energies, penalties,
 * prices, transcoding levels, parts).
 */
import { S2VideoEnv } from '../../sim/envs/s2-video.ts';
import type { S2SlotAccount } from '../controller/s2/index.ts';
import type { S2MissionSetup } from './s2.ts';

export interface S2SlotRow {
  slot: number;
  Q: number; UK: number; UJ: number; UI: number;
  penalty: number;
  /** Σ over UAVs of computing and flight energy, J. */
  uavComputeJ: number; uavFlightJ: number;
  pk: number; pj: number; levelMbps: number;
  ratios: [number, number, number];
  /** UAVs that computed video this slot (S2 sells f_k, and the busy side earns u_ki·f_k, only for those). */
  serving: number;
}

export interface S2Prediction { seed: number; episodes: number; slots: number; perSlot: S2SlotRow[]; mean: S2SlotRow }

const sum = (a: readonly number[]) => a.reduce((s, x) => s + x, 0);

function meanRow(rows: S2SlotRow[]): S2SlotRow {
  const n = Math.max(1, rows.length);
  const m = (f: (r: S2SlotRow) => number) => sum(rows.map(f)) / n;
  return {
    slot: -1, Q: m((r) => r.Q), UK: m((r) => r.UK), UJ: m((r) => r.UJ), UI: m((r) => r.UI), penalty: m((r) => r.penalty), uavComputeJ: m((r) => r.uavComputeJ),
    uavFlightJ: m((r) => r.uavFlightJ), serving: m((r) => r.serving), pk: m((r) => r.pk), pj: m((r) => r.pj), levelMbps: m((r) => r.levelMbps), ratios: [m((r) => r.ratios[0]), m((r) => r.ratios[1]), m((r) => r.ratios[2])],
  };
}

/** The same actor in its env for `slots` slots, `episodes` times (seeds seed, seed + 1, …); per-slot means. */
export async function predictS2InEnv(s: S2MissionSetup, o: { seed: number; slots: number; episodes: number }): Promise<S2Prediction> {
  const runs: S2SlotRow[][] = [];
  for (let e = 0; e < o.episodes; e++) {
    const env = new S2VideoEnv({ ...s.env, horizon: o.slots }, o.seed + e);
    let obs = env.reset();
    const rows: S2SlotRow[] = [];
    for (let t = 0; t < o.slots; t++) {
      const r = env.step([await s.actor.act(obs[0]!)]);
      const l = env.last!;
      rows.push({
        slot: t, ...l.revenue, penalty: l.penalty, uavComputeJ: sum(l.uavComputeJ), uavFlightJ: sum(l.uavFlightJ),
        pk: l.decision.pk, pj: l.decision.pj, levelMbps: l.decision.levelMbps, ratios: l.decision.ratios, serving: l.uavComputeJ.filter((e) => e > 0).length,
      });
      obs = r.obs;
    }
    runs.push(rows);
  }
  const perSlot = Array.from({ length: o.slots }, (_, t) => ({ ...meanRow(runs.map((r) => r[t]!)), slot: t }));
  return { seed: o.seed, episodes: o.episodes, slots: o.slots, perSlot, mean: meanRow(perSlot) };
}

export interface S2RunSummary {
  policy: string;
  model: { file: string; sha256: string; algo: string };
  flown: S2SlotRow[];
  flownMean: S2SlotRow;
  prediction: S2Prediction;
  /** (flown − env) / |env| of the mean revenue per slot. */
  gapQ: number;
  /** The same over the slots before the first reserve RTL (the env has no return to keep energy for); undefined without one. */
  gapQBeforeReserve?: { slots: number; gap: number };
  parts: { planned: number; done: number; duplicates: number; failed: number; unknown: number; d2dByIdle: number; missedSegments: number; latencyS: Record<string, { n: number; mean: number; max: number }> };
  reserveRtl: { slot: number; uavIds: number[] }[];
}

export function flownRow(a: S2SlotAccount): S2SlotRow {
  const d = a.plan.decision;
  return {
    slot: a.slot, ...a.revenue, penalty: a.penalty, uavComputeJ: sum(a.uavComputeJ), uavFlightJ: sum(a.uavFlightJ), pk: d.pk, pj: d.pj, levelMbps: d.levelMbps, ratios: a.plan.ratios,
    serving: a.uavComputeJ.filter((e) => e > 0).length,
  };
}

export function compareS2Run(s: S2MissionSetup, accounts: S2SlotAccount[], counts: { duplicates: number; failed: number; unknown: number; d2dByIdle: number; missedSegments: number; latencyS: Record<string, { n: number; mean: number; max: number }> }, prediction: S2Prediction): S2RunSummary {
  const flown = accounts.map(flownRow);
  const flownMean = meanRow(flown);
  const firstRtl = accounts.find((a) => a.plan.reserveRtl.length)?.slot;
  const before = firstRtl === undefined || firstRtl === 0 ? undefined : { f: meanRow(flown.slice(0, firstRtl)).Q, e: meanRow(prediction.perSlot.slice(0, firstRtl)).Q };
  return {
    ...(before ? { gapQBeforeReserve: { slots: firstRtl!, gap: (before.f - before.e) / Math.max(1e-9, Math.abs(before.e)) } } : {}),
    policy: s.policy, model: { file: s.actor.file, sha256: s.actor.sha256, algo: s.actor.meta.algo }, flown, flownMean, prediction,
    gapQ: (flownMean.Q - prediction.mean.Q) / Math.max(1e-9, Math.abs(prediction.mean.Q)),
    parts: { planned: sum(accounts.map((a) => a.partsPlanned)), done: sum(accounts.map((a) => a.partsDone)), ...counts },
    reserveRtl: accounts.filter((a) => a.plan.reserveRtl.length).map((a) => ({ slot: a.slot, uavIds: a.plan.reserveRtl })),
  };
}

const f = (v: number, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : '—');

/** The S2 part of the mission summary, for people: per-slot revenue flown vs env, then the totals. */
export function formatS2(v: S2RunSummary): string[] {
  const head = ['slot', 'Q', 'Q env', 'U_K', 'U_J', 'U_I', 'serving', 'env', 'pen', 'ε1/ε2/ε3', 'p_k', 'p_j', 'b_O', 'E_fly kJ', 'E_cmp J'];
  const rows = v.flown.map((r) => {
    const e = v.prediction.perSlot[r.slot];
    return [String(r.slot), f(r.Q), e ? f(e.Q) : '—', f(r.UK), f(r.UJ), f(r.UI), String(r.serving), e ? f(e.serving) : '—', f(r.penalty, 0), r.ratios.map((x) => x.toFixed(2)).join('/'), f(r.pk, 2), f(r.pj, 2), f(r.levelMbps, 1), f(r.uavFlightJ / 1000, 2), f(r.uavComputeJ, 1)];
  });
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((x, c) => x.padStart(widths[c]!)).join('  ');
  const m = v.flownMean, e = v.prediction.mean;
  return [
    '', `S2 (${v.policy}: ${v.model.file}, ${v.model.algo}, sha256 ${v.model.sha256.slice(0, 16)}…)`, line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line),
    `Revenue per slot: Q ${f(m.Q)} flown vs ${f(e.Q)} in the env (${v.prediction.episodes} episodes; gap ${f(100 * v.gapQ)} %${v.gapQBeforeReserve ? `, ${f(100 * v.gapQBeforeReserve.gap)} % over slots 0–${v.gapQBeforeReserve.slots - 1} before the first reserve RTL` : ''}); U_K ${f(m.UK)} vs ${f(e.UK)}, U_J ${f(m.UJ)} vs ${f(e.UJ)}, U_I ${f(m.UI)} vs ${f(e.UI)}; ` +
      `UAVs serving ${f(m.serving, 2)} vs ${f(e.serving, 2)}, flight ${f(m.uavFlightJ)} J vs ${f(e.uavFlightJ)} J, UAV computing ${f(m.uavComputeJ)} J vs ${f(e.uavComputeJ)} J per slot (all UAVs); penalty ${f(m.penalty)} vs ${f(e.penalty)}.`,
    `Parts: ${v.parts.done}/${v.parts.planned} completed (${v.parts.d2dByIdle} D2D parts by idle devices), ${v.parts.duplicates} repeats, ${v.parts.failed} failed, ${v.parts.unknown} unplanned, ${v.parts.missedSegments} segments missed their slot; ` +
      `part latency after release (mean/max s): ${Object.entries(v.parts.latencyS).map(([k, l]) => `${k} ${f(l.mean, 2)}/${f(l.max, 2)}`).join(', ')}; ` +
      `${v.reserveRtl.length ? `reserve RTL at slots ${v.reserveRtl.map((r) => `${r.slot} (UAV ${r.uavIds.join(', ')})`).join('; ')}` : 'no UAV needed its reserve'}.`,
  ];
}
