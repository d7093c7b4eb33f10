/**
 * The controller leadership lease, as a pure state machine (issue 19 §1): (state, event, nowUs) →
 * (state, actions). The shell (shell.ts) feeds it the retained leader records and the last wills
 * it reads from the bus and a clock tick, and carries out its actions.
 *
 * - A controller starts `joining`: for `joinWindowUs` it listens for the retained leader record.
 *   None → it leads a fresh mission with epoch 1. A live LEADING record (lease not expired) → it
 *   becomes a `standby`, following the leader's slot. A dead leader (lease expired, or its own
 *   record from before a restart) → it takes over with epoch + 1 and resumes the mission where
 *   the record says. A FINISHED record, or a LEADING one whose mission has run out → a fresh
 *   mission with epoch + 1.
 * - A standby takes over `willGraceUs` after the leader's last will arrives (its connection died:
 *   the broker publishes it at once), unless the leader renews meanwhile (a record with a later
 *   lease: it was the link, not the leader — a clustered broker closes connections while it
 *   re-elects), or when its lease expires. Standbys of higher `rank` wait `rank · staggerUs`
 *   longer, so two standbys do not both take over.
 * - A leader that sees a LEADING record of another controller with a higher epoch (or the same
 *   epoch and a smaller id) steps down: it was deposed while cut off. Agents refuse its plans
 *   anyway (Plan.leader_epoch below theirs), so stepping down is hygiene, not safety.
 */

export type LeaderRole = 'joining' | 'standby' | 'leader' | 'deposed' | 'finished';

/** A leader record as the lease sees it (LeaderRecord without the header). */
export interface LeaderView {
  controllerId: string;
  state: 'leading' | 'gone' | 'finished';
  epoch: number;
  leaseUntilUs: number;
  slot: number;
  slotPlanned: boolean;
  missionStartUs: number;
  slotS: number;
  planSeq: number;
  missionStarted: boolean;
  slots: number;
}

export interface LeaseConfig {
  self: string;
  /** How long a joining controller listens for the retained record before deciding. */
  joinWindowUs: number;
  /** 0 for the first standby; later ones wait rank · staggerUs longer before taking over. */
  rank: number;
  staggerUs: number;
  /** How long a last will waits for the leader to renew before it counts (default 0). */
  willGraceUs?: number;
}

export interface LeaseState {
  cfg: LeaseConfig;
  role: LeaderRole;
  joinUntilUs: number;
  /** This controller's epoch while it leads (0 otherwise). */
  epoch: number;
  /** The latest record of another (or an earlier) leader. */
  known: LeaderView | undefined;
  /** When the known leader was found dead (will, or lease expiry), µs; 0 = alive or unknown. */
  deadSinceUs: number;
  /** When the leader's heartbeat (FleetState) was last seen, µs; 0 = never. */
  heartbeatUs?: number;
}

/** Where a new leader picks the mission up: the dead leader's progress, who it was and its epoch. */
export type Resume = Pick<LeaderView, 'slot' | 'slotPlanned' | 'missionStartUs' | 'slotS' | 'planSeq' | 'missionStarted'> & { from: string; fromEpoch: number };

export type LeaseAction =
  | { kind: 'lead'; epoch: number; resume: Resume | undefined }
  /** `slotStartUs`: when the leader's slot began (mission start + slot · slotS), µs; 0 = unknown. */
  | { kind: 'follow'; slot: number; slotPlanned: boolean; missionStarted: boolean; slotStartUs: number }
  | { kind: 'step-down'; by: string; epoch: number }
  | { kind: 'finished' };

/**
 * `heartbeat`: the leader's FleetState arrived. It travels on the leader's second connection
 * (QoS 0, which a clustered broker does not stall), so a will whose grace ends while heartbeats
 * still arrive was the broker closing the leader's main connection during a stall, not a crash:
 * the standby does not take over (the lease expiry still covers a leader cut off for good).
 */
export type LeaseEvent = { kind: 'record'; rec: LeaderView } | { kind: 'tick' } | { kind: 'heartbeat' };

export function initialLease(cfg: LeaseConfig, nowUs: number): LeaseState {
  return { cfg, role: 'joining', joinUntilUs: nowUs + cfg.joinWindowUs, epoch: 0, known: undefined, deadSinceUs: 0 };
}

/** Whether a LEADING record's mission has run out (its last slot and a margin of two are over). */
function missionOver(k: LeaderView, nowUs: number): boolean {
  return k.missionStarted && k.slots > 0 && k.slotS > 0 && nowUs > k.missionStartUs + (k.slots + 2) * k.slotS * 1e6;
}

function takeOver(s: LeaseState, k: LeaderView, nowUs: number): { state: LeaseState; actions: LeaseAction[] } {
  const epoch = k.epoch + 1;
  const fresh = k.state === 'finished' || missionOver(k, nowUs);
  const resume: Resume | undefined = fresh
    ? undefined
    : { slot: k.slot, slotPlanned: k.slotPlanned, missionStartUs: k.missionStartUs, slotS: k.slotS, planSeq: k.planSeq, missionStarted: k.missionStarted, from: k.controllerId, fromEpoch: k.epoch };
  return { state: { ...s, role: 'leader', epoch, deadSinceUs: 0 }, actions: [{ kind: 'lead', epoch, resume }] };
}

