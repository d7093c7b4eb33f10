// Per-slot charts on canvases: DOR flown and planned, fleet energy, tasks, late tasks. Each canvas
// carries data-points (slots drawn) so tests can watch it grow.
import { S3_PLANNERS } from './slots.js';

export const SERIES = [
  { id: 'dor', min: 0.1, title: 'DOR per slot', lines: [['flown', '#2ecc71', (r) => r.dor], ['planned', '#74b9ff', (r) => r.plannedDor]] },
  { id: 'energy', min: 0.1, title: 'fleet energy used (kJ)', lines: [['flight + compute', '#f1c40f', (r) => (r.energyJ ? r.energyJ / 1000 : null)]] },
  { id: 'tasks', title: 'tasks per slot', lines: [['released', '#bbb', (r) => r.released], ['completed', '#2ecc71', (r) => r.completed]] },
  { id: 'late', title: 'late / failed tasks', lines: [['late', '#e67e22', (r) => r.late], ['failed', '#e74c3c', (r) => r.failed]] },
];

export class Charts {
  constructor(box) {
    this.canvases = SERIES.map((s) => {
      const c = document.createElement('canvas');
      c.id = `chart-${s.id}`; c.dataset.points = '0';
      box.appendChild(c);
      return c;
    });
    this.sig = '';
  }

  /** Redraws when a slot is added or resized at once, else at most once a second (the current slot's values move). */
  update(rows) {
    const now = performance.now();
    const grew = rows.length !== this.n || this.resized();
    if (!grew && now - (this.at ?? 0) < 1000) return;
    const sig = rows.map((r) => `${r.slot}:${r.dor.toFixed(3)}:${r.plannedDor}:${r.completed}:${r.late}:${r.failed}:${Math.round(r.energyJ / 100)}`).join(',');
    if (sig === this.sig && !grew) return;
    Object.assign(this, { sig, n: rows.length, at: now });
    SERIES.forEach((s, i) => draw(this.canvases[i], s.id === 'dor' ? objectiveSeries(s, rows) : s, rows));
  }

  resized() {
    return this.canvases.some((c) => c.width !== Math.round(c.clientWidth * (window.devicePixelRatio || 1)));
  }
}

/**
 * The first chart is S3's DOR (flown and planned). Under another system's planner (S0's coalition
 * game: its worth; S2's actors: their objective) it shows that planner's objective alone, so
 * named, instead of a DOR the mission does not have.
 */
export function objectiveSeries(dor, rows) {
  const planner = rows.map((r) => r.planner).filter(Boolean).at(-1);
  if (!planner || S3_PLANNERS.has(planner)) return dor;
  const s0 = planner === 'coalition' || planner === 'grand' || planner === 'nash';
  return { ...dor, title: s0 ? `S0 coalition worth per slot (${planner})` : `planner objective per slot (${planner})`, lines: [['planned', '#74b9ff', (r) => r.plannedDor]] };
}

function draw(c, spec, rows) {
  const dpr = window.devicePixelRatio || 1;
  const w = c.clientWidth, h = c.clientHeight;
  c.width = Math.round(w * dpr); c.height = Math.round(h * dpr);
  const ctx = c.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  c.dataset.points = String(rows.length);
  const L = 34, R = 6, T = 16, B = 16;
  const vals = spec.lines.flatMap(([, , f]) => rows.map(f)).filter((v) => v != null && Number.isFinite(v));
  const y0 = Math.min(0, ...vals), y1 = Math.max(spec.min ?? 1, ...vals) * 1.08;
  const s0 = rows[0]?.slot ?? 0, s1 = Math.max(s0 + 1, rows[rows.length - 1]?.slot ?? 1);
  const X = (s) => L + ((s - s0) / (s1 - s0)) * (w - L - R), Y = (v) => h - B - ((v - y0) / (y1 - y0)) * (h - T - B);
  ctx.fillStyle = '#ccc'; ctx.font = '11px sans-serif'; ctx.fillText(spec.title, L, 11);
  ctx.fillStyle = '#888'; ctx.font = '10px sans-serif';
  ctx.fillText(y1.toPrecision(3), 2, T + 4); ctx.fillText(y0.toPrecision(2), 2, h - B);
  ctx.fillText(`slot ${s0}`, L, h - 3); ctx.fillText(`${s1}`, w - R - 16, h - 3);
  ctx.strokeStyle = '#444'; ctx.strokeRect(L, T, w - L - R, h - T - B);
  let lx = w - R - 4;
  for (const [name, col, f] of [...spec.lines].reverse()) {
    ctx.strokeStyle = col; ctx.lineWidth = 1.5; ctx.beginPath();
    let first = true;
    for (const r of rows) {
      const v = f(r);
      if (v == null || !Number.isFinite(v)) { first = true; continue; }
      (first ? ctx.moveTo : ctx.lineTo).call(ctx, X(r.slot), Y(v));
      first = false;
    }
    ctx.stroke();
    lx -= ctx.measureText(name).width; ctx.fillStyle = col; ctx.fillText(name, lx, 11); lx -= 10;
  }
}
