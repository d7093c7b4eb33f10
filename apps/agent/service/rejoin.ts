/**
 * Rejoining after a restart: the persisted state restored (plan, seq, model, lost tasks, pool and
 * coalition progress), and a vehicle that is already flying adopted instead of launched.
 */
import { decodeRaw, Severity } from '../../../proto/index.ts';
import type { AgentState } from '../state/index.ts';
import { ownNed, type AgentCtx } from './context.ts';
import { reenterGuided } from './flight.ts';
import { adoptedText, adoption } from './flight-rules.ts';
import { event } from './report.ts';

/** Restores the persisted state (plan, seq, model, lost tasks) before `start`. */
export async function restore(c: AgentCtx, s: AgentState): Promise<void> {
  c.state = { ...s, openTasks: [] };
  if (s.openTasks.length) c.tasks.abandon(s.openTasks, 'agent restarted: computation lost');
  if (s.modelSha256 && c.d.policy) {
    const r = await c.d.policy.select(s.modelSha256);
    if (!r.ok) event(c, Severity.SEVERITY_WARNING, 'policy.restore.failed', r.detail ?? r.reason);
  }
  if (s.planB64) {
    const p = decodeRaw('Plan', Buffer.from(s.planB64, 'base64'));
    if (p.ok) c.plan = p.value;
  }
  resumeWork(c, s);
  adoptFlight(c);
  event(c, Severity.SEVERITY_INFO, 'agent.resumed', `resumed at plan ${s.lastSeq}${c.stats.resumed ? ', in the air' : ''}`);
  c.saver.soon();
}

/** The restored plan's pool subtasks and coalition shares that did not finish before the restart. */
function resumeWork(c: AgentCtx, s: AgentState): void {
  const p = c.plan;
  // Subtasks finished before the restart are not redone; the one running then is started again.
  if (p && s.schedule?.planSeq === p.plan_seq) c.schedule.load(p, new Map(s.schedule.done));
  // S0 shares never reported run again (or are reported failed if the plan has expired).
  if (p?.shares.length) {
    const taken = c.shares.resume(p.plan_seq, p.shares, s.shares?.planSeq === p.plan_seq ? s.shares.reported : [], p.valid_from_t_us, p.expires_t_us);
    if (taken) event(c, Severity.SEVERITY_WARNING, 'shares.resumed', `${taken} coalition share(s) of plan ${p.plan_seq} were not reported before the restart: running them again`);
  }
}

/**
 * Rejoins a vehicle that is already flying (agent restarted, with or without persisted state):
 * adopts the autopilot's mode and position instead of launching. In RTL or LAND the autopilot
 * keeps flying its own return or landing; otherwise the agent takes over where the dead agent left
 * off — in the restored plan if it is still valid, else holding where the vehicle is until the
 * next plan — and re-enters the setpoint mode the autopilot's failsafe may have left.
 * Returns whether the vehicle was flying.
 */
export function adoptFlight(c: AgentCtx): boolean {
  const v = c.d.vehicle.state();
  const a = adoption(v);
  if (a.kind === 'none') return false;
  c.stats.resumed = true;
  if (a.kind === 'autopilot') {
    c.phase = a.phase;
    event(c, Severity.SEVERITY_WARNING, 'agent.adopted', adoptedText(v, a, undefined, undefined));
    return true;
  }
  const nowUs = c.d.clock.nowUs();
  c.phase = 'flying';
  const valid = c.plan && c.plan.expires_t_us > nowUs ? c.plan : undefined;
  if (valid) c.failsafe.handle({ kind: 'plan', tUs: nowUs, validUntilUs: valid.expires_t_us });
  event(c, Severity.SEVERITY_WARNING, 'agent.adopted', adoptedText(v, a, ownNed(c, v), valid?.plan_seq));
  void reenterGuided(c);
  return true;
}
