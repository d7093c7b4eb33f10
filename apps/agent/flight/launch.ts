/**
 * Arming and climbing to the takeoff altitude the way each autopilot wants it (MAVLINK.md §4), and
 * re-entering the setpoint mode after an agent restart in the air.
 */
import type { Clock } from '../../../core/clock.ts';
import type { Vehicle } from '../../../firmware-bridge/vehicle.ts';

export type LaunchOutcome = { ok: true } | { ok: false; step: 'arm' | 'offboard' | 'guided' | 'takeoff'; reason: string };

/**
 * PX4: setpoints must already stream before OFFBOARD is accepted (the caller's tick loop offers
 * them during takeoff), so wait 1.5 s, arm, switch to OFFBOARD; the climb is flown by setpoints.
 * ArduCopter: GUIDED, arm, NAV_TAKEOFF to `altM`.
 */
export async function launchVehicle(vehicle: Vehicle, clock: Clock, altM: number): Promise<LaunchOutcome> {
  if (vehicle.state().flavour === 'px4') {
    await clock.sleep(1500);
    const arm = await vehicle.arm();
    if (!arm.ok) return { ok: false, step: 'arm', reason: arm.reason };
    const mode = await vehicle.setGuided();
    if (!mode.ok) return { ok: false, step: 'offboard', reason: mode.reason };
    return { ok: true };
  }
  const mode = await vehicle.setGuided();
  if (!mode.ok) return { ok: false, step: 'guided', reason: mode.reason };
  const arm = await vehicle.arm();
  if (!arm.ok) return { ok: false, step: 'arm', reason: arm.reason };
  const to = await vehicle.takeoff(altM);
  if (!to.ok) return { ok: false, step: 'takeoff', reason: to.reason };
  return { ok: true };
}
