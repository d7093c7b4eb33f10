/**
 * The agent's flight decisions (flight.ts, plan.ts, rejoin.ts), pure: what a plan's flight mode
 * commands in the current phase, how loud a failsafe transition is, when a plan restarts the
 * waypoint tour, and how an agent joins a vehicle that is already flying.
 */
import type { VehicleState, Vec3 } from '../../../firmware-bridge/vehicle.ts';
import { encode, FlightMode, Severity, type Plan } from '../../../proto/index.ts';
import type { FailsafeMode } from '../failsafe/index.ts';
import type { AgentState } from '../state/index.ts';
import type { Phase } from '../telemetry.ts';

/** Back to nominal is news, broker loss a warning, every other failsafe an error. */
export function transitionSeverity(to: FailsafeMode): Severity {
  return to === 'nominal' ? Severity.SEVERITY_INFO : to === 'broker_down' ? Severity.SEVERITY_WARNING : Severity.SEVERITY_ERROR;
}

export type FlightCommand = 'rtl' | 'land' | 'launch' | 'none';

/**
 * What an accepted plan's flight mode asks of the autopilot: a latched RTL in the air overrides
 * every plan; RTL returns, LAND lands (once), anything else launches a vehicle on the ground.
 */
export function flightCommand(mode: FlightMode | undefined, phase: Phase, rtlLatched: boolean): FlightCommand {
  if (rtlLatched && phase !== 'ground') return 'none';
  if (mode === FlightMode.FLIGHT_MODE_RTL) return 'rtl';
  if (mode === FlightMode.FLIGHT_MODE_LAND) return phase !== 'landing' ? 'land' : 'none';
  return phase === 'ground' ? 'launch' : 'none';
}

/** A new flight mode, or any WAYPOINTS plan, flies its tour from the first waypoint. */
export function restartsTour(prev: FlightMode | undefined, next: FlightMode | undefined): boolean {
  return prev !== next || next === FlightMode.FLIGHT_MODE_WAYPOINTS;
}

/** An accepted plan clears the failsafe latches on the ground, and the hold after an autopilot-link regain unless RTL is latched. */
export function planResumes(phase: Phase, fs: { regainHold: boolean; rtlLatch?: string | undefined }): boolean {
  return phase === 'ground' || (fs.regainHold && !fs.rtlLatch);
}

/** The persisted state once plan `p` is accepted: its seq and bytes; the previous plan's progress dropped. */
export function stateWithPlan(s: AgentState, p: Plan): AgentState {
  const { schedule: _schedule, shares: _shares, ...rest } = s;
  return { ...rest, lastSeq: p.plan_seq, planB64: Buffer.from(encode('Plan', p)).toString('base64') };
}

/**
 * How an agent (re)starting next to `v` joins it: not at all on the ground; in RTL or LAND the
 * autopilot keeps flying its return or landing; otherwise the agent takes over, flying.
 */
export type Adoption = { kind: 'none' } | { kind: 'autopilot'; phase: 'rtl' | 'landing' } | { kind: 'take_over' };

export function adoption(v: VehicleState): Adoption {
  if (!v.connected || !v.armed || (v.landed !== 'in_air' && v.landed !== 'takeoff' && v.landed !== 'landing')) return { kind: 'none' };
  if (v.mode === 'rtl' || v.mode === 'land' || v.landed === 'landing') return { kind: 'autopilot', phase: v.mode === 'rtl' ? 'rtl' : 'landing' };
  return { kind: 'take_over' };
}

/** The `agent.adopted` event text; `resuming` is the restored plan's seq when it is still valid. */
export function adoptedText(v: VehicleState, a: Exclude<Adoption, { kind: 'none' }>, pos: Vec3 | undefined, resuming: number | undefined): string {
  const mode = v.modeRaw || v.mode;
  if (a.kind === 'autopilot') return `joined a flying vehicle in ${mode}: the autopilot keeps flying its ${a.phase === 'rtl' ? 'return' : 'landing'}`;
  const at = pos ? ` at (${pos.y.toFixed(1)} E, ${pos.x.toFixed(1)} N, ${(-pos.z).toFixed(1)} up) m` : '';
  return `joined a flying vehicle in ${mode}${at}: ${resuming !== undefined ? `resuming plan ${resuming}` : 'holding there until the next plan'}, no takeoff`;
}
