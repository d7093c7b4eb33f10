/**
 * Axis ticks: "nice" values (1, 2, 2.5, 5 × 10^k) covering a data range, and a label format
 * that shows just enough decimals for the step (or an exponent for very large/small values).
 */

/** The nice step ≥ `rough` from {1, 2, 2.5, 5} × 10^k. */
export function niceStep(rough: number): number {
  if (!(rough > 0) || !Number.isFinite(rough)) return 1;
  const exp = Math.floor(Math.log10(rough));
  const base = 10 ** exp;
  const f = rough / base;
  const m = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
  return m * base;
}

export interface Ticks {
  /** The axis range: `min` ≤ data min, `max` ≥ data max, both multiples of `step`. */
  min: number;
  max: number;
  step: number;
  values: number[];
}

/**
 * About `target` nice ticks spanning [lo, hi]. A degenerate range (lo = hi) is widened around
 * the value so a flat series still gets an axis.
 */
export function niceTicks(lo: number, hi: number, target = 5): Ticks {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
    lo = 0;
    hi = 1;
  }
  if (lo > hi) [lo, hi] = [hi, lo];
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const step = niceStep((hi - lo) / Math.max(1, target));
  // Small epsilon so values like 0.30000000000000004 do not push the axis one step out.
  const eps = step * 1e-9;
  const min = Math.floor((lo + eps) / step) * step;
  const max = Math.ceil((hi - eps) / step) * step;
  const n = Math.round((max - min) / step);
  const values: number[] = [];
  for (let i = 0; i <= n; i++) values.push(roundTo(min + i * step, step));
  return { min: roundTo(min, step), max: roundTo(max, step), step, values };
}

/** Removes floating-point noise below the step's precision. */
function roundTo(v: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 2);
  const r = Number(v.toFixed(Math.min(20, decimals)));
  return Object.is(r, -0) ? 0 : r;
}

/** A tick label: fixed decimals matching the step, exponent form outside [1e-3, 1e6). */
export function formatTick(v: number, step: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-3) {
    const s = v.toExponential(2);
    return s.replace(/\.?0+e/, 'e').replace('e+', 'e');
  }
  let decimals = 0;
  while (decimals < 6 && Math.abs(step * 10 ** decimals - Math.round(step * 10 ** decimals)) > 1e-6 * step * 10 ** decimals) decimals++;
  return v.toFixed(decimals);
}
