/**
 * The loop's physics: the pure vehicle core integrated up to the clock's now in ≤ 20 ms sub-steps.
 * After a long stall (a suspended process) it skips ahead rather than replay minutes of physics.
 */
import type { VehicleConfig } from '../core/params.ts';
import { step } from '../core/step.ts';
import type { SimEvent, SimState, StepInputs } from '../core/types.ts';

export const MAX_STEP_S = 0.02;
const MAX_CATCHUP_US = 1_000_000;

/** How far behind the core may fall before it skips ahead: 1 s, or 250 ms of wall time on a fast clock. */
export function maxCatchUpUs(clockScale: number): number {
  return Math.max(MAX_CATCHUP_US, 250_000 * clockScale);
}

/**
 * Integrates `s` up to `nowUs`; `onStep` sees every sub-step's state and events as it is made
 * (telemetry built from them reads that state). Returns the final state.
 */
export function advance(
  cfg: VehicleConfig,
  s: SimState,
  inputs: StepInputs,
  nowUs: number,
  catchUpUs: number,
  onStep: (state: SimState, events: readonly SimEvent[]) => void,
): SimState {
  let state = nowUs - s.tUs > catchUpUs ? { ...s, tUs: nowUs - catchUpUs } : s;
  while (nowUs - state.tUs > 1) {
    const dt = Math.min(MAX_STEP_S, (nowUs - state.tUs) / 1e6);
    const r = step(cfg, state, inputs, dt);
    state = r.state;
    onStep(state, r.events);
  }
  return state;
}
