/**
 * The leadership lease wired to the bus and the clock (issue 19 §1). The lease core (lease.ts)
 * decides; this shell reads the retained leader record and the controllers' last wills on
 * `uavmec/v1/controller/leader`, ticks the core, publishes this controller's record while it
 * leads (the renewal: at every slot start and after the slot's plans) and tells the controller
 * service what to do: lead (fresh or resuming), follow the leader's slot, step down, stop.
 *
 * The controller's bus must carry `leaderWill(id)` as its last will, so the broker announces its
 * death the moment its connection drops; that is what lets a standby take over within one slot.
 */
import type { Clock, Timer } from '../../../core/clock.ts';
import { LeaderState, type LeaderRecord, type MessageInput } from '../../../proto/index.ts';
import type { Bus, BusOptions } from '../../common/bus.ts';
import type { Logger } from '../../common/log.ts';
import { initialLease, stepLease, type LeaderView, type LeaseAction, type LeaseState, type Resume } from './lease.ts';

export interface LeadershipConfig {
  controllerId: string;
  /** 0 for the first standby; a rank-r standby waits r · 0.2 slot longer before taking over. */
  rank?: number;
  slotS: number;
  slots: number;
  /** How long a starting controller listens for the retained record, s of clock time (default 1 slot, ≥ 0.5 s). */
  joinWindowS?: number;
  /**
   * Lease length in slots after each renewal (default 5). A crash is noticed at once through the
   * last will; the lease only decides when the leader is alive but cut off, and must outlast the
   * seconds a clustered broker can stall QoS 1 (the renewals) while it re-elects after a node death.
   */
  leaseSlots?: number;
}

export interface LeadDecision {
  epoch: number;
  resume: Resume | undefined;
}

/** The last will a controller's bus carries: "controller <id> is gone". */
export function leaderWill(controllerId: string): NonNullable<BusOptions['will']> {
  return { key: 'leader', msg: { controller_id: controllerId, state: LeaderState.LEADER_STATE_GONE } as MessageInput<LeaderRecord> };
}

const STATE: Record<number, LeaderView['state'] | undefined> = {
  [LeaderState.LEADER_STATE_LEADING]: 'leading',
  [LeaderState.LEADER_STATE_GONE]: 'gone',
  [LeaderState.LEADER_STATE_FINISHED]: 'finished',
};

export function viewOf(m: LeaderRecord): LeaderView | undefined {
  const state = STATE[m.state];
  if (!state) return undefined;
  return {
    controllerId: m.controller_id, state, epoch: m.epoch, leaseUntilUs: m.lease_until_t_us, slot: m.slot, slotPlanned: m.slot_planned,
    missionStartUs: m.mission_start_t_us, slotS: m.slot_s, planSeq: m.plan_seq, missionStarted: m.mission_started, slots: m.slots,
  };
}

/** What the leader says about the mission at a renewal. */
export interface Progress {
  slot: number;
  slotPlanned: boolean;
  missionStarted: boolean;
  missionStartUs: number;
  planSeq: number;
}

export class Leadership {
  private state: LeaseState;
  private timer: Timer | undefined;
  /** The last progress renewed with (republished on reconnect). */
  private last: Progress | undefined;
  private leadResolve: ((d: LeadDecision) => void) | undefined;
  readonly lead: Promise<LeadDecision>;
  private followers: ((a: Extract<LeaseAction, { kind: 'follow' }>) => void)[] = [];
  private downs: ((by: string, epoch: number) => void)[] = [];
  private finishers: (() => void)[] = [];
  /** Leader changes seen, for logs and summaries: when, who, epoch. */
  readonly history: { tUs: number; event: string; controllerId: string; epoch: number }[] = [];

  constructor(
    private readonly bus: Bus,
    private readonly clock: Clock,
    private readonly cfg: LeadershipConfig,
    private readonly log: Logger,
  ) {
    const slotUs = cfg.slotS * 1e6;
    this.state = initialLease({ self: cfg.controllerId, joinWindowUs: Math.max(0.5e6, (cfg.joinWindowS ?? cfg.slotS) * 1e6), rank: cfg.rank ?? 0, staggerUs: 0.2 * slotUs, willGraceUs: 0.3 * slotUs }, clock.nowUs());
    this.lead = new Promise((r) => (this.leadResolve = r));
  }

  /** This controller's id (LeaderRecord.controller_id). */
  get id(): string {
    return this.cfg.controllerId;
  }

  get epoch(): number {
    return this.state.role === 'leader' ? this.state.epoch : 0;
  }

  get role(): LeaseState['role'] {
    return this.state.role;
  }

  get isLeader(): boolean {
    return this.state.role === 'leader';
  }

