/**
 * Flight-phase changes and the autopilot commands behind them: the failsafe's decisions, a plan's
 * RTL / LAND / launch, the return altitude set on every (re)connection, and back into
 * GUIDED/OFFBOARD after a restart in the air. The decisions themselves are flight-rules.ts.
 */
import { Severity, type Plan } from '../../../proto/index.ts';
import type { Decision } from '../failsafe/index.ts';
import { launchVehicle } from '../flight/launch.ts';
import { returnAltitudeM, watchReturnAltitude as watchAlt } from '../flight/return-alt.ts';
import type { Phase } from '../telemetry.ts';
import type { AgentCtx } from './context.ts';
import { flightCommand, transitionSeverity } from './flight-rules.ts';
import { event, publishTwin } from './report.ts';
import { inAir } from './tick-rules.ts';

/** A new phase is reported at once (twin state). */
export function setPhase(c: AgentCtx, p: Phase): void {
  if (c.phase === p) return;
  c.phase = p;
  publishTwin(c);
}

/** Reports every failsafe transition and carries out what the new mode needs once. */
export function onDecision(c: AgentCtx, dec: Decision): void {
  c.decision = dec;
  for (const t of dec.transitions) {
    event(c, transitionSeverity(t.to), `failsafe.${t.to}`, `${t.from} → ${t.to}: ${t.reason}`);
    if (t.to === 'autopilot_lost') c.d.vehicle.stopSetpoints();
  }
  if (dec.mode === 'rtl' && inAir(c.phase)) enterRtl(c, `failsafe: ${c.failsafe.state().rtlLatch ?? 'rtl'}`);
}

/** What an accepted plan's flight mode asks of the autopilot (flightCommand). */
export function applyFlight(c: AgentCtx, p: Plan): void {
  const cmd = flightCommand(p.flight?.mode, c.phase, Boolean(c.failsafe.state().rtlLatch));
  if (cmd === 'rtl') enterRtl(c, 'plan');
  else if (cmd === 'land') {
    setPhase(c, 'landing');
    c.d.vehicle.stopSetpoints();
    void c.d.vehicle.land().then((r) => !r.ok && event(c, Severity.SEVERITY_ERROR, 'command.land.failed', r.reason));
  } else if (cmd === 'launch') void launch(c);
}

export function enterRtl(c: AgentCtx, why: string): void {
  if (c.phase === 'rtl') return;
  setPhase(c, 'rtl');
  c.d.vehicle.stopSetpoints();
  event(c, Severity.SEVERITY_WARNING, 'flight.rtl', `returning to launch (${why})`);
  void c.d.vehicle.returnToLaunch().then((r) => !r.ok && event(c, Severity.SEVERITY_ERROR, 'command.rtl.failed', r.reason));
}

/** The autopilot's RTL return altitude, set on every (re)connection (flight/return-alt.ts). */
export function watchReturnAltitude(c: AgentCtx): { ready(): Promise<void> } {
  const env = c.d.envelope.config;
  const alt = c.cfg.returnAltM ?? returnAltitudeM(c.cfg.takeoffAltM, env.altitude, env.altMarginM);
  return watchAlt(c.d.vehicle, alt, (r) => {
    if (c.stopped) return;
    if (r.ok) event(c, Severity.SEVERITY_INFO, 'autopilot.return_alt', `autopilot RTL return altitude ${alt.toFixed(1)} m (${r.value.id})`);
    else event(c, Severity.SEVERITY_ERROR, 'autopilot.return_alt.failed', `could not set the autopilot's RTL return altitude to ${alt.toFixed(1)} m (${r.reason}${r.detail ? `: ${r.detail}` : ''}): its RTL may leave the altitude band`);
  });
}

async function launch(c: AgentCtx): Promise<void> {
  setPhase(c, 'takeoff');
  await c.provisioned?.ready();
  const r = await launchVehicle(c.d.vehicle, c.d.clock, c.cfg.takeoffAltM);
  if (r.ok) return;
  event(c, Severity.SEVERITY_ERROR, `launch.${r.step}`, r.reason);
  setPhase(c, 'ground');
}

/**
 * After a restart in the air: setpoints stream again (tick), then back into GUIDED/OFFBOARD —
 * retried for 5 s while PX4 refuses OFFBOARD for want of > 1 s of uninterrupted setpoints (as the
 * launch does: a stalled tick on a busy machine must not leave the vehicle in its failsafe hold).
 */
export async function reenterGuided(c: AgentCtx): Promise<void> {
  const { vehicle, clock } = c.d;
  if (vehicle.state().mode === 'offboard') return;
  await clock.sleep(1500);
  const until = clock.nowUs() + 5e6;
  for (;;) {
    if (c.stopped || c.phase !== 'flying') return;
    const r = await vehicle.setGuided();
    if (r.ok) return;
    if (r.reason !== 'precondition' || clock.nowUs() >= until) {
      event(c, Severity.SEVERITY_ERROR, 'resume.guided.failed', r.reason);
      return;
    }
    await clock.sleep(250);
  }
}
