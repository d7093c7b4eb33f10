/**
 * The S2 part of a run report (SPEC §5.4, issue 18): revenue Q per slot as flown against the same
 * actor in its env, the utilities U_K, U_J, U_I, UAVs serving, prices and transcoding levels,
 * energies, penalties and the parts' completion; and, for several S2 runs side by side (TD3 vs
 * DDPG vs PPO on the same seed), one comparison table.
 */
import { escapeXml, lineChart } from '../experiments/plot/svg.ts';
import type { S2RunSummary } from '../mission/s2-eval.ts';

const esc = escapeXml;
const n = (v: number, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : '—');
const inline = (svg: string) => svg.replace(/^<\?xml[^>]*>\s*/, '');
const chart = (title: string, yLabel: string, series: { name: string; points: [number, number][] }[], w: number) =>
  `<figure class="chart">${inline(lineChart({ title, xLabel: 'slot', yLabel, series, width: w, height: 300, markers: 'all' }))}</figure>`;

function table(head: string[], rows: (string | number)[][]): string {
  return `<table class="sortable"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(String(c))}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

export function s2Section(v: S2RunSummary, w: number): string {
  const f = v.flown, e = v.prediction.perSlot, m = v.flownMean, em = v.prediction.mean;
  const pts = (rows: typeof f, g: (r: (typeof f)[number]) => number) => rows.map((r) => [r.slot, g(r)] as [number, number]);
  return [
    '<h3>S2: video streaming with D2D and transcoding</h3>',
    `<p class="meta">Actor ${esc(v.policy)} (${esc(v.model.algo)}, ${esc(v.model.file)}, sha256 ${v.model.sha256.slice(0, 16)}…) on the controller. ` +
      `Revenue per slot Q ${n(m.Q)} flown vs ${n(em.Q)} for the same actor in its env (${v.prediction.episodes} episodes): gap ${n(100 * v.gapQ)} %` +
      `${v.gapQBeforeReserve ? ` (${n(100 * v.gapQBeforeReserve.gap)} % over slots 0–${v.gapQBeforeReserve.slots - 1}, before the first UAV went home to keep its reserve)` : ''}. ` +
      `Parts ${v.parts.done}/${v.parts.planned} completed (${v.parts.d2dByIdle} D2D by idle devices), ${v.parts.duplicates} repeats, ${v.parts.failed} failed, ${v.parts.missedSegments} segments missed their slot.</p>`,
    table(['per slot (mean)', 'flown', 'env'], [
      ['Q', n(m.Q), n(em.Q)], ['U_K (UAVs)', n(m.UK), n(em.UK)], ['U_J (idle devices)', n(m.UJ), n(em.UJ)], ['U_I (busy devices)', n(m.UI), n(em.UI)],
      ['UAVs serving', n(m.serving, 2), n(em.serving, 2)], ['flight energy, all UAVs (J)', n(m.uavFlightJ), n(em.uavFlightJ)], ['UAV computing energy (J)', n(m.uavComputeJ), n(em.uavComputeJ)],
      ['penalty', n(m.penalty), n(em.penalty)], ['ε1 / ε2 / ε3', m.ratios.map((x) => x.toFixed(2)).join(' / '), em.ratios.map((x) => x.toFixed(2)).join(' / ')],
      ['p_k / p_j (per GHz)', `${n(m.pk, 2)} / ${n(m.pj, 2)}`, `${n(em.pk, 2)} / ${n(em.pj, 2)}`], ['transcoding level (Mbps)', n(m.levelMbps, 2), n(em.levelMbps, 2)],
    ]),
    chart('Revenue Q per slot', 'Q', [{ name: 'flown', points: pts(f, (r) => r.Q) }, { name: 'env (same actor)', points: pts(e, (r) => r.Q) }], w),
    chart('Utilities as flown', 'utility', [{ name: 'U_K', points: pts(f, (r) => r.UK) }, { name: 'U_J', points: pts(f, (r) => r.UJ) }, { name: 'U_I', points: pts(f, (r) => r.UI) }], w),
    chart('UAVs serving', 'UAVs', [{ name: 'flown', points: pts(f, (r) => r.serving) }, { name: 'env', points: pts(e, (r) => r.serving) }], w),
    chart('Prices and transcoding level', 'value', [{ name: 'p_k', points: pts(f, (r) => r.pk) }, { name: 'p_j', points: pts(f, (r) => r.pj) }, { name: 'b_O (Mbps)', points: pts(f, (r) => r.levelMbps) }], w),
    table(['slot', 'Q', 'Q env', 'U_K', 'U_J', 'U_I', 'serving', 'ε1/ε2/ε3', 'p_k', 'p_j', 'b_O', 'flight (J)', 'computing (J)', 'penalty'],
      f.map((r) => [r.slot, n(r.Q), e[r.slot] ? n(e[r.slot]!.Q) : '—', n(r.UK), n(r.UJ), n(r.UI), r.serving, r.ratios.map((x) => x.toFixed(2)).join('/'), n(r.pk, 2), n(r.pj, 2), n(r.levelMbps, 1), n(r.uavFlightJ, 0), n(r.uavComputeJ, 1), n(r.penalty, 0)])),
  ].join('\n');
}

/** Several S2 runs side by side (e.g. TD3, DDPG and PPO on the same seed). */
export function s2Comparison(runs: { name: string; video: S2RunSummary }[]): string {
  const rows: [string, (v: S2RunSummary) => string][] = [
    ['actor', (v) => `${v.policy} (${v.model.algo})`],
    ['Q per slot, flown', (v) => n(v.flownMean.Q)],
    ['Q per slot, env', (v) => n(v.prediction.mean.Q)],
    ['gap', (v) => `${n(100 * v.gapQ)} %`],
    ['gap before the first reserve RTL', (v) => (v.gapQBeforeReserve ? `${n(100 * v.gapQBeforeReserve.gap)} % (slots 0–${v.gapQBeforeReserve.slots - 1})` : 'no reserve RTL')],
    ['reserve RTL (UAV·slots)', (v) => String(v.reserveRtl.reduce((a, r) => a + r.uavIds.length, 0))],
    ['U_K / U_J / U_I flown', (v) => `${n(v.flownMean.UK)} / ${n(v.flownMean.UJ)} / ${n(v.flownMean.UI)}`],
    ['UAVs serving flown / env', (v) => `${n(v.flownMean.serving, 2)} / ${n(v.prediction.mean.serving, 2)}`],
    ['ε1 / ε2 / ε3', (v) => v.flownMean.ratios.map((x) => x.toFixed(2)).join(' / ')],
    ['penalty per slot', (v) => n(v.flownMean.penalty)],
    ['parts completed', (v) => `${v.parts.done}/${v.parts.planned}`],
  ];
  return `<h3>S2 side by side</h3>${table(['', ...runs.map((r) => r.name)], rows.map(([k, g]) => [k, ...runs.map((r) => g(r.video))]))}`;
}
