/**
 * Arming and climbing to the takeoff altitude the way each autopilot wants it (MAVLINK.md §4), and
 * re-entering the setpoint mode after an agent restart in the air.
 */
import type { Clock } from '../../../core/clock.ts';
import type { Vehicle } from '../../../firmware-bridge/vehicle.ts';

export type LaunchOutcome = { ok: true } | { ok: false; step: 'arm' | 'offboard' | 'guided' | 'takeoff'; reason: string };

export interface LaunchOptions {
  /**
   * PX4: how long to keep asking for OFFBOARD while the bridge refuses it for want of > 1 s of
   * uninterrupted setpoints, ms (clock time); default 5000. [choice] A stalled tick loop (a busy
   * machine on an accelerated clock) breaks the stream's continuity; one refusal must not leave
   * the UAV on the ground until the next plan while the rest of the fleet takes off.
   */
  offboardWaitMs?: number;
  /** Pause between OFFBOARD attempts, ms; default 250. */
  offboardRetryMs?: number;
}

/**
 * PX4: setpoints must already stream before OFFBOARD is accepted (the caller's tick loop offers
 * them during takeoff), so wait 1.5 s, arm, switch to OFFBOARD (retrying while the stream is not
 * yet continuous for 1 s; disarming if it never is); the climb is flown by setpoints.
 * ArduCopter: GUIDED, arm, NAV_TAKEOFF to `altM`.
 */
export async function launchVehicle(vehicle: Vehicle, clock: Clock, altM: number, o: LaunchOptions = {}): Promise<LaunchOutcome> {
  if (vehicle.state().flavour === 'px4') {
    await clock.sleep(1500);
    const arm = await vehicle.arm();
    if (!arm.ok) return { ok: false, step: 'arm', reason: arm.reason };
    const until = clock.nowUs() + (o.offboardWaitMs ?? 5000) * 1000;
    for (;;) {
      const mode = await vehicle.setGuided();
      if (mode.ok) return { ok: true };
      if (mode.reason !== 'precondition' || clock.nowUs() >= until) {
        await vehicle.disarm();
        return { ok: false, step: 'offboard', reason: mode.detail ? `${mode.reason}: ${mode.detail}` : mode.reason };
      }
      await clock.sleep(o.offboardRetryMs ?? 250);
    }
  }
  const mode = await vehicle.setGuided();
  if (!mode.ok) return { ok: false, step: 'guided', reason: mode.reason };
  const arm = await vehicle.arm();
  if (!arm.ok) return { ok: false, step: 'arm', reason: arm.reason };
  const to = await vehicle.takeoff(altM);
  if (!to.ok) return { ok: false, step: 'takeoff', reason: to.reason };
  return { ok: true };
}