  onFollow(fn: (a: { slot: number; slotPlanned: boolean; missionStarted: boolean; slotStartUs: number }) => void): void {
    this.followers.push(fn);
  }

  onStepDown(fn: (by: string, epoch: number) => void): void {
    this.downs.push(fn);
  }

  onFinished(fn: () => void): void {
    this.finishers.push(fn);
  }

  async start(): Promise<void> {
    // Back on the broker (another node, or the same after a stall): renew at once, so a standby
    // holding our last will sees we live before its grace runs out.
    this.bus.onConnectionChange((up) => {
      if (up && this.isLeader && this.last) this.publish(LeaderState.LEADER_STATE_LEADING, this.last);
    });
    await this.bus.subscribe('leader', {}, (m) => {
      const v = viewOf(m);
      if (v) this.apply(stepLease(this.state, { kind: 'record', rec: v }, this.clock.nowUs()));
    });
    // The leader's heartbeat: only a leader publishes FleetState (on its own connection).
    await this.bus.subscribe('fleet', {}, () => {
      if (!this.isLeader) this.apply(stepLease(this.state, { kind: 'heartbeat' }, this.clock.nowUs()));
    });
    this.timer = this.clock.setInterval(() => this.apply(stepLease(this.state, { kind: 'tick' }, this.clock.nowUs())), Math.max(10, this.cfg.slotS * 50));
  }

  /** Renews the lease with the mission's progress (leader only). */
  renew(p: Progress): void {
    if (!this.isLeader) return;
    this.last = p;
    this.publish(LeaderState.LEADER_STATE_LEADING, p);
  }

  /** The mission ended: the retained record says so, and nobody takes over. */
  finish(p: Progress): void {
    if (this.isLeader) this.publish(LeaderState.LEADER_STATE_FINISHED, p);
    this.stop();
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  private publish(state: LeaderState, p: Progress): void {
    const nowUs = this.clock.nowUs();
    const rec: MessageInput<LeaderRecord> = {
      controller_id: this.cfg.controllerId, state, epoch: this.state.epoch,
      lease_until_t_us: Math.round(nowUs + (this.cfg.leaseSlots ?? 5) * this.cfg.slotS * 1e6),
      slot: p.slot, slot_planned: p.slotPlanned, mission_start_t_us: Math.round(p.missionStartUs), slot_s: this.cfg.slotS,
      plan_seq: p.planSeq, mission_started: p.missionStarted, slots: this.cfg.slots,
    };
    this.bus.publish('leader', {}, rec).catch((e: unknown) => this.log.error({ err: e }, 'leader record not published'));
  }

  private apply(r: { state: LeaseState; actions: LeaseAction[] }): void {
    const before = this.state;
    this.state = r.state;
    const nowUs = this.clock.nowUs();
    if (before.deadSinceUs === 0 && r.state.deadSinceUs > 0) this.log.info({ leader: r.state.known?.controllerId, epoch: r.state.known?.epoch }, 'the leader\'s last will: waiting for a renewal or its heartbeat');
    if (before.deadSinceUs > 0 && r.state.deadSinceUs === 0 && r.state.role !== 'leader') this.log.info({ leader: r.state.known?.controllerId, heartbeatUs: r.state.heartbeatUs }, 'the leader lives (renewal or heartbeat after its will): no takeover');
    if (before.role === 'joining' && r.state.role === 'standby') {
      this.history.push({ tUs: nowUs, event: 'standby', controllerId: r.state.known?.controllerId ?? '', epoch: r.state.known?.epoch ?? 0 });
      this.log.info({ leader: r.state.known?.controllerId, epoch: r.state.known?.epoch }, 'standby: following the leader');
    }
    for (const a of r.actions) {
      if (a.kind === 'lead') {
        this.history.push({ tUs: nowUs, event: a.resume ? 'takeover' : 'lead', controllerId: this.cfg.controllerId, epoch: a.epoch });
        this.log.info({ epoch: a.epoch, resume: a.resume }, a.resume ? `taking over from ${a.resume.from} at slot ${a.resume.slot}` : 'leading a fresh mission');
        this.leadResolve?.({ epoch: a.epoch, resume: a.resume });
        this.leadResolve = undefined;
      } else if (a.kind === 'follow') {
        for (const f of this.followers) f(a);
      } else if (a.kind === 'step-down') {
        this.history.push({ tUs: nowUs, event: 'deposed', controllerId: a.by, epoch: a.epoch });
        this.log.warn({ by: a.by, epoch: a.epoch }, 'deposed: another controller leads with a newer epoch; stepping down');
        for (const f of this.downs) f(a.by, a.epoch);
      } else {
        for (const f of this.finishers) f();
      }
    }
  }
}
