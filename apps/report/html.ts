/**
 * The run report as one self-contained HTML page: inline CSS, inline SVG, one small inline script
 * (sortable tables, a readiness mark); no external URL is referenced, so it renders offline.
 * Given two runs it puts them in two columns, with a comparison table of totals on top.
 */
import path from 'node:path';
import { escapeXml, lineChart } from '../experiments/plot/svg.ts';
import type { ReportData } from './data.ts';
import { coalitionSvg, mapSvg } from './svg-map.ts';
import { s0Section } from './s0.ts';
import { modeTimelineSvg } from './timeline-svg.ts';
import { s2Comparison, s2Section } from './s2.ts';

const esc = escapeXml;
const n2 = (v: number, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : '—');
const inline = (svg: string) => svg.replace(/^<\?xml[^>]*>\s*/, '');
/** Per-slot series keep their markers; dense time tracks (hundreds of samples) are drawn as lines only. */
const chart = (title: string, xLabel: string, yLabel: string, series: { name: string; points: [number, number][] }[], w: number) => {
  const dense = series.some((s) => s.points.length > 120);
  return `<figure class="chart">${inline(lineChart({ title, xLabel, yLabel, series, width: w, height: 300, markers: dense ? 'none' : 'all' }))}</figure>`;
};

const NACK = ['unspecified', 'malformed', 'wrong UAV', 'stale seq', 'expired', 'bad signature', 'unsafe', 'model unavailable'];

