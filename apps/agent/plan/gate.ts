/**
 * Whether an agent may act on a plan (issue 6 §3): addressed to this UAV, not from a deposed
 * leader (issue 19: `leader_epoch` not below the highest epoch accepted), newer than the last plan
 * it accepted (a newer leader's first plan is newer whatever its plan_seq: `newerLeader`), inside
 * its validity window, and flying somewhere the safety envelope allows: every
 * target and waypoint inside the fence and under the ceiling, every leg between waypoints inside
 * the fence (so a plan the envelope would only stop at the fence is refused at intake instead). Schema
 * and ranges are checked before this, when the message is decoded (proto/validate.ts). Pure.
 */
import { NackReason, type Plan } from '../../../proto/index.ts';

export interface GateInput {
  uavId: number;
  /** plan_seq of the last accepted plan; 0 before the first. */
  lastSeq: number;
  /** Highest leader epoch of an accepted plan; 0 before any (or without leader election). */
  epoch?: number;
  nowUs: number;
  /** Says why a position is outside the envelope (fence, altitude band), or undefined when it is inside. */
  positionProblem?: (p: MissionPoint) => string | undefined;
  /** Says why the straight leg a→b between two waypoints leaves the fence (a concave fence), or undefined. */
  legProblem?: (a: MissionPoint, b: MissionPoint) => string | undefined;
}

/** A plan position in the mission frame (x east, y north, alt up; m). */
export interface MissionPoint {
  x_east_m: number;
  y_north_m: number;
  alt_m: number;
}

export type GateVerdict = { accepted: true } | { accepted: false; reason: NackReason; detail: string };

/**
 * Whether a plan comes from a newer leader than the agent has followed (issue 19): plans are
 * ordered by (leader_epoch, plan_seq), so the first plan of a newer epoch supersedes the deposed
 * leader's even when their plan_seq says otherwise — the two controllers' clocks differ, and a
 * deposed leader that has not yet read the new lease keeps stamping plans later than the new
 * leader's delayed first ones (a standby that took over during a broker stall): refusing those as
 * stale would fly the deposed leader's plans and refuse the new one's. Only once the agent knows
 * an epoch (it accepted an epoch-stamped plan in this process; epochs are not persisted): after a
 * restart the plan_seq alone decides, as without leader election.
 */
export function newerLeader(planEpoch: number, knownEpoch: number): boolean {
  return knownEpoch > 0 && planEpoch > knownEpoch;
}

export function gatePlan(plan: Plan, g: GateInput): GateVerdict {
  if (plan.uav_id !== g.uavId) return { accepted: false, reason: NackReason.NACK_REASON_WRONG_UAV, detail: `plan for UAV ${plan.uav_id}, this is UAV ${g.uavId}` };
  if (plan.leader_epoch < (g.epoch ?? 0)) {
    return { accepted: false, reason: NackReason.NACK_REASON_STALE_EPOCH, detail: `leader epoch ${plan.leader_epoch} below ${g.epoch}: plan from a deposed leader` };
  }
  if (plan.plan_seq <= g.lastSeq && !newerLeader(plan.leader_epoch, g.epoch ?? 0)) {
    return { accepted: false, reason: NackReason.NACK_REASON_STALE_SEQ, detail: `plan_seq ${plan.plan_seq} not newer than ${g.lastSeq}` };
  }
  if (g.nowUs > plan.expires_t_us) {
    return { accepted: false, reason: NackReason.NACK_REASON_EXPIRED, detail: `expired ${((g.nowUs - plan.expires_t_us) / 1e6).toFixed(3)} s ago` };
  }
  const f = plan.flight;
  if (f && g.positionProblem) {
    const points = [...(f.target ? [f.target] : []), ...f.waypoints];
    for (const p of points) {
      const why = g.positionProblem(p);
      if (why) return { accepted: false, reason: NackReason.NACK_REASON_UNSAFE, detail: why };
    }
  }
  if (f && g.legProblem) {
    for (let i = 1; i < f.waypoints.length; i++) {
      const why = g.legProblem(f.waypoints[i - 1]!, f.waypoints[i]!);
      if (why) return { accepted: false, reason: NackReason.NACK_REASON_UNSAFE, detail: `waypoints ${i}→${i + 1}: ${why}` };
    }
  }
  return { accepted: true };
}
