/**
 * Dependency-free SVG charts for experiment figures: `lineChart` (numeric x) and `barChart`
 * (grouped bars over categories). Both return a complete standalone SVG document string with a
 * title, axis labels, nice ticks, light grid, and a legend to the right of the plot.
 *
 * Series are drawn in the Okabe–Ito colour-blind-safe palette with a distinct marker shape and
 * dash pattern per series, so figures stay readable in greyscale. Each series is a
 * `<g class="series" data-name="…">`; each line-chart point is one `class="marker"` element and
 * each bar one `class="bar"` element (tests and scripts may count them); `markers: 'none'` draws
 * lines only, for dense time series. Non-finite y values break a line and draw no marker.
 */
import { formatTick, niceTicks } from './ticks.ts';

export interface LineSeries {
  name: string;
  points: (readonly [number, number])[];
  /** Optional ± error per point (same order as `points`), drawn as a vertical bar. */
  errors?: number[];
}

export interface LineChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: LineSeries[];
  /** Force the axis to include these values (e.g. `yMin: 0`). */
  xMin?: number;
  xMax?: number;
  yMin?: number;
  /** The quantity cannot go below this (e.g. 0 for a DOR): error bars (± sd) are cut there. */
  yFloor?: number;
  yMax?: number;
  width?: number;
  height?: number;
  /** 'all' (default): a marker per point; 'none': lines only, for dense time series. */
  markers?: 'all' | 'none';
}

export interface BarSeries {
  name: string;
  values: number[];
}

export interface BarChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  categories: string[];
  series: BarSeries[];
  yMax?: number;
  width?: number;
  height?: number;
}

const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#999999'];
const DASHES = ['', '6 3', '2 3', '8 3 2 3', '4 4', '1 2', '10 4', '3 3 1 3'];
const MARKERS = ['circle', 'square', 'triangle', 'diamond', 'down', 'cross'] as const;
const FONT = 'font-family="Helvetica, Arial, sans-serif"';
/** Rough average glyph width at 13 px, for sizing the legend and labels without a renderer. */
const CHAR_W = 7.2;

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const f = (v: number): string => (Math.round(v * 100) / 100).toString();

interface Frame {
  left: number;
  top: number;
  right: number;
  bottom: number;
  width: number;
  height: number;
}

/** Approximate width of one character of the bold 17 px title. */
const TITLE_CHAR_W = 9.6;

