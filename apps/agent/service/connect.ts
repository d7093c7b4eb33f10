/**
 * Start and shutdown: the plan and fleet subscriptions, the broker and autopilot link watches
 * (each a failsafe event), the return-altitude set-up and the three timers (twin state, health,
 * control tick); `stop` cancels them, stops the runners and the setpoint stream and saves the state.
 */
import { PlanIntake } from '../plan/intake.ts';
import type { AgentCtx } from './context.ts';
import { tick } from './control.ts';
import { onDecision, watchReturnAltitude } from './flight.ts';
import { onBadPlan, onPlan } from './plan.ts';
import { publishHealth, publishTwin } from './report.ts';

export async function start(c: AgentCtx): Promise<void> {
  const { cfg, d } = c;
  c.intake = new PlanIntake(cfg.uavId, d.planVerifyKey, c.state.lastSeq);
  if (!c.intake.authenticated) d.log.warn({ uav: cfg.uavId }, 'plans are NOT authenticated: no pinned controller key (--plan-pubkey); anyone who can publish on this UAV\'s plan topic can fly it');
  await subscribe(c);
  watchLinks(c);
  every(c, 1000 / cfg.telemetryRateHz, () => publishTwin(c));
  every(c, 1000 / (cfg.healthRateHz ?? 1), () => publishHealth(c));
  every(c, 1000 / cfg.controlRateHz, () => tick(c));
}

/** Plans (one after another, in arrival order) and the fleet picture the controller relays. */
async function subscribe(c: AgentCtx): Promise<void> {
  const { bus, clock, log } = c.d;
  const uavId = c.cfg.uavId;
  await bus.subscribe('plan', { uav: uavId }, (p) => {
    c.planChain = c.planChain.then(() => onPlan(c, p)).catch((e: unknown) => log.error({ err: e }, 'plan handling failed'));
    // Lockstep: the plan's handling (a model to load, an ack to send) holds the clock until done.
    void clock.activity?.during(c.planChain, `agent-plan:${uavId}`);
  }, (reason, detail, payload) => onBadPlan(c, reason, detail, payload));
  await bus.subscribe('fleet', {}, (f) => {
    c.fleet = f;
    c.schedule.poke();
    onDecision(c, c.failsafe.handle({ kind: 'controller_heard', tUs: clock.nowUs() }));
  });
}

/** The broker and autopilot links: each change is a failsafe event; the uplink follows the broker. */
function watchLinks(c: AgentCtx): void {
  const { bus, vehicle, uplink, clock } = c.d;
  bus.onConnectionChange((up) => {
    onDecision(c, c.failsafe.handle({ kind: up ? 'broker_up' : 'broker_down', tUs: clock.nowUs() }));
    if (up) uplink.onConnected();
    else uplink.onDisconnected();
  });
  uplink.onConnected();
  c.provisioned = watchReturnAltitude(c);
  vehicle.on('linkLost', () => onDecision(c, c.failsafe.handle({ kind: 'autopilot_link_lost', tUs: clock.nowUs() })));
  vehicle.on('linkRegained', () => onDecision(c, c.failsafe.handle({ kind: 'autopilot_link_regained', tUs: clock.nowUs() })));
}

function every(c: AgentCtx, ms: number, fn: () => void): void {
  c.timers.add(c.d.clock.setInterval(fn, ms));
}

export function stop(c: AgentCtx): void {
  c.stopped = true;
  for (const t of c.timers) t.cancel();
  c.timers.clear();
  c.tasks.stop();
  c.video.stop();
  c.shares.stop();
  c.schedule.stop();
  c.d.vehicle.stopSetpoints();
  if (c.saver.pending) c.saver.now();
}
