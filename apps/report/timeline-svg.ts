/** The flight-mode timeline as SVG: one lane per UAV, one coloured bar per autopilot mode segment. */
import { escapeXml } from '../experiments/plot/svg.ts';
import type { ModeSegment } from './links.ts';

const FIXED: Record<string, string> = { RTL: '#D55E00', LAND: '#E69F00', LOITER: '#F0E442', BRAKE: '#F0E442', GUIDED: '#0072B2', OFFBOARD: '#0072B2', STABILIZE: '#999999', '?': '#dddddd' };
const modeColour = (m: string) => FIXED[m] ?? `hsl(${[...m].reduce((a, c) => a + c.charCodeAt(0) * 37, 0) % 360},45%,55%)`;
const f = (v: number) => (Math.round(v * 10) / 10).toString();

export function modeTimelineSvg(lanes: Record<number, ModeSegment[]>, endS: number, width: number): string {
  const ids = Object.keys(lanes).map(Number).sort((a, b) => a - b);
  const L = 60, R = 10, lane = 26, top = 24;
  const h = top + ids.length * lane + 40;
  const X = (s: number) => L + (s / Math.max(endS, 1e-9)) * (width - L - R);
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" class="modes" width="${width}" height="${h}" viewBox="0 0 ${width} ${h}" font-family="Helvetica, Arial, sans-serif" font-size="11">`,
    '<title>Flight-mode timeline</title>', `<rect width="${width}" height="${h}" fill="#ffffff"/>`, `<text x="${L}" y="14" font-size="13">Flight-mode timeline (autopilot mode · agent flight state)</text>`];
  const modes = new Set<string>();
  ids.forEach((id, i) => {
    const y = top + i * lane;
    out.push(`<text x="4" y="${y + 16}">UAV ${id}</text>`);
    for (const s of lanes[id]!) {
      modes.add(s.mode);
      const w = Math.max(0.5, X(s.toS) - X(s.fromS));
      out.push(`<rect class="mode" data-uav="${id}" data-mode="${escapeXml(s.mode)}" x="${f(X(s.fromS))}" y="${y + 2}" width="${f(w)}" height="${lane - 6}" fill="${modeColour(s.mode)}" fill-opacity="${s.flight === 'flying' ? 1 : 0.6}"><title>UAV ${id}: ${escapeXml(s.mode)} · ${escapeXml(s.flight)}, ${f(s.fromS)}–${f(s.toS)} s</title></rect>`);
      const label = w > (s.mode.length + s.flight.length + 3) * 6.5 + 6 ? `${s.mode} · ${s.flight}` : w > s.mode.length * 7 + 6 ? s.mode : '';
      if (label) out.push(`<text x="${f(X(s.fromS) + 3)}" y="${y + 16}" fill="#fff">${escapeXml(label)}</text>`);
    }
  });
  const axisY = top + ids.length * lane + 4;
  for (let k = 0; k <= 5; k++) out.push(`<text x="${f(X((endS * k) / 5))}" y="${axisY + 10}" text-anchor="${k === 5 ? 'end' : 'middle'}">${f((endS * k) / 5)} s</text>`);
  let lx = L;
  for (const m of modes) {
    out.push(`<rect x="${lx}" y="${axisY + 18}" width="10" height="10" fill="${modeColour(m)}"/><text x="${lx + 13}" y="${axisY + 27}">${escapeXml(m)}</text>`);
    lx += 24 + m.length * 7;
  }
  out.push('</svg>');
  return out.join('');
}