export function stepLease(s: LeaseState, e: LeaseEvent, nowUs: number): { state: LeaseState; actions: LeaseAction[] } {
  if (s.role === 'deposed' || s.role === 'finished') return { state: s, actions: [] };
  if (e.kind === 'record') return onRecord(s, e.rec, nowUs);
  if (e.kind === 'heartbeat') return { state: { ...s, heartbeatUs: nowUs }, actions: [] };
  return onTick(s, nowUs);
}

function onRecord(s: LeaseState, r: LeaderView, nowUs: number): { state: LeaseState; actions: LeaseAction[] } {
  const self = s.cfg.self;
  if (r.state === 'gone') {
    // A last will: only the current leader's death matters (an old will of a standby does not).
    if (s.known && s.known.state === 'leading' && s.known.controllerId === r.controllerId && r.controllerId !== self && s.deadSinceUs === 0) {
      return onTick({ ...s, deadSinceUs: nowUs }, nowUs);
    }
    return { state: s, actions: [] };
  }
  if (s.role === 'leader') {
    if (r.controllerId === self) return { state: s, actions: [] };
    const outranked = r.state === 'leading' && (r.epoch > s.epoch || (r.epoch === s.epoch && r.controllerId < self));
    return outranked ? { state: { ...s, role: 'deposed', known: r }, actions: [{ kind: 'step-down', by: r.controllerId, epoch: r.epoch }] } : { state: s, actions: [] };
  }
  // joining or standby: an older record than the one known is a late retained copy.
  if (s.known && r.epoch < s.known.epoch) return { state: s, actions: [] };
  if (r.controllerId === self && r.state === 'leading') {
    // Our own record from before a restart: that leader is dead (it is us, and we do not lead).
    return onTick({ ...s, known: r, deadSinceUs: s.deadSinceUs || nowUs }, nowUs);
  }
  const sameLeader = s.known?.controllerId === r.controllerId && s.known.epoch === r.epoch;
  // A renewal after the will (a later lease) says the leader lives: only its link dropped.
  const renewed = sameLeader && r.state === 'leading' && r.leaseUntilUs > s.known!.leaseUntilUs;
  const next: LeaseState = { ...s, known: r, deadSinceUs: sameLeader && !renewed ? s.deadSinceUs : 0 };
  if (r.state === 'finished') {
    if (s.role === 'standby') return { state: { ...next, role: 'finished' }, actions: [{ kind: 'finished' }] };
    return { state: next, actions: [] };
  }
  const follow: LeaseAction[] = s.role === 'standby' ? [followOf(r)] : [];
  return { state: next, actions: follow };
}

/** A standby follows the leader's slot as its record says. */
function followOf(r: LeaderView): LeaseAction {
  const slotStartUs = r.missionStarted && r.missionStartUs > 0 && r.slotS > 0 ? Math.round(r.missionStartUs + r.slot * r.slotS * 1e6) : 0;
  return { kind: 'follow', slot: r.slot, slotPlanned: r.slotPlanned, missionStarted: r.missionStarted, slotStartUs };
}

function onTick(s: LeaseState, nowUs: number): { state: LeaseState; actions: LeaseAction[] } {
  const k = s.known;
  if (s.role === 'joining') {
    const dead = k !== undefined && k.state === 'leading' && (s.deadSinceUs > 0 || nowUs > k.leaseUntilUs);
    // A dead leader is taken over at once; otherwise wait out the join window for the retained record.
    if (!dead && nowUs < s.joinUntilUs) return { state: s, actions: [] };
    if (!k) return { state: { ...s, role: 'leader', epoch: 1 }, actions: [{ kind: 'lead', epoch: 1, resume: undefined }] };
    if (k.state === 'finished' || dead || missionOver(k, nowUs)) return takeOver(s, k, nowUs);
    return { state: { ...s, role: 'standby' }, actions: [followOf(k)] };
  }
  if (s.role !== 'standby' || !k || k.state !== 'leading') return { state: s, actions: [] };
  // The leader's mission has run out (its FINISHED record lost or late): nothing left to take over.
  if (missionOver(k, nowUs)) return { state: { ...s, role: 'finished' }, actions: [{ kind: 'finished' }] };
  const expired = nowUs > k.leaseUntilUs;
  if (s.deadSinceUs === 0 && !expired) return { state: s, actions: [] };
  const grace = s.cfg.willGraceUs ?? 0;
  const readyAt = expired ? k.leaseUntilUs : s.deadSinceUs + grace;
  if (nowUs < readyAt + s.cfg.rank * s.cfg.staggerUs) return { state: s, actions: [] };
  // Heartbeats after the will (later than half the grace: not ones already in flight at a crash): alive.
  if (!expired && grace > 0 && (s.heartbeatUs ?? 0) > s.deadSinceUs + grace / 2) return { state: { ...s, deadSinceUs: 0 }, actions: [] };
  return takeOver(s, k, nowUs);
}
