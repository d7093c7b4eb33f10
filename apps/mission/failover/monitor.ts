/**
 * A read-only observer of a failover mission: one bus (persistent session, so it misses nothing
 * while it fails over between broker nodes) that notes every plan, ack, leader record, agent
 * event, slot start and telemetry header seq, for the chaos analysis (chaos.ts).
 */
import type { Clock } from '../../../core/clock.ts';
import { LeaderState, NackReason } from '../../../proto/index.ts';
import { Bus, type BrokerCredentials } from '../../common/bus.ts';
import type { Logger } from '../../common/log.ts';
import type { SeenPlan } from './chaos.ts';

const REASON: Record<number, string> = Object.fromEntries(Object.entries(NackReason).map(([k, v]) => [v, k.replace('NACK_REASON_', '').toLowerCase()]));

export interface SeenLeader {
  controllerId: string;
  state: 'leading' | 'gone' | 'finished';
  epoch: number;
  slot: number;
  tUs: number;
}

export class Monitor {
  readonly plans: SeenPlan[] = [];
  readonly leaders: SeenLeader[] = [];
  readonly failsafes: { uav: number; code: string; text: string; tUs: number }[] = [];
  readonly staleEpochNacks: { uav: number; seq: number; detail: string }[] = [];
  /** Every refusal (NACK) an agent sent: reason name, plan, detail, when (clock µs). */
  readonly refusals: { uav: number; seq: number; reason: string; detail: string; tUs: number }[] = [];
  /** First time each slot was announced (FleetState, not launching), clock µs. */
  readonly slotStarts = new Map<number, number>();
  /** Twin header seqs per UAV (telemetry loss). */
  readonly twinSeqs = new Map<number, Set<number>>();
  acks = 0;
  nacks = 0;
  /** `uav:plan_seq` of every plan an agent acked as accepted (a later refusal of one is of a redelivered copy). */
  readonly accepted = new Set<string>();
  /** `uav:plan_seq` of every plan an agent answered (accepted or refused): a plan seen and never answered was lost on its way to the agent. */
  readonly answered = new Set<string>();

  private constructor(
    readonly bus: Bus,
    private readonly clock: Clock,
  ) {}

  /** `cred`: in a secure mission, the read-only `recorder` identity's login. */
  static async start(url: string, clock: Clock, log: Logger, tag: string, cred: BrokerCredentials = {}): Promise<Monitor> {
    const bus = await Bus.connect({ url, clientId: `uavmec-monitor-${tag}`, sender: 'recorder', clock, log, persistentSession: true, ...cred });
    const m = new Monitor(bus, clock);
    await m.subscribe();
    return m;
  }

  private async subscribe(): Promise<void> {
    const b = this.bus;
    await b.subscribe('plan', {}, (p, d) => this.plans.push({ uav: p.uav_id, seq: p.plan_seq, slot: p.slot, epoch: p.leader_epoch, planner: p.planner, tUs: d.recvUs }));
    const acksSeen = new Set<string>();
    await b.subscribe('ack', {}, (a) => {
      // QoS 1 is at-least-once: a redelivered copy of the same answer (same agent, same header seq) counts once.
      const copy = `${a.uav_id}:${a.header?.seq}`;
      if (acksSeen.has(copy)) return;
      acksSeen.add(copy);
      this.answered.add(`${a.uav_id}:${a.plan_seq}`);
      if (a.accepted) {
        this.acks++;
        this.accepted.add(`${a.uav_id}:${a.plan_seq}`);
      } else {
        this.nacks++;
        this.refusals.push({ uav: a.uav_id, seq: a.plan_seq, reason: REASON[a.reason] ?? String(a.reason), detail: a.detail, tUs: this.clock.nowUs() });
      }
      if (a.reason === NackReason.NACK_REASON_STALE_EPOCH) this.staleEpochNacks.push({ uav: a.uav_id, seq: a.plan_seq, detail: a.detail });
    });
    await b.subscribe('leader', {}, (r, d) => {
      const state = r.state === LeaderState.LEADER_STATE_LEADING ? 'leading' : r.state === LeaderState.LEADER_STATE_GONE ? 'gone' : 'finished';
      this.leaders.push({ controllerId: r.controller_id, state, epoch: r.epoch, slot: r.slot, tUs: d.recvUs });
    });
    await b.subscribe('uavEvent', {}, (e, d) => {
      // When the agent decided it (its header time, on the mission's clock), not when it arrived: an agent
      // cut off from the broker reports a hold only once it is back, maybe after the last slot.
      if (e.code === 'failsafe.hold' || e.code === 'failsafe.rtl') this.failsafes.push({ uav: d.params.uav ?? 0, code: e.code, text: e.text, tUs: e.header?.t_us || d.recvUs });
    });
    await b.subscribe('fleet', {}, (f) => {
      if (!f.launching && !this.slotStarts.has(f.slot)) this.slotStarts.set(f.slot, this.clock.nowUs());
    });
    await b.subscribe('twin', {}, (t) => {
      const s = this.twinSeqs.get(t.uav_id) ?? new Set<number>();
      s.add(t.header!.seq);
      this.twinSeqs.set(t.uav_id, s);
    });
  }

  /** The highest slot announced so far (−1 before slot 0). */
  get slot(): number {
    return this.slotStarts.size === 0 ? -1 : Math.max(...this.slotStarts.keys());
  }
}