function table(head: string[], rows: (string | number)[][], cls = ''): string {
  return `<table class="sortable ${cls}"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(String(c))}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

function runSection(d: ReportData, w: number): string {
  const ids = d.uavIds;
  const name = (id: number) => `UAV ${id}`;
  const parts: string[] = [];
  const s = d.scenario;
  parts.push(`<h2>${esc(d.name)}</h2><p class="meta">${s.uavs} UAVs (${esc(s.flavour)}), ${s.users} users, ${s.slots} slots of ${s.slotS} s, planner ${esc(s.algo)}, seed ${s.seed}; ${n2(d.simS, 0)} s simulated in ${n2(d.wallS, 1)} s.</p>`);
  const pol = d.policy;
  if (pol) {
    parts.push(`<p class="meta">Trajectory: policy ${esc(pol.model.base)} (${esc(pol.model.algo)}, env ${esc(pol.model.env)}, θ_max ${pol.env.thetaMaxDeg}°): ${pol.model.actors.map((a) => `UAV ${a.uavId} ← ${esc(path.basename(a.file))} ${a.sha256.slice(0, 12)}`).join(', ')}. ` +
      `DOR per slot ${n2(pol.meanFlownDor)} flown vs ${n2(pol.meanEnvDor)} in the env (slots 1–${d.slots.length - 1}); positions within ${n2(pol.meanPositionErrorM, 1)} m of the env's on average (max ${n2(pol.maxPositionErrorM, 1)} m).</p>`);
  }
  parts.push('<h3>Totals</h3>', totalsTable([d]));
  if (d.video) parts.push(s2Section(d.video, w));
  parts.push('<h3>Trajectories</h3>', `<figure class="chart">${mapSvg(d, Math.min(w, 560))}</figure>`);
  parts.push(chart('Altitude profile', 'time (s)', 'altitude (m)', ids.map((id) => ({ name: name(id), points: (d.tracks[id] ?? []).map((p) => [p.tS, p.alt] as [number, number]) })), w));
  parts.push('<h3>Per slot</h3>');
  parts.push(chart('Delay optimisation ratio', 'slot', 'DOR', [
    { name: 'achieved', points: d.slots.map((m) => [m.slot, m.dor]) },
    { name: 'planned', points: d.slots.map((m) => [m.slot, m.predictedDor]) },
    ...(pol ? [{ name: 'env (same policy)', points: d.slots.filter((m) => m.envDor != null).map((m) => [m.slot, m.envDor!] as [number, number]) }] : []),
  ], w));
  parts.push(chart('Energy used (flight + compute)', 'slot', 'energy (kJ)', ids.map((id) => ({ name: name(id), points: d.slots.map((m) => [m.slot, (m.energyJ[id] ?? NaN) / 1000] as [number, number]) })), w));
  parts.push(chart('Utility of the slot plan (S0 Eq. 8)', 'slot', 'utility', [{ name: 'utility', points: d.slots.map((m) => [m.slot, m.utility]) }], w));
  parts.push(chart('Battery', 'time (s)', 'battery (%)', ids.map((id) => ({ name: name(id), points: (d.tracks[id] ?? []).filter((p) => p.batteryPct !== undefined).map((p) => [p.tS, p.batteryPct!] as [number, number]) })), w));
  parts.push('<h3>Flight modes</h3>', `<figure class="chart">${modeTimelineSvg(d.modes, d.endS, w)}</figure>`);
  const hasHealth = d.links.some((l) => l.maxOutbox !== undefined);
  parts.push('<h3>Link health</h3>', table(['UAV', 'twin states', 'lost (seq gaps)', 'rate (Hz)', 'longest silence (s)', 'autopilot link down (s)', ...(hasHealth ? ['broker down (reports)', 'max outbox', 'dropped'] : [])],
    d.links.map((l) => [l.uavId, l.received, `${l.lost} (${n2(l.lossPct, 1)} %)`, n2(l.rateHz, 1), n2(l.maxGapS), n2(l.autopilotDownS, 1), ...(hasHealth ? [l.brokerDownReports ?? '—', l.maxOutbox ?? '—', l.dropped ?? '—'] : [])]), 'links'));
  parts.push('<h3>Coalition timeline</h3>', `<figure class="chart">${coalitionSvg(d, w)}</figure>`);
  if (d.s0) parts.push(s0Section(d.s0, w, { chart, table }));
  const acked = ids.map((id) => [name(id), d.acks.filter((a) => a.uavId === id && a.accepted).length, d.acks.filter((a) => a.uavId === id && !a.accepted).length]);
  parts.push('<h3>Plan acks and nacks</h3>', table(['UAV', 'acked', 'refused'], acked));
  const nacks = d.acks.filter((a) => !a.accepted);
  parts.push(nacks.length ? table(['t (s)', 'UAV', 'plan seq', 'reason', 'detail'], nacks.map((a) => [n2(a.tS, 1), a.uavId, a.planSeq, NACK[a.reason] ?? String(a.reason), a.detail])) : '<p class="ok">No plan was refused.</p>');
  parts.push('<h3>Failsafe and other UAV events</h3>', d.events.length ? table(['t (s)', 'UAV', 'code', 'text'], d.events.map((e) => [n2(e.tS, 1), e.uavId, e.code, e.text])) : '<p class="ok">No events.</p>');
  parts.push('<h3>Slots</h3>', table(['slot', 'tasks', 'offloaded', 'completed', 'late', 'DOR', 'DOR planned', 'utility'], d.slots.map((m) => [m.slot, m.released, m.offloaded, m.completed, m.late, n2(m.dor), n2(m.predictedDor), n2(m.utility)])));
  parts.push('<h3>UAVs</h3>', table(['UAV', 'flown (m)', 'max alt (m)', 'flight (kJ)', 'compute (J)', 'tasks', 'plans ok/refused'], d.uavs.map((u) => [u.uavId, n2(u.distanceM, 0), n2(u.maxAltM, 1), n2(u.flightEnergyJ / 1000, 1), n2(u.computeEnergyJ), u.tasksComputed, `${u.plansAccepted}/${u.plansRefused}`])));
  return `<section class="run">${parts.join('\n')}</section>`;
}

