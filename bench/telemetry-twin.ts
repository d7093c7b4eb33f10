/**
 * The twin update alone, per report, in its own process (forked by bench/telemetry.ts, "Twin
 * update"): reports arrive round-robin over `uavs` UAVs, as 5 Hz telemetry does, and each one goes
 * into the twin by one of
 * - `store`: the controller's `TwinStore.apply` (in place), with a `snapshot()` every 5 · uavs
 *   reports (once a second at 5 Hz; planning takes one per slot);
 * - `persistent`: the pure `applyTwinState` (a new entry per report into the persistent map), what
 *   the controller ran before the store and what the replay runs;
 * - `copy`: the twin as a plain Map copied on every report (`new Map(old).set(…)`), the controller
 *   before issue 20;
 * - `floor`: `Map.set(id, report)` into one mutable map, no entry built: the least any twin can do.
 * Every variant builds the report object first (as decoding does: young garbage), so the columns
 * differ only by the update. Prints one JSON line: µs per report (wall, after one warm-up second of
 * reports), GC pause ms per 100 000 reports and how many of the pauses were full (mark-sweep) GCs.
 *
 * Run alone: node --import tsx bench/telemetry-twin.ts store 1000 200000 (prints one JSON line)
 */
import { execFileSync } from 'node:child_process';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { applyTwinState, emptyTwin, TwinStore, uavTwinOf, NO_FIDELITY, type UavTwin } from '../apps/controller/twin/index.ts';
import type { TwinState } from '../proto/index.ts';
import { benchTwinState } from './telemetry-message.ts';

export const TWIN_VARIANTS = ['store', 'persistent', 'copy', 'floor'] as const;
export type TwinVariant = (typeof TWIN_VARIANTS)[number];
export interface TwinResult {
  variant: TwinVariant;
  uavs: number;
  reports: number;
  usPerReport: number;
  gcMsPer100k: number;
  fullGcs: number;
}

function updater(variant: TwinVariant, uavs: number): (m: TwinState, i: number) => void {
  switch (variant) {
    case 'store': {
      const s = new TwinStore();
      return (m, i) => {
        s.apply(m, i);
        if (i % (5 * uavs) === 0) s.snapshot();
      };
    }
    case 'persistent': {
      let t = emptyTwin();
      return (m, i) => void (t = applyTwinState(t, m, i));
    }
    case 'copy': {
      let t: Map<number, UavTwin> = new Map();
      return (m, i) => void (t = new Map(t).set(m.uav_id, uavTwinOf(m, i, t.get(m.uav_id)?.fidelity ?? NO_FIDELITY)));
    }
    case 'floor': {
      const t = new Map<number, TwinState>();
      return (m) => void t.set(m.uav_id, m);
    }
  }
}

export async function runTwinUpdate(variant: TwinVariant, uavs: number, reports: number): Promise<TwinResult> {
  const update = updater(variant, uavs);
  let i = 0;
  const next = () => {
    const id = 1 + (i % uavs);
    update(benchTwinState(id, 1e15 + i) as TwinState, i);
    i++;
  };
  const warm = Math.min(5 * uavs, reports);
  for (let k = 0; k < warm; k++) next();
  let gcMs = 0;
  let fullGcs = 0;
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gcMs += e.duration;
      if ((e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) fullGcs++;
    }
  });
  obs.observe({ entryTypes: ['gc'] });
  const t0 = process.hrtime.bigint();
  for (let k = 0; k < reports; k++) next();
  const us = Number(process.hrtime.bigint() - t0) / 1e3;
  // The observer's entries are delivered asynchronously: collect them before stopping it.
  await new Promise((r) => setTimeout(r, 100));
  obs.disconnect();
  return { variant, uavs, reports, usPerReport: us / reports, gcMsPer100k: (gcMs * 1e5) / reports, fullGcs };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [variant, uavs, reports] = [process.argv[2] as TwinVariant, Number(process.argv[3]), Number(process.argv[4])];
  if (!TWIN_VARIANTS.includes(variant) || !(uavs >= 1) || !(reports >= 1)) {
    console.error('usage: telemetry-twin.ts store|persistent|copy|floor <uavs> <reports>');
    process.exit(2);
  }
  console.log(JSON.stringify(await runTwinUpdate(variant, uavs, reports)));
}

/** Forks this file once per (round, size, variant), interleaved; the median of `rounds` per cell. */
export async function twinUpdateRows(sizes: readonly number[], rounds: number, reports: number): Promise<TwinResult[]> {
  const runs = new Map<string, TwinResult[]>();
  for (let r = 0; r < rounds; r++) {
    for (const uavs of sizes) {
      for (const v of TWIN_VARIANTS) {
        // Copying the map costs O(uavs) per report: fewer reports keep it to a few seconds.
        const n = v === 'copy' ? Math.min(reports, Math.round(2e7 / uavs)) : reports;
        const out = execFileSync(process.execPath, ['--import', 'tsx', import.meta.filename, v, String(uavs), String(n)], { encoding: 'utf8' });
        const res = JSON.parse(out.trim().split('\n').at(-1)!) as TwinResult;
        runs.set(`${v}/${uavs}`, [...(runs.get(`${v}/${uavs}`) ?? []), res]);
      }
    }
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return [...runs.values()].map((rs) => ({ ...rs[0]!, usPerReport: med(rs.map((x) => x.usPerReport)), gcMsPer100k: med(rs.map((x) => x.gcMsPer100k)), fullGcs: med(rs.map((x) => x.fullGcs)) }));
}

/** The "Twin update" part of the Telemetry ingest section. */
export function twinUpdateLines(rows: readonly TwinResult[], rounds: number): string[] {
  const sizes = [...new Set(rows.map((r) => r.uavs))];
  const cell = (v: TwinVariant, n: number, f: (r: TwinResult) => string) => {
    const r = rows.find((x) => x.variant === v && x.uavs === n);
    return r ? f(r) : '—';
  };
  const us = (r: TwinResult) => r.usPerReport.toFixed(2);
  const gc = (r: TwinResult) => `${r.gcMsPer100k.toFixed(1)} (${r.fullGcs})`;
  return [
    `Twin update alone (bench/telemetry-twin.ts, each cell in its own process, median of ${rounds}): reports round-robin over the fleet as 5 Hz telemetry arrives; each report object is built first (as decoding builds it) and then goes into the twin. store = the controller's \`TwinStore\` (in place, one snapshot per second of reports); persistent = the pure \`applyTwinState\` into the persistent map (what the controller ran before the store; the replay runs it); copy = the whole map copied per report (before issue 20); floor = \`Map.set(id, report)\`, no entry built. µs per report (wall) and GC pause ms per 100 000 reports (full GCs among them). The store's cost tracks the floor as the fleet grows (what remains of the growth is the floor's own: a larger Map and more memory touched), the copy grows with the fleet.`,
    '',
    `| UAVs | store µs | persistent µs | copy µs | floor µs | store GC ms (full) | persistent GC ms (full) | floor GC ms (full) |`,
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...sizes.map((n) => `| ${n} | ${cell('store', n, us)} | ${cell('persistent', n, us)} | ${cell('copy', n, us)} | ${cell('floor', n, us)} | ${cell('store', n, gc)} | ${cell('persistent', n, gc)} | ${cell('floor', n, gc)} |`),
  ];
}
