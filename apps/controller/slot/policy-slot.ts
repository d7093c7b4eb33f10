/**
 * One slot's plans when the UAVs' onboard policy flies the trajectory (FLIGHT_MODE_POLICY, S3's
 * decentralised MADDPG actors, SPEC §5.5): each UAV is told to fly its own actor, named by the
 * sha256 of the ONNX file, and the controller still decides offloading and allocation (CD + KKT,
 * SPEC §5.1) from where the twin says the UAVs are now — the same `slotOffloading` as the
 * cluster planner. Pure: the same inputs give the same plans.
 */
import { FlightMode } from '../../../proto/index.ts';
import type { Point2 } from './hover.ts';
import { slotOffloading, slotPlanBody, type PlanBody, type SlotPlanInput, type SlotPlanOutput } from './plan-slot.ts';

export interface PolicySlotInput extends Omit<SlotPlanInput, 'cruiseAltM' | 'speedMS' | 'prevTargets' | 'layerSpacingM' | 'seed'> {
  /** UAV id → sha256 (hex) of the actor it flies. */
  models: ReadonlyMap<number, string>;
}

export function planPolicySlot(inp: PolicySlotInput): SlotPlanOutput {
  const uavs = [...inp.twin.values()].filter((u) => u.pos !== undefined).sort((a, b) => a.id - b.id);
  const { serving, offload, assignments } = slotOffloading(inp, uavs);
  const plans = new Map<number, PlanBody>();
  const targets = new Map<number, Point2>();
  const nowUs = Math.round(inp.nowUs);
  for (const u of uavs) {
    const model = inp.models.get(u.id);
    // A UAV without an actor of its own is not given someone else's: it holds (and still serves).
    const flight = model ? { mode: FlightMode.FLIGHT_MODE_POLICY, model_sha256: model } : { mode: FlightMode.FLIGHT_MODE_HOLD };
    // No hover target: the policy decides. Where the UAV is stands in for reports and a later planner.
    targets.set(u.id, [u.pos![0], u.pos![1]]);
    plans.set(u.id, slotPlanBody(inp, u.id, nowUs, flight, { assignments, offload }));
  }
  return { plans, targets, serving: serving.map((u) => u.id), ...(offload ? { offload } : {}), predictedDor: offload?.dor ?? 0 };
}
