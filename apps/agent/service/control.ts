/**
 * The execution loop: per control tick (default 10 Hz) it asks the failsafe state machine what to
 * fly, turns the plan (or the policy) into a desired velocity, passes it through the always-on
 * safety envelope and offers the result to the autopilot; nothing else ever reaches the autopilot
 * as a setpoint. The decisions are tick-rules.ts and setpoint.ts.
 */
import type { Setpoint, VehicleState, Vec3 } from '../../../firmware-bridge/vehicle.ts';
import { Severity } from '../../../proto/index.ts';
import { fleetEntries, homeNed } from '../frames.ts';
import { DEFAULT_GUIDANCE, guidanceProfile } from '../flight/guidance.ts';
import { ownNed, type AgentCtx } from './context.ts';
import { onDecision, setPhase } from './flight.ts';
import { event } from './report.ts';
import { chooseSetpoint, still } from './setpoint.ts';
import { batteryJ, inAir, odometryStep, returning, silenceEvent, tallyReasons, tickDtS, tickGate } from './tick-rules.ts';

export function tick(c: AgentCtx): void {
  if (c.stopped) return;
  const { vehicle, clock } = c.d;
  const s = vehicle.state();
  const nowUs = clock.nowUs();
  const dtS = tickDtS(c.lastTickUs, nowUs, c.cfg.controlRateHz);
  c.lastTickUs = nowUs;
  c.stats.ticks++;
  c.shares.poke();
  const kind = silenceEvent(c.phase);
  onDecision(c, c.failsafe.handle(kind === 'resume' ? { kind, tUs: nowUs } : { kind, tUs: nowUs, returning: returning(c.phase) }));
  if (!s.connected) return;
  odometry(c, s);
  const gate = tickGate(c.phase, s, c.cfg.takeoffAltM);
  setPhase(c, gate.phase);
  if (!gate.fly) return;
  const dec = c.decision!;
  if (!dec.streamSetpoints) return;
  const pos = ownNed(c, s);
  if (!pos) return;
  const desired = dec.fly === 'plan' || c.phase === 'takeoff' ? desiredSetpoint(c, pos, nowUs) : still();
  constrainAndOffer(c, s, pos, desired, nowUs, dtS);
}

/** The desired setpoint through the safety envelope to the autopilot; its verdict counted and reported. */
function constrainAndOffer(c: AgentCtx, s: VehicleState, pos: Vec3, desired: Setpoint, nowUs: number, dtS: number): void {
  const battery = batteryJ(s, c.cfg.batteryCapacityJ);
  const out = c.d.envelope.constrain({
    desired,
    own: { posNedM: pos, ...(s.velocityNedMS ? { velNedMS: s.velocityNedMS } : {}), ...(battery !== undefined ? { batteryJ: battery } : {}), homeNedM: homeNed(c.cfg.origin, s) ?? pos },
    fleet: fleetEntries(c.fleet, c.cfg.uavId),
    nowUs,
    dtS,
  });
  c.lastEnvelope = { action: out.action, reasons: out.reasons };
  for (const e of c.interventions.update(out.action, out.reasons)) event(c, Severity.SEVERITY_WARNING, e.code, e.text);
  tallyReasons(c.envelopeReasons, out.reasons);
  if (out.action === 'rtl') {
    onDecision(c, c.failsafe.handle({ kind: 'battery_reserve', tUs: nowUs }));
    if (!inAir(c.phase)) return;
  }
  if (out.action === 'hold') c.stats.held++;
  if (out.action === 'clamped') c.stats.clamped++;
  c.d.vehicle.offerSetpoint(out.setpoint);
  c.stats.setpoints++;
}

function odometry(c: AgentCtx, s: VehicleState): void {
  const p = ownNed(c, s);
  if (!p) return;
  const o = odometryStep({ distanceM: c.stats.distanceM, maxAltM: c.stats.maxAltM, lastPos: c.lastPos }, p);
  c.stats.distanceM = o.distanceM;
  c.stats.maxAltM = o.maxAltM;
  c.lastPos = o.lastPos;
}

/** What the plan (or the policy) would fly now, before the envelope. */
function desiredSetpoint(c: AgentCtx, pos: Vec3, nowUs: number): Setpoint {
  const { d, cfg } = c;
  const f = c.plan?.flight;
  const guidance = guidanceProfile(cfg.guidance ?? DEFAULT_GUIDANCE, d.envelope.config, cfg.controlRateHz, f?.speed_m_s);
  const choice = chooseSetpoint({ phase: c.phase, flight: f, pos, guidance, takeoffAltM: cfg.takeoffAltM, waypoint: c.waypoint, hasPolicy: Boolean(d.policy) });
  if (choice.kind === 'setpoint') {
    c.waypoint = choice.waypoint;
    return choice.setpoint;
  }
  const r = d.policy!.tick({ eastM: pos.y, northM: pos.x, altM: -pos.z }, nowUs, (us) => c.health.recordInferenceUs(us));
  for (const e of d.policy!.drainEvents()) event(c, e.severity, e.code, e.text);
  return r;
}
