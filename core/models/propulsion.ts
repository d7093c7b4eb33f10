/**
 * Rotary-wing propulsion power and flight-energy helpers (SPEC §4, S2 Eq. 12).
 *
 * Exports: `RotorParams`, `S2_ROTOR`, `propulsionPowerW`, `hoverPowerW`, `flightEnergyJ`,
 * `maxRangeSpeedMS`, `maxEnduranceSpeedMS`.
 * Pure functions: SI units in and out (m/s, W, J, m).
 */

/** Constants of the rotary-wing model (SPEC §4). */
export interface RotorParams {
  /** Blade profile power in hover, W. */
  p0W: number;
  /** Induced power in hover, W. */
  piW: number;
  /** Rotor blade tip speed, m/s. */
  uTipMS: number;
  /** Mean rotor induced velocity in hover, m/s. */
  v0MS: number;
  /** Fuselage drag ratio (dimensionless). */
  d0: number;
  /** Air density, kg/m³. */
  rhoKgM3: number;
  /** Rotor solidity (dimensionless). */
  s: number;
  /** Rotor disc area, m². */
  aM2: number;
}

/**
 * S2's values (SPEC §4): P0 = 59.03 W, Pi = 79.07 W, U_tip = 120 m/s, v0 = 3.6 m/s, A = 0.503 m²;
 * d0 = 0.6, ρ = 1.225 kg/m³ and s = 0.05 are SPEC's [choice] (S2 does not print them; these are
 * the usual values of the Zeng–Xu–Zhang rotary-wing model the paper follows).
 */
export const S2_ROTOR: Readonly<RotorParams> = Object.freeze({
  p0W: 59.03,
  piW: 79.07,
  uTipMS: 120,
  v0MS: 3.6,
  d0: 0.6,
  rhoKgM3: 1.225,
  s: 0.05,
  aM2: 0.503,
});

/**
 * Propulsion power at horizontal airspeed `v` (m/s), SPEC §4:
 * `P(v) = P0 (1 + 3v²/U_tip²) + Pi (√(1 + v⁴/(4 v0⁴)) − v²/(2 v0²))^(1/2) + ½ d0 ρ s A v³`.
 * Uses the dimensionally correct `v⁴/(4 v0⁴)` (SPEC notes S2's misprint). The induced term is
 * evaluated in the algebraically equal form `1 / (√(1 + x²) + x)` with `x = v²/(2v0²)` to avoid
 * cancellation at high speed. Negative speeds are treated by magnitude.
 */
export function propulsionPowerW(vMS: number, p: RotorParams = S2_ROTOR): number {
  const v = Math.abs(vMS);
  const v2 = v * v;
  const blade = p.p0W * (1 + (3 * v2) / (p.uTipMS * p.uTipMS));
  const x = v2 / (2 * p.v0MS * p.v0MS);
  // √(1 + x²) − x  ==  1 / (√(1 + x²) + x), and v⁴/(4v0⁴) = x².
  const induced = p.piW * Math.sqrt(1 / (Math.sqrt(1 + x * x) + x));
  const parasite = 0.5 * p.d0 * p.rhoKgM3 * p.s * p.aM2 * v2 * v;
  return blade + induced + parasite;
}

/** Hover power `P(0) = P0 + Pi` (SPEC §4); 138.1 W with S2's constants. */
export function hoverPowerW(p: RotorParams = S2_ROTOR): number {
  return p.p0W + p.piW;
}

/**
 * Energy to fly `distanceM` at constant airspeed `vMS` > 0 (SPEC §4): `E = P(v) · d / v`.
 * Ignores acceleration phases and climb; returns `Infinity` for v ≤ 0 with d > 0.
 */
export function flightEnergyJ(distanceM: number, vMS: number, p: RotorParams = S2_ROTOR): number {
  if (distanceM === 0) return 0;
  if (!(vMS > 0)) return Infinity;
  return (propulsionPowerW(vMS, p) * Math.abs(distanceM)) / vMS;
}

/** Golden-section minimisation of a unimodal `f` on [lo, hi]. */
function goldenMin(f: (v: number) => number, lo: number, hi: number, tol = 1e-6): number {
  const g = (Math.sqrt(5) - 1) / 2;
  let a = lo;
  let b = hi;
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  let fc = f(c);
  let fd = f(d);
  while (b - a > tol) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = f(d);
    }
  }
  return (a + b) / 2;
}

/**
 * Energy-optimal cruise speed (maximum-range speed): the `v` in (0, vMaxMS] minimising energy per
 * metre `P(v)/v` (SPEC §4). `P(v)/v` is unimodal for this model (→ ∞ at 0, ~v² at high speed),
 * so golden-section search is exact to `tol`; clamped to `vMaxMS`.
 */
export function maxRangeSpeedMS(vMaxMS = 60, p: RotorParams = S2_ROTOR): number {
  return goldenMin((v) => propulsionPowerW(v, p) / v, 1e-3, vMaxMS);
}

/** Maximum-endurance speed: the `v` in [0, vMaxMS] minimising `P(v)` (SPEC §4). */
export function maxEnduranceSpeedMS(vMaxMS = 60, p: RotorParams = S2_ROTOR): number {
  return goldenMin((v) => propulsionPowerW(v, p), 0, vMaxMS);
}
