/**
 * Computing-time and CPU-energy models (SPEC §4). Pure functions, SI units:
 * cycles, Hz (cycles/s), s, J. κ is the effective switched-capacitance coefficient (W/(cycle/s)³),
 * SPEC [choice] 1e-28…1e-27.
 */

/** Compute time `t = cycles / f` (SPEC §4). Infinite when f ≤ 0 and there is work to do. */
export function computeTimeS(cycles: number, fHz: number): number {
  if (cycles <= 0) return 0;
  return fHz > 0 ? cycles / fHz : Infinity;
}

/** Cycles of a task of `bits` at `cyclesPerBit` (D·C in SPEC §5.1, ϑ·s in §5.2). */
export function taskCycles(bits: number, cyclesPerBit: number): number {
  return bits * cyclesPerBit;
}

/** CPU energy `κ f² · cycles` (SPEC §4). */
export function cpuEnergyJ(kappa: number, fHz: number, cycles: number): number {
  return kappa * fHz * fHz * cycles;
}

/** CPU energy written through time: `κ f³ t` (SPEC §4; equal to `κ f² cycles` with t = cycles/f). */
export function cpuEnergyFromTimeJ(kappa: number, fHz: number, timeS: number): number {
  return kappa * fHz * fHz * fHz * timeS;
}

/** CPU power `κ f³` (W) at frequency f. */
export function cpuPowerW(kappa: number, fHz: number): number {
  return kappa * fHz * fHz * fHz;
}

/** Local execution delay `T^loc = D·C / f^loc` (SPEC §5.1). */
export function localDelayS(dataBits: number, cyclesPerBit: number, fLocalHz: number): number {
  return computeTimeS(taskCycles(dataBits, cyclesPerBit), fLocalHz);
}
