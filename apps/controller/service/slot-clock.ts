/**
 * Where a controller that joins a running mission starts on the slot clock (slot k starts at
 * t0 + k·slotS), pure: a new leader resuming from the lease record (join.ts), a follower shard
 * starting its slots on the coordinator's clock.
 */

/** The lease record's part a new leader resumes from. */
export interface ResumePoint {
  slot: number;
  slotPlanned: boolean;
  missionStartUs: number;
}

/**
 * A new leader in a running mission. `run`: early in a slot the old leader never started — start
 * it now (its plans go out a collection window from now, still inside the slot). `wait`: start
 * slot `next` on time; `planOld` first if the old leader died before planning its slot and the
 * slot is still running.
 */
export type ResumeStep = { kind: 'run'; slot: number } | { kind: 'wait'; next: number; planOld: boolean };

export function resumeStep(r: ResumePoint, nowUs: number, slotUs: number): ResumeStep {
  const t0 = r.missionStartUs;
  // The slot running by the clock; the old leader may have died before starting it.
  const cur = Math.floor((nowUs - t0) / slotUs);
  if (cur > r.slot && nowUs - (t0 + cur * slotUs) < 0.5 * slotUs) return { kind: 'run', slot: cur };
  if (!r.slotPlanned && nowUs < t0 + (r.slot + 1) * slotUs) return { kind: 'wait', next: r.slot + 1, planOld: true };
  return { kind: 'wait', next: Math.max(r.slot + 1, cur + 1), planOld: false };
}

/**
 * A shard other than the coordinator: slot k at t0 + k·slotS with t0 a hundredth of a slot before
 * the coordinator's start, so it has begun the slot when the world's task requests (released on
 * the coordinator's FleetState) arrive. The slot running now is started at once if less than half
 * of it has passed (`now`), else the next one in `delayMs`.
 */
export function followStep(startUs: number, nowUs: number, slotS: number): { t0Us: number; slot: number; now: boolean; delayMs: number } {
  const t0Us = startUs - Math.round(0.01 * slotS * 1e6);
  const slotUs = slotS * 1e6;
  const cur = Math.max(0, Math.floor((nowUs - t0Us) / slotUs));
  if (nowUs - (t0Us + cur * slotUs) < 0.5 * slotUs) return { t0Us, slot: cur, now: true, delayMs: 0 };
  return { t0Us, slot: cur + 1, now: false, delayMs: Math.max(0, (t0Us + (cur + 1) * slotUs - nowUs) / 1000) };
}
