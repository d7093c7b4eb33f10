/**
 * The two report-specific drawings: the 2D map (trajectories, users, coverage discs) and the
 * coalition timeline (UAV × slot grid; cells = tasks executed, links = relay coalitions).
 */
import { escapeXml } from '../experiments/plot/svg.ts';
import type { ReportData } from './data.ts';

export const UAV_COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#999999'];
export const uavColour = (i: number): string => UAV_COLOURS[i % UAV_COLOURS.length]!;
const f = (v: number) => (Math.round(v * 10) / 10).toString();

export function mapSvg(d: ReportData, size = 560): string {
  const pts = [...Object.values(d.tracks).flat().map((p) => [p.x, p.y]), ...d.users.map((u) => [u.x, u.y]), ...d.coverage.flatMap((c) => [[c.x - c.radiusM, c.y - c.radiusM], [c.x + c.radiusM, c.y + c.radiusM]])];
  // The users' area is [0, areaM]² in the mission frame (sim/world/users.ts).
  const A = d.scenario.areaM;
  const xs = [...pts.map((p) => p[0]!), 0, A];
  const ys = [...pts.map((p) => p[1]!), 0, A];
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const span = Math.max(x1 - x0, y1 - y0, 1) * 1.05;
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const pad = 40;
  const k = (size - 2 * pad) / span;
  const X = (x: number) => pad + (x - cx + span / 2) * k;
  const Y = (y: number) => size - pad - (y - cy + span / 2) * k;
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" class="map" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<title>Map: UAV trajectories, users and coverage</title>`, `<rect width="${size}" height="${size}" fill="#ffffff"/>`,
    `<rect x="${f(X(0))}" y="${f(Y(A))}" width="${f(A * k)}" height="${f(A * k)}" fill="#f6f6f0" stroke="#bbbbbb" stroke-dasharray="4 3"/>`];
  const last = new Map<number, ReportData['coverage'][number]>();
  for (const c of d.coverage) last.set(c.uavId, c);
  d.uavIds.forEach((id, i) => {
    for (const c of d.coverage.filter((c) => c.uavId === id)) out.push(`<circle class="coverage" cx="${f(X(c.x))}" cy="${f(Y(c.y))}" r="${f(c.radiusM * k)}" fill="${uavColour(i)}" fill-opacity="0.04" stroke="none"/>`);
    const c = last.get(id);
    if (c) out.push(`<circle class="coverage-last" cx="${f(X(c.x))}" cy="${f(Y(c.y))}" r="${f(c.radiusM * k)}" fill="none" stroke="${uavColour(i)}" stroke-dasharray="3 3"/>`);
  });
  for (const u of d.users) out.push(`<rect class="user" x="${f(X(u.x) - 3)}" y="${f(Y(u.y) - 3)}" width="6" height="6" fill="#444444"><title>user ${u.id}</title></rect>`);
  d.uavIds.forEach((id, i) => {
    const tr = d.tracks[id] ?? [];
    if (tr.length === 0) return;
    out.push(`<path class="track" data-uav="${id}" d="${tr.map((p, j) => `${j ? 'L' : 'M'}${f(X(p.x))},${f(Y(p.y))}`).join('')}" fill="none" stroke="${uavColour(i)}" stroke-width="2"/>`);
    const a = tr[0]!;
    const b = tr[tr.length - 1]!;
    out.push(`<circle cx="${f(X(a.x))}" cy="${f(Y(a.y))}" r="5" fill="#ffffff" stroke="${uavColour(i)}" stroke-width="2"><title>UAV ${id} start</title></circle>`);
    out.push(`<path d="M${f(X(b.x) - 5)},${f(Y(b.y) - 5)}L${f(X(b.x) + 5)},${f(Y(b.y) + 5)}M${f(X(b.x) - 5)},${f(Y(b.y) + 5)}L${f(X(b.x) + 5)},${f(Y(b.y) - 5)}" stroke="${uavColour(i)}" stroke-width="2"/>`);
  });
  // Scale bar and legend.
  const bar = niceLength(span / 4);
  out.push(`<path d="M${pad},${size - 14}h${f(bar * k)}" stroke="#333" stroke-width="2"/><text x="${pad + bar * k + 6}" y="${size - 10}">${bar} m</text>`);
  d.uavIds.forEach((id, i) => out.push(`<text x="${size - pad - 60}" y="${pad + 14 * i}" fill="${uavColour(i)}">UAV ${id}</text>`));
  out.push(`<text x="${pad}" y="${pad - 14}" fill="#444">■ users · ○ start · × end · discs: coverage per slot (R = H·tan ${d.scenario.thetaMaxDeg}°)</text>`);
  out.push('</svg>');
  return out.join('\n');
}

