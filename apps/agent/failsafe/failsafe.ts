/**
 * Failsafe logic of the on-UAV agent: a pure state machine driven by events with explicit
 * times (`tUs`). The shell feeds it what it observes (plans and heartbeats from the controller,
 * broker and autopilot link up/down, the envelope's battery verdict, periodic ticks) and obeys
 * the `Decision` it returns; every mode change is reported as a `Transition` with a reason.
 *
 * Modes, most severe first (the most severe applicable one wins):
 * - `autopilot_lost`: the MAVLink link is down → stop offering setpoints (the autopilot's own
 *   offboard-loss failsafe takes over) and report. On regain → `hold` until `resume`: the
 *   autopilot may have switched mode meanwhile, so the agent does not silently take over again.
 * - `rtl`: battery reserve reached, or the controller silent for > M slots. Latched until `resume`.
 * - `hold`: the controller silent for > N slots while the broker is up (the controller itself is
 *   gone, its plan is stale), or the plan ran out while the broker is down, or after an autopilot
 *   link regain. Clears when the controller is heard again (except the regain hold: `resume`).
 *   Silence while the broker was down does not count towards the hold as long as the plan still
 *   covers `nowUs`: back on the broker with a valid plan, the controller has N slots from the
 *   reconnection to be heard (its queued messages arrive just after the reconnection; a clustered
 *   broker's outage can outlast N slots on a loaded machine, and holding for it was a false alarm).
 * - `broker_down`: the broker is unreachable → keep flying the current plan inside the envelope
 *   while the plan still covers `nowUs` (the N-slot hold is suspended: silence is explained by
 *   the network, not by a dead controller); the M-slot RTL still applies.
 * - `nominal`: fly the plan/policy through the envelope.
 */

export interface FailsafeConfig {
  /** Plan slot length τ, s. */
  slotS: number;
  /** Controller silent for more than N slots → hold. */
  holdAfterSlots: number;
  /** Controller silent for more than M slots (M > N) → RTL. */
  rtlAfterSlots: number;
}

export type FailsafeEvent =
  /**
   * `returning`: the autopilot flies its own return or landing (the plan's RTL or LAND, e.g. the
   * mission-end RTL, or a failsafe RTL): the controller's silence and the broker's reachability
   * are not judged then — the controller goes quiet once the mission is over, and there is no
   * plan left to hold on. The autopilot-link and battery rules still apply.
   */
  | { kind: 'tick'; tUs: number; returning?: boolean }
  /** Any message from the controller (heartbeat, ack, plan). */
  | { kind: 'controller_heard'; tUs: number }
  /** A plan arrived; it covers slots until `validUntilUs`. Also counts as the controller heard. */
  | { kind: 'plan'; tUs: number; validUntilUs: number }
  | { kind: 'broker_down'; tUs: number }
  | { kind: 'broker_up'; tUs: number }
  | { kind: 'autopilot_link_lost'; tUs: number }
  | { kind: 'autopilot_link_regained'; tUs: number }
  /** The envelope reported action 'rtl' (battery reserve). */
  | { kind: 'battery_reserve'; tUs: number }
  /** Operator/controller clears latched RTL and the post-regain hold. */
  | { kind: 'resume'; tUs: number };

export type FailsafeMode = 'nominal' | 'broker_down' | 'hold' | 'rtl' | 'autopilot_lost';

export interface FailsafeState {
  mode: FailsafeMode;
  lastControllerUs: number;
  planValidUntilUs?: number;
  brokerUp: boolean;
  /** When the broker came back after an outage, µs (undefined: never down). */
  brokerUpUs?: number;
  autopilotUp: boolean;
  /** Why RTL is latched, if it is. */
  rtlLatch?: string;
  /** Hold latched after an autopilot link regain. */
  regainHold: boolean;
  /** The autopilot flies its own return or landing (set by the last tick). */
  returning?: boolean;
}

export interface Transition {
  atUs: number;
  from: FailsafeMode;
  to: FailsafeMode;
  reason: string;
}

export interface Decision {
  mode: FailsafeMode;
  /** Offer setpoints to the autopilot at all? (false only when the autopilot link is lost) */
  streamSetpoints: boolean;
  /** What to fly (always through the envelope): the plan/policy, zero velocity, or home. */
  fly: 'plan' | 'hold' | 'rtl' | 'nothing';
  /** Seconds the controller has been silent. */
  silenceS: number;
  transitions: Transition[];
}

export class FailsafeConfigError extends Error {
  override name = 'FailsafeConfigError';
}

export function validateFailsafeConfig(c: FailsafeConfig): void {
  if (!(c.slotS > 0) || !Number.isFinite(c.slotS)) throw new FailsafeConfigError(`slotS must be > 0, got ${c.slotS}`);
  if (!(c.holdAfterSlots > 0)) throw new FailsafeConfigError(`holdAfterSlots must be > 0, got ${c.holdAfterSlots}`);
  if (!(c.rtlAfterSlots > c.holdAfterSlots)) throw new FailsafeConfigError(`rtlAfterSlots (${c.rtlAfterSlots}) must exceed holdAfterSlots (${c.holdAfterSlots})`);
}

