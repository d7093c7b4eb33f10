/**
 * Plan intake: every plan on this UAV's topic is authenticated (pinned controller key, if set)
 * and gated (../plan/intake.ts), its model selected for POLICY plans, then acked or nacked; an
 * accepted plan is persisted, flown (flight.ts) and its work handed to the runners.
 */
import { decodeRaw, FlightMode, NackReason, type Plan } from '../../../proto/index.ts';
import type { AgentCtx } from './context.ts';
import { applyFlight, onDecision } from './flight.ts';
import { planResumes, restartsTour, stateWithPlan } from './flight-rules.ts';
import { ack, event } from './report.ts';

export async function onPlan(c: AgentCtx, p: Plan): Promise<void> {
  if (c.stopped) return;
  const nowUs = c.d.clock.nowUs();
  onDecision(c, c.failsafe.handle({ kind: 'controller_heard', tUs: nowUs }));
  const lastSeq = c.state.lastSeq;
  const verdict = c.intake!.check(p, { lastSeq, nowUs, envelope: c.d.envelope });
  if (!verdict.accepted) return refuse(c, p, verdict.reason, verdict.detail, 'auth' in verdict ? `plan.rejected.${verdict.auth}` : undefined);
  if (p.flight?.mode === FlightMode.FLIGHT_MODE_POLICY && !(await selectModel(c, p, p.flight.model_sha256, lastSeq))) return;
  accept(c, p, nowUs);
}

/** A plan the bus could not decode or validate: nacked MALFORMED if it is recognisably ours. */
export function onBadPlan(c: AgentCtx, reason: string, detail: string | undefined, payload: Uint8Array): void {
  const raw = decodeRaw('Plan', payload);
  if (!raw.ok || raw.value.uav_id !== c.cfg.uavId || !(raw.value.plan_seq > 0)) return;
  ack(c, raw.value.plan_seq, false, NackReason.NACK_REASON_MALFORMED, `${reason}: ${detail ?? ''}`);
}

function refuse(c: AgentCtx, p: Plan, reason: NackReason, detail: string, code?: string): void {
  c.stats.plansRefused++;
  ack(c, p.plan_seq, false, reason, detail, code);
}

/** Loads the actor a POLICY plan names (by sha256); false, and the plan nacked, if it cannot fly it. */
async function selectModel(c: AgentCtx, p: Plan, sha256: string, lastSeq: number): Promise<boolean> {
  const policy = c.d.policy;
  if (!policy) {
    refuse(c, p, NackReason.NACK_REASON_MODEL_UNAVAILABLE, 'this agent has no model directory (--models)');
    return false;
  }
  const r = await policy.select(sha256);
  for (const e of policy.drainEvents()) event(c, e.severity, e.code, e.text);
  if (!r.ok) {
    refuse(c, p, NackReason.NACK_REASON_MODEL_UNAVAILABLE, r.detail ?? r.reason);
    return false;
  }
  c.state.modelSha256 = r.value;
  // A newer plan may have been accepted while the model loaded (plans are handled in order,
  // so only a restart race could do this): this one is stale then. (Not plan_seq against the last
  // plan's: a newer leader's plan may carry a lower one, gate.ts `newerLeader`.)
  if (c.state.lastSeq !== lastSeq) {
    refuse(c, p, NackReason.NACK_REASON_STALE_SEQ, `plan_seq ${p.plan_seq} not newer than ${c.state.lastSeq}`);
    return false;
  }
  return true;
}

/** The plan becomes the one flown: failsafe told, state persisted, acked, flown, its work started. */
function accept(c: AgentCtx, p: Plan, nowUs: number): void {
  c.stats.plansAccepted++;
  if (planResumes(c.phase, c.failsafe.state())) onDecision(c, c.failsafe.handle({ kind: 'resume', tUs: nowUs }));
  onDecision(c, c.failsafe.handle({ kind: 'plan', tUs: nowUs, validUntilUs: p.expires_t_us }));
  const newTour = restartsTour(c.plan?.flight?.mode, p.flight?.mode);
  c.plan = p;
  c.state = stateWithPlan(c.state, p);
  c.saver.now();
  if (newTour) c.waypoint = 0;
  ack(c, p.plan_seq, true, NackReason.NACK_REASON_UNSPECIFIED, '');
  applyFlight(c, p);
  startWork(c, p);
}

/** Hands the plan's work for this UAV to the runners: tasks, video shares, coalition shares, pool schedule. */
function startWork(c: AgentCtx, p: Plan): void {
  for (const a of p.assignments) if (a.exec_uav_id === c.cfg.uavId) c.tasks.execute(a, Math.max(a.release_t_us, p.valid_from_t_us));
  if (p.video) c.video.run(p.video, p.valid_from_t_us);
  c.shares.executeAll(p.plan_seq, p.shares, p.valid_from_t_us);
  c.schedule.load(p);
}
