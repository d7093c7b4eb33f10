/**
 * An agent's plan intake (issue 6 §3 + issue 9 §2): authenticity first, then the gate.
 * - With a pinned controller key: the plan's Ed25519 signature (`PlanVerifier`: signature →
 *   newer plan_seq → not expired). A refusal is nacked BAD_SIGNATURE / STALE_SEQ / EXPIRED
 *   (`nackReasonFor`) and counted in `auth`.
 * - Then `gatePlan` (addressed here, newer, valid, every target, waypoint and leg inside the
 *   envelope's horizontal fence and under its ceiling: `fenceChecks`).
 * A correctly signed plan addressed to another UAV is refused WRONG_UAV *without* advancing the
 * verifier's sequence: plan_seq is per controller clock, not per UAV, so another UAV's genuine
 * plan replayed onto this topic must not make this UAV's own plan of the same slot look stale.
 * Pure apart from the verifier's state; time comes in as `nowUs`.
 */
import type { KeyObject } from 'node:crypto';
import type { NackReason, Plan } from '../../../proto/index.ts';
import { nackReasonFor, PlanVerifier, verifyPlan, type PlanRefusal, type PlanVerifierStats } from '../../security/plan-signing.ts';
import { horizontalDepth, horizontalPathClearance, type Envelope, type EnvelopeConfig, type NE } from '../safety/index.ts';
import { gatePlan, type GateInput, type GateVerdict, type MissionPoint } from './gate.ts';

/** The verifier's counters plus `refused`: every plan refused as unauthentic. */
export type PlanAuthSummary = PlanVerifierStats & { refused: number };

export type IntakeVerdict = GateVerdict | { accepted: false; reason: NackReason; detail: string; auth: PlanRefusal };

export class PlanIntake {
  private readonly verifier: PlanVerifier | undefined;
  /** Signature failures on plans addressed to another UAV (checked statelessly, see above). */
  private foreignBad = 0;
  /** Highest leader epoch of a plan the gate accepted (issue 19 fencing; in memory). */
  epoch = 0;

  constructor(
    private readonly uavId: number,
    /** Pinned controller public key; undefined = plans are not authenticated (warned at start). */
    private readonly verifyKey: KeyObject | undefined,
    /** plan_seq of the last plan accepted before (restored state). */
    lastSeq: number,
  ) {
    this.verifier = verifyKey ? new PlanVerifier(verifyKey, lastSeq) : undefined;
  }

  get authenticated(): boolean {
    return this.verifier !== undefined;
  }

  /** Signature-check counters (undefined without a pinned key). */
  get auth(): Readonly<PlanVerifierStats> | undefined {
    return this.verifier?.stats;
  }

  /** Plans refused as unauthentic: unsigned, bad signature, replayed, expired (signed ones only reach expiry). */
  get authRefusals(): number {
    const s = this.verifier?.stats;
    return s ? s.unsigned + s.bad_signature + s.replay + s.expired + this.foreignBad : 0;
  }

  summary(): PlanAuthSummary | undefined {
    return this.verifier ? { ...this.verifier.stats, refused: this.authRefusals } : undefined;
  }

  check(plan: Plan, ctx: { lastSeq: number; nowUs: number; envelope: Envelope }): IntakeVerdict {
    if (this.verifier && this.verifyKey) {
      if (plan.uav_id !== this.uavId) {
        const sig = verifyPlan(plan, this.verifyKey);
        if (!sig.ok) {
          this.foreignBad++;
          return refusal(sig.reason, sig.detail);
        }
      } else {
        const v = this.verifier.check(plan, ctx.nowUs);
        if (!v.ok) return refusal(v.reason, v.detail);
      }
    }
    const v = gatePlan(plan, { uavId: this.uavId, lastSeq: ctx.lastSeq, epoch: this.epoch, nowUs: ctx.nowUs, ...fenceChecks(ctx.envelope.config) });
    if (v.accepted) this.epoch = Math.max(this.epoch, plan.leader_epoch);
    return v;
  }
}

const ne = (p: MissionPoint): NE => ({ n: p.y_north_m, e: p.x_east_m });
const at = (p: MissionPoint) => `(${p.x_east_m.toFixed(1)} E, ${p.y_north_m.toFixed(1)} N)`;

/** The envelope's fence and ceiling as the gate's position and leg checks. */
export function fenceChecks(c: Pick<EnvelopeConfig, 'fence' | 'altitude'>): Pick<GateInput, 'positionProblem' | 'legProblem'> {
  return {
    positionProblem: (q) => {
      if (q.alt_m > c.altitude.maxAltM) return `target altitude ${q.alt_m} m above the ${c.altitude.maxAltM} m ceiling`;
      const depth = horizontalDepth(c.fence, ne(q));
      return depth < 0 ? `target ${at(q)} is ${(-depth).toFixed(1)} m outside the horizontal geofence` : undefined;
    },
    legProblem: (a, b) => {
      // Clearance 0 with both ends strictly inside means the leg crosses the boundary (a concave fence).
      const clear = horizontalPathClearance(c.fence, ne(a), ne(b));
      const crosses = clear < 0 || (clear === 0 && Math.min(horizontalDepth(c.fence, ne(a)), horizontalDepth(c.fence, ne(b))) > 0);
      return crosses ? `the leg ${at(a)} → ${at(b)} leaves the horizontal geofence` : undefined;
    },
  };
}

function refusal(r: PlanRefusal, detail: string | undefined): IntakeVerdict {
  return { accepted: false, reason: nackReasonFor(r), detail: detail ? `${r}: ${detail}` : r, auth: r };
}