/** The title broken into lines at spaces so that each fits the canvas width. */
export function titleLines(title: string, width: number): string[] {
  const max = Math.max(20, Math.floor((width - 40) / TITLE_CHAR_W));
  const lines: string[] = [];
  let cur = '';
  for (const w of title.split(' ')) {
    if (cur && cur.length + 1 + w.length > max) {
      lines.push(cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) lines.push(cur);
  return lines;
}

function frame(width: number, height: number, names: string[], title: string): Frame {
  const legendW = names.length === 0 ? 0 : 40 + Math.max(...names.map((n) => n.length)) * CHAR_W;
  const left = 78;
  const top = 48 + (titleLines(title, width).length - 1) * 21;
  const right = width - 20 - Math.min(legendW, width * 0.4);
  const bottom = height - 62;
  return { left, top, right, bottom, width, height };
}

function marker(kind: (typeof MARKERS)[number], x: number, y: number, color: string): string {
  const r = 4;
  const common = `class="marker" fill="${color}" stroke="${color}"`;
  switch (kind) {
    case 'circle':
      return `<circle ${common} cx="${f(x)}" cy="${f(y)}" r="${r}"/>`;
    case 'square':
      return `<rect ${common} x="${f(x - r)}" y="${f(y - r)}" width="${2 * r}" height="${2 * r}"/>`;
    case 'triangle':
      return `<polygon ${common} points="${f(x)},${f(y - r - 1)} ${f(x - r - 1)},${f(y + r)} ${f(x + r + 1)},${f(y + r)}"/>`;
    case 'diamond':
      return `<polygon ${common} points="${f(x)},${f(y - r - 1)} ${f(x + r + 1)},${f(y)} ${f(x)},${f(y + r + 1)} ${f(x - r - 1)},${f(y)}"/>`;
    case 'down':
      return `<polygon ${common} points="${f(x)},${f(y + r + 1)} ${f(x - r - 1)},${f(y - r)} ${f(x + r + 1)},${f(y - r)}"/>`;
    case 'cross':
      return `<path ${common} stroke-width="2" d="M${f(x - r)},${f(y - r)}L${f(x + r)},${f(y + r)}M${f(x - r)},${f(y + r)}L${f(x + r)},${f(y - r)}"/>`;
  }
}

function header(width: number, height: number, title: string, fr: Frame, xLabel: string, yLabel: string): string[] {
  const cy = (fr.top + fr.bottom) / 2;
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT}>`,
    `<title>${escapeXml(title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    ...titleLines(title, width).map((line, i) => `<text x="${f(width / 2)}" y="${28 + 21 * i}" text-anchor="middle" font-size="17" font-weight="bold" fill="#222">${escapeXml(line)}</text>`),
    `<text x="${f((fr.left + fr.right) / 2)}" y="${height - 16}" text-anchor="middle" font-size="14" fill="#222">${escapeXml(xLabel)}</text>`,
    `<text x="20" y="${f(cy)}" text-anchor="middle" font-size="14" fill="#222" transform="rotate(-90 20 ${f(cy)})">${escapeXml(yLabel)}</text>`,
  ];
}

function yAxis(fr: Frame, ticks: { values: number[]; step: number }, toY: (v: number) => number): string[] {
  const out: string[] = ['<g class="y-axis" font-size="12" fill="#333">'];
  for (const v of ticks.values) {
    const y = toY(v);
    out.push(`<line x1="${fr.left}" y1="${f(y)}" x2="${f(fr.right)}" y2="${f(y)}" stroke="#e3e3e3" stroke-width="1"/>`);
    out.push(`<text x="${fr.left - 6}" y="${f(y + 4)}" text-anchor="end">${escapeXml(formatTick(v, ticks.step))}</text>`);
  }
  out.push('</g>');
  return out;
}

function axesBox(fr: Frame): string {
  return `<rect x="${fr.left}" y="${fr.top}" width="${f(fr.right - fr.left)}" height="${f(fr.bottom - fr.top)}" fill="none" stroke="#444" stroke-width="1"/>`;
}

function legend(fr: Frame, names: string[], sample: (i: number, x: number, y: number) => string): string[] {
  if (names.length === 0) return [];
  const x0 = fr.right + 14;
  const out = ['<g class="legend" font-size="13" fill="#222">'];
  names.forEach((name, i) => {
    const y = fr.top + 8 + i * 22;
    out.push(sample(i, x0, y));
    out.push(`<text x="${f(x0 + 32)}" y="${f(y + 4.5)}">${escapeXml(name)}</text>`);
  });
  out.push('</g>');
  return out;
}

const color = (i: number): string => PALETTE[i % PALETTE.length]!;
const dash = (i: number): string => DASHES[i % DASHES.length]!;
const markerKind = (i: number) => MARKERS[i % MARKERS.length]!;
const dashAttr = (i: number): string => (dash(i) ? ` stroke-dasharray="${dash(i)}"` : '');

/** A line chart over numeric x. Series with no finite points still get a legend entry. */
export function lineChart(spec: LineChartSpec): string {
  const width = spec.width ?? 760;
  const height = spec.height ?? 460;
  const fr = frame(width, height, spec.series.map((s) => s.name), spec.title);
  const xs: number[] = [];
  const ys: number[] = [];
  for (const s of spec.series) {
    s.points.forEach(([x, y], k) => {
      if (!Number.isFinite(x) || !Number.isFinite(y)) return;
      xs.push(x);
      const e = s.errors?.[k];
      if (e !== undefined && Number.isFinite(e)) ys.push(Math.max(y - Math.abs(e), spec.yFloor ?? -Infinity), y + Math.abs(e));
      else ys.push(y);
    });
  }
  for (const v of [spec.xMin, spec.xMax]) if (v !== undefined) xs.push(v);
  for (const v of [spec.yMin, spec.yMax]) if (v !== undefined) ys.push(v);
  const xt = niceTicks(xs.length ? Math.min(...xs) : 0, xs.length ? Math.max(...xs) : 1, 6);
  const yt = niceTicks(ys.length ? Math.min(...ys) : 0, ys.length ? Math.max(...ys) : 1, 5);
  const toX = (x: number): number => fr.left + ((x - xt.min) / (xt.max - xt.min)) * (fr.right - fr.left);
  const toY = (y: number): number => fr.bottom - ((y - yt.min) / (yt.max - yt.min)) * (fr.bottom - fr.top);

  const out = header(width, height, spec.title, fr, spec.xLabel, spec.yLabel);
  out.push(...yAxis(fr, yt, toY));
  out.push('<g class="x-axis" font-size="12" fill="#333">');
  for (const v of xt.values) {
    const x = toX(v);
    out.push(`<line x1="${f(x)}" y1="${fr.top}" x2="${f(x)}" y2="${fr.bottom}" stroke="#eeeeee" stroke-width="1"/>`);
    out.push(`<text x="${f(x)}" y="${fr.bottom + 18}" text-anchor="middle">${escapeXml(formatTick(v, xt.step))}</text>`);
  }
  out.push('</g>');
  out.push(axesBox(fr));

  spec.series.forEach((s, i) => {
    const c = color(i);
    out.push(`<g class="series" data-name="${escapeXml(s.name)}">`);
    let d = '';
    let pen = false;
    for (const [x, y] of s.points) {
      if (!Number.isFinite(x) || !Number.isFinite(y)) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${f(toX(x))},${f(toY(y))}`;
      pen = true;
    }
    if (d) out.push(`<path class="line" d="${d}" fill="none" stroke="${c}" stroke-width="2"${dashAttr(i)}/>`);
    s.points.forEach(([x, y], k) => {
      if (!Number.isFinite(x) || !Number.isFinite(y)) return;
      const e = s.errors?.[k];
      if (e !== undefined && Number.isFinite(e) && e !== 0) {
        const px = f(toX(x));
        const lo = Math.max(y - Math.abs(e), spec.yFloor ?? -Infinity);
        out.push(`<path class="error" d="M${px},${f(toY(lo))}L${px},${f(toY(y + Math.abs(e)))}" stroke="${c}" stroke-width="1.2"/>`);
      }
      if (spec.markers !== 'none') out.push(marker(markerKind(i), toX(x), toY(y), c));
    });
    out.push('</g>');
  });

  out.push(
    ...legend(
      fr,
      spec.series.map((s) => s.name),
      (i, x, y) =>
        `<path d="M${f(x)},${f(y)}L${f(x + 24)},${f(y)}" stroke="${color(i)}" stroke-width="2"${dashAttr(i)}/>` +
        marker(markerKind(i), x + 12, y, color(i)).replace('class="marker"', 'class="legend-marker"'),
    ),
  );
  out.push('</svg>');
  return out.join('\n') + '\n';
}

/** A grouped bar chart: one group per category, one bar per series. The value axis includes 0. */
export function barChart(spec: BarChartSpec): string {
  const width = spec.width ?? 760;
  const height = spec.height ?? 460;
  const fr = frame(width, height, spec.series.map((s) => s.name), spec.title);
  const vals = spec.series.flatMap((s) => s.values.filter((v) => Number.isFinite(v)));
  vals.push(0);
  if (spec.yMax !== undefined) vals.push(spec.yMax);
  const yt = niceTicks(Math.min(...vals), Math.max(...vals), 5);
  const toY = (y: number): number => fr.bottom - ((y - yt.min) / (yt.max - yt.min)) * (fr.bottom - fr.top);

  const out = header(width, height, spec.title, fr, spec.xLabel, spec.yLabel);
  out.push(...yAxis(fr, yt, toY));
  const nc = Math.max(1, spec.categories.length);
  const groupW = (fr.right - fr.left) / nc;
  const ns = Math.max(1, spec.series.length);
  const barW = (groupW * 0.8) / ns;
  const longest = Math.max(0, ...spec.categories.map((c) => c.length));
  const rotate = longest * CHAR_W * 0.9 > groupW;
  out.push('<g class="x-axis" font-size="12" fill="#333">');
  spec.categories.forEach((c, k) => {
    const x = fr.left + groupW * (k + 0.5);
    const y = fr.bottom + 18;
    out.push(
      rotate
        ? `<text x="${f(x)}" y="${y}" text-anchor="end" transform="rotate(-30 ${f(x)} ${y})">${escapeXml(c)}</text>`
        : `<text x="${f(x)}" y="${y}" text-anchor="middle">${escapeXml(c)}</text>`,
    );
  });
  out.push('</g>');

  const zeroY = toY(Math.max(yt.min, Math.min(yt.max, 0)));
  spec.series.forEach((s, i) => {
    out.push(`<g class="series" data-name="${escapeXml(s.name)}">`);
    s.values.forEach((v, k) => {
      if (k >= nc || !Number.isFinite(v)) return;
      const x = fr.left + groupW * k + groupW * 0.1 + barW * i;
      const y = toY(v);
      const top = Math.min(y, zeroY);
      out.push(
        `<rect class="bar" x="${f(x)}" y="${f(top)}" width="${f(Math.max(1, barW - 2))}" height="${f(Math.abs(zeroY - y))}" fill="${color(i)}"><title>${escapeXml(`${s.name} · ${spec.categories[k] ?? ''}: ${v}`)}</title></rect>`,
      );
    });
    out.push('</g>');
  });
  out.push(`<line x1="${fr.left}" y1="${f(zeroY)}" x2="${f(fr.right)}" y2="${f(zeroY)}" stroke="#444" stroke-width="1"/>`);
  out.push(axesBox(fr));
  out.push(
    ...legend(
      fr,
      spec.series.map((s) => s.name),
      (i, x, y) => `<rect x="${f(x + 4)}" y="${f(y - 7)}" width="16" height="14" fill="${color(i)}"/>`,
    ),
  );
  out.push('</svg>');
  return out.join('\n') + '\n';
}