/** The state at start-up: the controller counts as heard at `nowUs`, both links assumed up. */
export function initialFailsafe(nowUs: number): FailsafeState {
  return { mode: 'nominal', lastControllerUs: nowUs, brokerUp: true, autopilotUp: true, regainHold: false };
}

/** Which mode applies, and why, given the latches and timers at `nowUs`. */
function evaluate(c: FailsafeConfig, s: FailsafeState, nowUs: number): { mode: FailsafeMode; reason: string } {
  const silenceS = (nowUs - s.lastControllerUs) / 1e6;
  if (!s.autopilotUp) return { mode: 'autopilot_lost', reason: 'autopilot_link_lost' };
  if (s.rtlLatch) return { mode: 'rtl', reason: s.rtlLatch };
  if (silenceS > c.rtlAfterSlots * c.slotS && !s.returning) return { mode: 'rtl', reason: `controller_silent_over_${c.rtlAfterSlots}_slots` };
  if (s.regainHold) return { mode: 'hold', reason: 'autopilot_link_regained_awaiting_resume' };
  if (s.returning) return { mode: 'nominal', reason: s.mode === 'nominal' ? 'nominal' : 'returning' };
  if (!s.brokerUp) {
    if (s.planValidUntilUs !== undefined && nowUs < s.planValidUntilUs) return { mode: 'broker_down', reason: 'broker_unreachable_flying_plan' };
    return { mode: 'hold', reason: s.planValidUntilUs === undefined ? 'broker_unreachable_no_plan' : 'broker_unreachable_plan_expired' };
  }
  // The hold counts silence while the broker was reachable (see the header): from the reconnection
  // on, when that is later than the controller's last message and the plan still covers now.
  const planValid = s.planValidUntilUs !== undefined && nowUs < s.planValidUntilUs;
  const heardUs = planValid ? Math.max(s.lastControllerUs, s.brokerUpUs ?? 0) : s.lastControllerUs;
  if ((nowUs - heardUs) / 1e6 > c.holdAfterSlots * c.slotS) return { mode: 'hold', reason: `controller_silent_over_${c.holdAfterSlots}_slots` };
  return { mode: 'nominal', reason: s.mode === 'nominal' ? 'nominal' : 'recovered' };
}

/** Applies one event; returns the new state and what the agent must do now. */
export function stepFailsafe(c: FailsafeConfig, prev: FailsafeState, ev: FailsafeEvent): { state: FailsafeState; decision: Decision } {
  const s: FailsafeState = { ...prev };
  const t = ev.tUs;
  switch (ev.kind) {
    case 'controller_heard':
      s.lastControllerUs = Math.max(s.lastControllerUs, t);
      s.brokerUp = true; // a message through the broker proves it is reachable
      break;
    case 'plan':
      s.lastControllerUs = Math.max(s.lastControllerUs, t);
      s.planValidUntilUs = ev.validUntilUs;
      s.brokerUp = true;
      break;
    case 'broker_down':
      s.brokerUp = false;
      break;
    case 'broker_up':
      if (!s.brokerUp) s.brokerUpUs = t;
      s.brokerUp = true;
      break;
    case 'autopilot_link_lost':
      s.autopilotUp = false;
      break;
    case 'autopilot_link_regained':
      if (!s.autopilotUp) s.regainHold = true;
      s.autopilotUp = true;
      break;
    case 'battery_reserve':
      s.rtlLatch ??= 'battery_reserve';
      break;
    case 'resume':
      delete s.rtlLatch;
      s.regainHold = false;
      s.lastControllerUs = Math.max(s.lastControllerUs, t);
      break;
    case 'tick':
      s.returning = ev.returning === true;
      break;
  }
  const { mode, reason } = evaluate(c, s, t);
  // Silence-triggered RTL latches too: once heading home, a late message must not turn it around.
  if (mode === 'rtl' && !s.rtlLatch) s.rtlLatch = reason;
  const transitions: Transition[] = [];
  if (mode !== prev.mode) transitions.push({ atUs: t, from: prev.mode, to: mode, reason: ev.kind === 'resume' && mode === 'nominal' ? 'resume' : reason });
  s.mode = mode;
  const fly: Decision['fly'] = mode === 'autopilot_lost' ? 'nothing' : mode === 'rtl' ? 'rtl' : mode === 'hold' ? 'hold' : 'plan';
  return {
    state: s,
    decision: { mode, streamSetpoints: mode !== 'autopilot_lost', fly, silenceS: (t - s.lastControllerUs) / 1e6, transitions },
  };
}

/** Convenience wrapper holding the state; still no clock reads — every call carries its time. */
export class Failsafe {
  private s: FailsafeState;
  readonly log: Transition[] = [];
  constructor(
    readonly config: FailsafeConfig,
    startUs: number,
  ) {
    validateFailsafeConfig(config);
    this.s = initialFailsafe(startUs);
  }
  handle(ev: FailsafeEvent): Decision {
    const r = stepFailsafe(this.config, this.s, ev);
    this.s = r.state;
    this.log.push(...r.decision.transitions);
    return r.decision;
  }
  state(): FailsafeState {
    return { ...this.s };
  }
}
