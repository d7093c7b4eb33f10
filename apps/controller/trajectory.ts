/**
 * Where the UAVs' trajectories come from: the controller's cluster planner (hover targets over
 * user clusters, FLIGHT_MODE_GOTO; slot/plan-slot.ts) or the UAVs' onboard policy
 * (FLIGHT_MODE_POLICY with each UAV's own actor; slot/policy-slot.ts, SPEC §5.5). Either way the
 * controller decides offloading and allocation (SPEC §5.1). With a policy the fleet also launches
 * to the start positions the policy was trained from, and slot 0 waits until it is there.
 */
import { FlightState } from '../../proto/index.ts';
import { planPolicySlot, planSlot, type SlotPlanInput, type SlotPlanOutput } from './slot/index.ts';
import type { Twin, UavTwin } from './twin/index.ts';

export type Vec3 = [number, number, number];

export type TrajectoryConfig =
  | { source: 'planner' }
  | {
      source: 'policy';
      /** UAV id → sha256 (hex) of the ONNX actor it flies. */
      models: Record<number, string>;
      /** UAV id → start position (mission frame, m): the launch goes there before slot 0. */
      starts: Record<number, Vec3>;
      /** How close to its start a UAV must be for slot 0 to begin, m (default 1.5). */
      startToleranceM?: number;
    }
  | {
      /** S2 (SPEC §5.4): the controller's S2 driver plans flight with the video (apps/controller/s2); the launch goes to the env's starts. */
      source: 'video';
      starts: Record<number, Vec3>;
      startToleranceM?: number;
    };

export const PLANNER_TRAJECTORY: TrajectoryConfig = { source: 'planner' };

/** The slot's plans from the configured trajectory source. */
export function planFleetSlot(t: TrajectoryConfig, inp: SlotPlanInput): SlotPlanOutput {
  if (t.source === 'planner') return planSlot(inp);
  if (t.source === 'video') throw new Error('S2 video slots are planned by the S2 driver (apps/controller/s2), not planFleetSlot');
  return planPolicySlot({ ...inp, models: new Map(Object.entries(t.models).map(([id, h]) => [Number(id), h])) });
}

/** Where the launch sends a UAV: its start (policy), else above where it stands at the cruise altitude. */
export function launchTarget(t: TrajectoryConfig, u: UavTwin, cruiseAltM: number): Vec3 {
  const s = t.source !== 'planner' ? t.starts[u.id] : undefined;
  return s ? [s[0], s[1], s[2]] : [u.pos![0], u.pos![1], cruiseAltM];
}

/** Every UAV flies, and (policy) is within the tolerance of its start. */
export function fleetReady(t: TrajectoryConfig, twin: Twin): boolean {
  return [...twin.values()].every((u) => {
    if (u.flightState !== FlightState.FLIGHT_STATE_FLYING) return false;
    const s = t.source !== 'planner' ? t.starts[u.id] : undefined;
    if (!s || !u.pos) return true;
    return Math.hypot(u.pos[0] - s[0], u.pos[1] - s[1], u.pos[2] - s[2]) <= (t.source !== 'planner' ? (t.startToleranceM ?? 1.5) : Infinity);
  });
}