function totalsTable(runs: ReportData[]): string {
  const rows: [string, (d: ReportData) => string][] = [
    ['tasks released', (d) => String(d.totals.released)],
    ['completed', (d) => `${d.totals.completed} (${d.totals.completedOnUav} on UAVs)`],
    ['late', (d) => String(d.totals.late)],
    ['failed', (d) => String(d.totals.failed)],
    ['DOR total', (d) => n2(d.totals.dor)],
    ['DOR per slot', (d) => n2(d.totals.meanDorPerSlot)],
    ['utility total', (d) => n2(d.slots.reduce((a, m) => a + m.utility, 0))],
    ['energy (kJ, all UAVs)', (d) => n2(d.uavs.reduce((a, u) => a + u.flightEnergyJ + u.computeEnergyJ, 0) / 1000, 1)],
    ['plans acked / refused / sent', (d) => `${d.totals.plansAcked} / ${d.totals.plansNacked} / ${d.totals.plansSent}`],
    ['missed the plan window', (d) => String(d.totals.missedWindow)],
    ['failsafe/UAV events', (d) => String(d.events.length)],
  ];
  return table(['', ...runs.map((d) => d.name)], rows.map(([k, g]) => [k, ...runs.map(g)]), 'totals');
}

const CSS = `body{font-family:Helvetica,Arial,sans-serif;margin:16px;color:#222;background:#fafafa}
h1{font-size:22px}h2{font-size:18px;border-bottom:2px solid #0072B2}h3{font-size:15px;margin:18px 0 6px}
.runs{display:grid;gap:16px}.runs.two{grid-template-columns:1fr 1fr}.runs.three{grid-template-columns:1fr 1fr 1fr}.run{background:#fff;padding:8px 12px;border:1px solid #ddd;min-width:0}
figure.chart{margin:4px 0;overflow-x:auto}svg{max-width:100%;height:auto}
table{border-collapse:collapse;font-size:12px;margin:4px 0}th,td{border:1px solid #ddd;padding:2px 6px;text-align:right}th{background:#eef;cursor:pointer}td:first-child{text-align:left}
.meta,.ok{color:#555;font-size:13px}footer{color:#777;font-size:12px;margin-top:16px}`;

/** Sortable tables and a readiness mark (`data-ready` = charts found) that tests look for. */
const SCRIPT = `(function(){
  var charts=document.querySelectorAll('figure.chart svg');
  document.querySelectorAll('table.sortable').forEach(function(t){
    t.querySelectorAll('th').forEach(function(th,i){th.addEventListener('click',function(){
      var body=t.tBodies[0],rows=Array.prototype.slice.call(body.rows),asc=th.dataset.dir!=='asc';
      rows.sort(function(a,b){var x=a.cells[i].textContent,y=b.cells[i].textContent,nx=parseFloat(x),ny=parseFloat(y);
        var c=(isNaN(nx)||isNaN(ny))?x.localeCompare(y):nx-ny;return asc?c:-c;});
      rows.forEach(function(r){body.appendChild(r);});th.dataset.dir=asc?'asc':'desc';});});});
  document.body.dataset.ready=String(charts.length);
  document.getElementById('status').textContent=charts.length+' charts rendered';
})();`;

export function renderReport(runs: ReportData[]): string {
  if (runs.length === 0 || runs.length > 3) throw new RangeError('a report shows one to three runs');
  const two = runs.length >= 2;
  const w = runs.length === 3 ? 420 : two ? 620 : 900;
  const title = two ? `uavmec runs ${runs.map((r) => r.name).join(' vs ')}` : `uavmec run ${runs[0]!.name}`;
  const s2 = runs.filter((r) => r.video).map((r) => ({ name: r.name, video: r.video! }));
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>${CSS}</style></head>
<body><h1>${esc(title)}</h1>
${two ? `<h3>Side by side</h3>${totalsTable(runs)}` : ''}
${s2.length >= 2 ? s2Comparison(s2) : ''}
<div class="runs${runs.length === 3 ? ' three' : two ? ' two' : ''}">
${runs.map((d) => runSection(d, w)).join('\n')}
</div>
<footer>Generated by uavmec report. Self-contained: no external resources. <span id="status"></span></footer>
<script>${SCRIPT}</script>
</body></html>
`;
}
