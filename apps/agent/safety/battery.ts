/**
 * Energy to fly home, for the envelope's battery reserve — SPEC §4's rotary-wing model
 * (`core/models/propulsion.ts`).
 */
import { hoverPowerW, propulsionPowerW, S2_ROTOR, type RotorParams } from '../../../core/models/propulsion.ts';
import type { Vec3 } from './vec.ts';

export interface ReturnEnergyParams {
  rotor: RotorParams;
  /** Horizontal return speed, m/s (e.g. `maxRangeSpeedMS(vMax)`). */
  returnSpeedMS: number;
  /** Vertical speed for the climb/descent to home altitude, m/s. */
  verticalSpeedMS: number;
}

export const DEFAULT_ROTOR = S2_ROTOR;

/**
 * Energy (J) to fly from `pos` to `home` (NED, m), SPEC §4: the horizontal leg at `returnSpeedMS`
 * costs `P(v)·d/v`; the vertical leg costs hover power `P(0)·|Δz|/v_z`. [choice] Climb and
 * descent are both costed at hover power (climbing costs a little more, descending less); the
 * envelope's reserve margin absorbs the difference, as well as wind, which SPEC's model omits.
 */
export function returnEnergyJ(pos: Vec3, home: Vec3, r: ReturnEnergyParams): number {
  const dh = Math.hypot(pos.x - home.x, pos.y - home.y);
  const dz = Math.abs(pos.z - home.z);
  return (propulsionPowerW(r.returnSpeedMS, r.rotor) * dh) / r.returnSpeedMS + (hoverPowerW(r.rotor) * dz) / r.verticalSpeedMS;
}