function niceLength(v: number): number {
  const p = 10 ** Math.floor(Math.log10(Math.max(v, 1e-9)));
  return [1, 2, 5, 10].map((m) => m * p).filter((x) => x <= v).pop() ?? p;
}

/** Colours of the MEDs' coalitions (S0 runs): dark, distinct from the UAV row colours. */
const MED_COLOURS = ['#222222', '#b2182b', '#2c7bb6', '#1a9850', '#762a83', '#8c510a'];

export function coalitionSvg(d: ReportData, width = 760): string {
  const rows = d.uavIds.length;
  const cols = Math.max(1, d.coalitions.length);
  const left = 70;
  const top = 30;
  const cw = Math.max(4, Math.min(40, (width - left - 20) / cols));
  const rh = 28;
  const height = top + rows * rh + 40;
  const row = new Map(d.uavIds.map((id, i) => [id, i]));
  const max = Math.max(1, ...d.coalitions.flatMap((c) => Object.values(c.execByUav)));
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" class="coalitions" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<title>Coalition timeline</title>`, `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${left}" y="16" fill="#333">${d.s0 ? 'S0: shares computed per UAV and slot (shade); bars: coalitions, coloured and labelled by the MED they served; dots: members' : 'tasks executed per UAV and slot (shade); lines: relay coalitions (access UAV ≠ executing UAV)'}</text>`];
  d.uavIds.forEach((id, i) => out.push(`<text x="${left - 8}" y="${top + i * rh + rh / 2 + 4}" text-anchor="end" fill="${uavColour(i)}">UAV ${id}</text>`));
  d.coalitions.forEach((c, j) => {
    const x = left + j * cw;
    for (const [id, i] of row) {
      const n = c.execByUav[id] ?? 0;
      out.push(`<rect class="cell" x="${f(x + 1)}" y="${top + i * rh + 2}" width="${f(cw - 2)}" height="${rh - 4}" fill="${uavColour(i)}" fill-opacity="${n ? (0.15 + 0.85 * n / max).toFixed(2) : '0.04'}"><title>slot ${c.slot}, UAV ${id}: ${n} task(s)</title></rect>`);
    }
    // S0: one vertical bar per coalition (colour: the MED it served) joining its members (dots),
    // offset within the slot's column, with a white halo so it reads over any UAV's row.
    (c.groups ?? []).forEach((g, k, all) => {
      const ys = g.uavIds.map((id) => top + (row.get(id) ?? 0) * rh + rh / 2);
      const gx = f(x + ((k + 1) * cw) / (all.length + 1));
      const col = MED_COLOURS[(g.userId - 1) % MED_COLOURS.length]!;
      const d = `M${gx},${Math.min(...ys)}L${gx},${Math.max(...ys) + 0.01}`;
      out.push(`<g class="group"><title>slot ${c.slot}: MED ${g.userId} (task ${g.taskId}) served by UAV${g.uavIds.length > 1 ? 's' : ''} ${g.uavIds.join(', ')}</title>` +
        `<path d="${d}" stroke="#fff" stroke-width="6" stroke-linecap="round"/><path d="${d}" stroke="${col}" stroke-width="3" stroke-linecap="round"/>` +
        ys.map((y) => `<circle cx="${gx}" cy="${y}" r="4.5" fill="${col}" stroke="#fff" stroke-width="1.5"/>`).join('') +
        `<text x="${gx}" y="${Math.min(...ys) - 7}" text-anchor="middle" font-size="10" font-weight="bold" fill="${col}">${g.userId}</text></g>`);
    });
    for (const p of c.pairs) {
      const ya = top + row.get(p.a)! * rh + rh / 2;
      const yb = top + row.get(p.b)! * rh + rh / 2;
      out.push(`<path class="pair" d="M${f(x + cw / 2)},${ya}L${f(x + cw / 2)},${yb}" stroke="#222" stroke-width="${Math.min(4, 1 + p.tasks)}"><title>slot ${c.slot}: UAVs ${p.a}+${p.b} shared ${p.tasks} task(s)</title></path>`);
    }
    if (cols <= 30 || j % Math.ceil(cols / 20) === 0) out.push(`<text x="${f(x + cw / 2)}" y="${top + rows * rh + 16}" text-anchor="middle" fill="#333">${c.slot}</text>`);
  });
  out.push(`<text x="${left + (cols * cw) / 2}" y="${height - 6}" text-anchor="middle" fill="#333">slot</text>`, '</svg>');
  return out.join('\n');
}

export { escapeXml };
