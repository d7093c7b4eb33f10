/**
 * What leaves the controller: every plan (signed when a plan-signing key is configured, stamped
 * with the lease epoch under leader election) and any publish whose failure is only logged.
 */
import { topicName, type MessageInput, type Plan } from '../../../proto/index.ts';
import { signedPlanBytes } from '../../security/plan-signing.ts';
import { leading, type ControllerCtx } from './context.ts';

export function publish(c: ControllerCtx, p: Promise<void>, what: string): void {
  p.catch((e: unknown) => c.log.error({ err: e }, `${what} not published`));
}

/** Every plan leaves through here: signed when a plan-signing key is configured. */
export function publishPlan(c: ControllerCtx, uavId: number, input: MessageInput<Omit<Plan, 'header'>>, what: string): void {
  if (!leading(c)) return c.log.warn({ uav: uavId }, `${what} not sent: not the leader`);
  // Fencing (issue 19): the plan carries the lease epoch (inside the signature when signed).
  const plan = c.cfg.leadership ? { ...input, leader_epoch: c.cfg.leadership.epoch } : input;
  c.planSeqMax = Math.max(c.planSeqMax, Number(plan.plan_seq ?? 0));
  c.cfg.shard?.notePlan(uavId, Number(plan.plan_seq ?? 0));
  const key = c.cfg.planSigningKey;
  const topic = topicName('plan', { uav: uavId });
  let bytes: Uint8Array;
  try {
    bytes = c.bus.encodeWithHeader('plan', topic, plan);
    if (key) bytes = signedPlanBytes(bytes, key);
  } catch (e) {
    return c.log.error({ err: e, uav: uavId }, `${what} not ${key ? 'signed' : 'encoded'}`);
  }
  // Sent again while it is valid if a connection drop loses it unsent (Bus.publishBytes: a clustered broker re-electing).
  const expiresUs = Number(plan.expires_t_us ?? 0);
  const retry = (n: number, err: Error) => c.log.warn({ uav: uavId, attempt: n, err: err.message }, `${what} lost with its connection: sending it again`);
  publish(c, c.bus.publishBytes(topic, bytes, 1, false, { keepTrying: () => !c.stopped && c.clock.nowUs() < expiresUs, onRetry: retry }), what);
}
