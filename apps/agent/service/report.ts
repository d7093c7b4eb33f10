/**
 * Telemetry uplink: what the agent tells the ground — events, plan acks, its twin state (every
 * slot and on every flight-state change) and its health — all through the ordered uplink, which
 * keeps them in the outbox while the broker is down. The messages are built by ../telemetry.ts.
 */
import { FlightMode, Severity, type NackReason } from '../../../proto/index.ts';
import { flightState, healthMessage, twinMessage } from '../telemetry.ts';
import { ownNed, type AgentCtx } from './context.ts';
import { batteryJ } from './tick-rules.ts';

export function event(c: AgentCtx, severity: Severity, code: string, text: string): void {
  const uav = c.cfg.uavId;
  c.d.log[severity >= Severity.SEVERITY_ERROR ? 'error' : 'info']({ code, uav }, text);
  c.d.uplink.send('uavEvent', { uav }, { severity, code, text, uav_id: uav }, 'completion');
}

/** Acks or nacks plan `seq`; a nack is also an event (`plan.nack` unless said otherwise). */
export function ack(c: AgentCtx, seq: number, accepted: boolean, reason: NackReason, detail: string, code = 'plan.nack'): void {
  const uav = c.cfg.uavId;
  c.d.uplink.send('ack', { uav }, { uav_id: uav, plan_seq: seq, accepted, reason, detail }, 'completion');
  if (!accepted) event(c, Severity.SEVERITY_WARNING, code, detail);
}

/** Sums over the runners of assigned work (tasks, pool schedules, coalition shares), in that order. */
export function workTotals(runners: readonly { computeEnergyJ: number; inProgress: number; done: number }[]): { computeEnergyJ: number; inProgress: number; done: number } {
  return runners.reduce((a, r) => ({ computeEnergyJ: a.computeEnergyJ + r.computeEnergyJ, inProgress: a.inProgress + r.inProgress, done: a.done + r.done }), { computeEnergyJ: 0, inProgress: 0, done: 0 });
}

export function publishTwin(c: AgentCtx): void {
  if (c.stopped) return;
  const { cfg } = c;
  const s = c.d.vehicle.state();
  const p = ownNed(c, s);
  const battery = batteryJ(s, cfg.batteryCapacityJ);
  const measured = c.tasks.measuredCpuHz;
  const work = workTotals([c.tasks, c.schedule, c.shares]);
  // A failsafe hold is reported by events, not as HOLDING: the controller reads FLYING as airborne.
  const holding = c.plan?.flight?.mode === FlightMode.FLIGHT_MODE_HOLD;
  c.d.uplink.send('twin', { uav: cfg.uavId }, twinMessage({
    uavId: cfg.uavId, s, ...(p ? { posNed: p } : {}), ...(battery !== undefined ? { batteryJ: battery } : {}),
    computeEnergyJ: work.computeEnergyJ, cpuHz: cfg.cpuHz, ...(measured !== undefined ? { measuredCpuHz: measured } : {}),
    bandwidthHz: cfg.bandwidthHz, cacheBits: cfg.cacheBits, flightState: flightState(c.phase, holding, s),
    planSeq: c.state.lastSeq, tasksInProgress: work.inProgress,
  }));
  c.stats.tasksDone = work.done;
}

export function publishHealth(c: AgentCtx): void {
  const { uplink, bus, vehicle } = c.d;
  const dropped = Object.values(bus.stats.dropped).reduce((a, b) => a + b, 0) + uplink.dropped() + (c.intake?.authRefusals ?? 0);
  const links = { autopilot: vehicle.state().connected, broker: bus.connected };
  uplink.send('health', { uav: c.cfg.uavId }, healthMessage(c.cfg.uavId, c.health.sample(), links, uplink.depth(), dropped));
}
