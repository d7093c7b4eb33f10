/**
 * Which safety-envelope interventions an operator should hear about, once each: the envelope
 * runs every control tick, so its verdicts are turned into events only when an intervention
 * starts (geofence, altitude band, separation, a hold or the battery-reserve RTL). Routine
 * shaping (speed, vertical speed and acceleration limits) is counted in the summary, not evented.
 * Pure: `update(action, reasons)` → the interventions that began on this tick.
 */
const ROUTINE = new Set(['speed_limit', 'vertical_speed_limit', 'accel_limit']);

export interface Intervention {
  /** Event code, `envelope.<reason>` (e.g. envelope.geofence, envelope.rtl). */
  code: string;
  text: string;
}

export class InterventionTracker {
  private active = new Set<string>();

  update(action: string, reasons: readonly string[]): Intervention[] {
    const now = new Set(reasons.map((r) => r.replace(/:.*/, '')).filter((r) => !ROUTINE.has(r)));
    if (action === 'hold' || action === 'rtl') now.add(action);
    const started = [...now].filter((r) => !this.active.has(r));
    this.active = now;
    return started.map((r) => ({ code: `envelope.${r}`, text: `safety envelope: ${r.replace(/_/g, ' ')} (action ${action}; ${reasons.join(', ') || 'no reason'})` }));
  }
}
