/**
 * Joining a mission as other than its sole controller: a standby waits for the lease (leader
 * election) and resumes a running mission where the lease record says; a standby that is deposed
 * or sees the mission finished stops; a follower shard starts its slots on the coordinator's
 * clock. Where on the slot clock to start is slot-clock.ts.
 */
import type { Leadership, Resume } from '../leader/index.ts';
import type { ShardLink } from '../shard/index.ts';
import { nowUs, type ControllerCtx } from './context.ts';
import { publishFleet, renewLease } from './fleet.ts';
import { apply } from './inbox.ts';
import { followStep, resumeStep } from './slot-clock.ts';
import { planSlot, runSlot } from './slots.ts';

/** Standby until the lease is ours (or the mission ends or we are deposed meanwhile). */
export async function awaitLeadership(c: ControllerCtx, l: Leadership, stop: () => void): Promise<{ epoch: number; resume: Resume | undefined } | undefined> {
  l.onFollow((a) => void apply(c, { kind: 'follow', slot: a.slot, planned: a.slotPlanned, nowUs: nowUs(c), slotStartUs: a.slotStartUs }));
  l.onStepDown((by) => halt(c, `deposed by ${by}`, stop));
  l.onFinished(() => halt(c, 'the leader finished the mission', stop));
  await l.start();
  return Promise.race([l.lead, c.finished.then(() => undefined)]);
}

/** A standby stops without finishing the mission itself. */
function halt(c: ControllerCtx, why: string, stop: () => void): void {
  if (c.stopped) return;
  c.stoppedBecause = why;
  c.log.warn({ why }, 'controller stops');
  stop();
}

/**
 * New leader in a running mission: slots keep the old leader's numbering and timing (slot k
 * starts at missionStart + k·slotS). If the old leader died before planning its slot and the
 * slot is still running, it is planned now from the tasks this controller collected as standby.
 */
export function resume(c: ControllerCtx, r: Resume): void {
  const slotUs = c.cfg.slotS * 1e6;
  const t0 = r.missionStartUs;
  c.missionStartUs = t0;
  c.planSeqMax = Math.max(c.planSeqMax, r.planSeq);
  const s = resumeStep(r, c.clock.nowUs(), slotUs);
  if (s.kind === 'run') return runSlot(c, s.slot, t0);
  if (s.planOld) {
    apply(c, { kind: 'follow', slot: r.slot, planned: false, nowUs: nowUs(c), slotStartUs: Math.round(t0 + r.slot * slotUs) });
    publishFleet(c, r.slot);
    void planSlot(c, r.slot);
  }
  renewLease(c, c.core.planned);
  c.timer = c.clock.setTimeout(() => runSlot(c, s.next, t0), Math.max(0, (t0 + s.next * slotUs - c.clock.nowUs()) / 1000));
}

/** A shard other than the coordinator starts its slots on the coordinator's clock (followStep). */
export async function followShardClock(c: ControllerCtx, shard: ShardLink): Promise<void> {
  const start = await Promise.race([shard.missionStart(), c.finished.then(() => 0)]);
  if (c.stopped || start === 0) return;
  const f = followStep(start, c.clock.nowUs(), c.cfg.slotS);
  c.missionStartUs = f.t0Us;
  if (f.now) return runSlot(c, f.slot, f.t0Us);
  c.timer = c.clock.setTimeout(() => runSlot(c, f.slot, f.t0Us), f.delayMs);
}
