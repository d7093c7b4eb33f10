/**
 * A minimal line-chart SVG (reward curves): series of (x, y), axes with min/max labels, a legend.
 * Pure string output; used until a shared plotting module exists.
 */
export interface Series { name: string; points: [number, number][]; color?: string }

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (v: number) => (Math.abs(v) >= 1000 || (Math.abs(v) < 0.01 && v !== 0) ? v.toExponential(2) : v.toFixed(2));

export function lineChartSvg(title: string, xLabel: string, yLabel: string, series: Series[], width = 640, height = 360): string {
  const pts = series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const [x0, x1] = pts.length ? [Math.min(...pts.map((p) => p[0])), Math.max(...pts.map((p) => p[0]))] : [0, 1];
  const [y0, y1] = pts.length ? [Math.min(...pts.map((p) => p[1])), Math.max(...pts.map((p) => p[1]))] : [0, 1];
  const m = { l: 70, r: 20, t: 30, b: 45 };
  const w = width - m.l - m.r, h = height - m.t - m.b;
  const sx = (x: number) => m.l + (x1 > x0 ? ((x - x0) / (x1 - x0)) * w : w / 2);
  const sy = (y: number) => m.t + h - (y1 > y0 ? ((y - y0) / (y1 - y0)) * h : h / 2);
  const palette = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];
  const lines = series.map((s, i) => {
    const d = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)).map(([x, y], k) => `${k ? 'L' : 'M'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join('');
    const c = s.color ?? palette[i % palette.length]!;
    return `<path d="${d}" fill="none" stroke="${c}" stroke-width="1.5"/>` +
      `<text x="${m.l + 10}" y="${m.t + 15 + 15 * i}" fill="${c}" font-size="12">${esc(s.name)}</text>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="18" text-anchor="middle" font-size="14">${esc(title)}</text>`,
    `<path d="M${m.l},${m.t}V${m.t + h}H${m.l + w}" fill="none" stroke="black"/>`,
    `<text x="${m.l - 5}" y="${m.t + 5}" text-anchor="end" font-size="11">${fmt(y1)}</text>`,
    `<text x="${m.l - 5}" y="${m.t + h}" text-anchor="end" font-size="11">${fmt(y0)}</text>`,
    `<text x="${m.l}" y="${m.t + h + 15}" text-anchor="middle" font-size="11">${fmt(x0)}</text>`,
    `<text x="${m.l + w}" y="${m.t + h + 15}" text-anchor="middle" font-size="11">${fmt(x1)}</text>`,
    `<text x="${m.l + w / 2}" y="${height - 8}" text-anchor="middle" font-size="12">${esc(xLabel)}</text>`,
    `<text x="15" y="${m.t + h / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 15 ${m.t + h / 2})">${esc(yLabel)}</text>`,
    ...lines,
    '</svg>',
  ].join('\n');
}

/** Moving average over a window (for smoothing reward curves). */
export function movingAverage(ys: number[], window: number): number[] {
  return ys.map((_, i) => {
    const lo = Math.max(0, i - window + 1);
    const part = ys.slice(lo, i + 1);
    return part.reduce((a, b) => a + b, 0) / part.length;
  });
}
