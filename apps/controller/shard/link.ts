/**
 * A shard wired to the bus (issue 19 §3): the thin shell around the pure shard state. The
 * controller service (../service.ts, `ControllerConfig.shard`) asks it which received messages
 * go to its planning core (`admit`), hands it each slot's planning instant (`beforePlan`: the
 * region's demand, the transits to other regions) and its fleet timer (`tick`: this shard's
 * picture). It publishes Handovers when an owned UAV crosses out of the region and adopts the
 * UAVs handed to it; the coordinating shard (1) publishes the merged FleetState and the slot
 * clock, the others start their slots on the coordinator's (`missionStart`).
 */
import type { Clock } from '../../../core/clock.ts';
import { FlightMode, topicName, type FleetMember, type MessageInput } from '../../../proto/index.ts';
import type { Bus } from '../../common/bus.ts';
import type { Logger } from '../../common/log.ts';
import type { MessageEvent } from '../core/index.ts';
import type { PlanBody } from '../slot/index.ts';
import { balance, transitPlan } from './balance.ts';
import { mergedMembers, peerOf, pictureBody } from './picture.ts';
import { regionOf } from './regions.ts';
import { createShard, notePlan, onHandover, onPicture, routeTwin, type ShardConfig, type ShardState } from './state.ts';

export interface ShardHooks {
  /** The core must drop this UAV (handed over, or in transit). */
  release(uavId: number): void;
  /** A twin state for the core (an adopted UAV's, from its Handover). */
  feed(ev: MessageEvent): void;
}

export class ShardLink {
  readonly state: ShardState;
  private hooks: ShardHooks | undefined;
  private slot = -1;
  private missionStartUs = 0;
  private startWaiters: ((t0: number) => void)[] = [];

  constructor(
    private readonly bus: Bus,
    private readonly clock: Clock,
    cfg: ShardConfig,
    private readonly log: Logger,
  ) {
    this.state = createShard(cfg);
  }

  get shard(): number {
    return this.state.cfg.shard;
  }

  /** Shard 1 keeps the slot clock and publishes the merged FleetState. */
  get coordinator(): boolean {
    return this.state.cfg.shard === 1;
  }

  /** UAVs seen so far (the fleet, for the wait before launch). */
  get knownUavs(): number {
    return this.state.known.size;
  }

  async attach(hooks: ShardHooks): Promise<void> {
    this.hooks = hooks;
    await this.bus.subscribe('shard', {}, (m) => {
      const p = peerOf(m);
      onPicture(this.state, p);
      if (p.shard === 1 && p.missionStartUs > 0 && this.missionStartUs === 0 && !this.coordinator) {
        this.missionStartUs = p.missionStartUs;
        for (const w of this.startWaiters.splice(0)) w(p.missionStartUs);
      }
    });
    await this.bus.subscribe('handover', {}, (m, d) => {
      if (!onHandover(this.state, m, d.recvUs)) return;
      this.log.info({ uav: m.uav_id, from: m.from_shard, slot: m.slot }, `adopted UAV ${m.uav_id} from shard ${m.from_shard}`);
      this.hooks!.feed({ kind: 'twin', msg: m.twin!, topic: topicName('twin', { uav: m.uav_id }), recvUs: Math.round(d.recvUs) });
    });
  }

  /** Whether a received message goes to this shard's core (twin states of its UAVs, task requests of its region). */
  admit(ev: MessageEvent): boolean {
    if (ev.kind === 'task') return regionOf(this.state.cfg.regions, ev.msg.user_position?.x_east_m ?? 0) === this.shard;
    if (ev.kind !== 'twin') return true;
    const r = routeTwin(this.state, ev.msg, this.slot, ev.recvUs);
    if (r.handover) {
      this.hooks!.release(ev.msg.uav_id);
      this.log.info({ uav: r.handover.uav_id, to: r.handover.to_shard, slot: r.handover.slot }, `UAV ${r.handover.uav_id} crossed into shard ${r.handover.to_shard}'s region: handed over`);
      this.bus.publish('handover', {}, r.handover).catch((e: unknown) => this.log.error({ err: e }, 'handover not published'));
    }
    return r.feed;
  }

  /** Slot k starts (the coordinator's clock, or the follower's copy of it). */
  slotStarted(k: number, missionStartUs: number): void {
    this.slot = k;
    if (this.coordinator) this.missionStartUs = missionStartUs;
  }

  /**
   * Slot k's planning instant, with the region's task requests (positions): new transits are
   * dropped from the core; returns the transit plans to send after the core's plans.
   */
  beforePlan(k: number, userXY: [number, number][], o: { nowUs: number; slotS: number; validSlots: number; altM: number; speedMS: number }): { uavId: number; plan: PlanBody }[] {
    const b = balance(this.state, k, userXY);
    for (const u of b.started) {
      this.log.info({ uav: u, to: this.state.transit.get(u), slot: k }, `UAV ${u} sent toward shard ${this.state.transit.get(u)}'s region (balance)`);
      this.hooks!.release(u);
    }
    return b.transits.map((t) => ({ uavId: t.uavId, plan: transitPlan(t, { slot: k, ...o }) }));
  }

  /** UAVs in transit (still this shard's), for the mission-end RTL. */
  get inTransit(): number[] {
    return [...this.state.transit.keys()].sort((a, b) => a - b);
  }

  /** Mission end: RTL for the UAVs still in transit (the core sends it to the others). */
  finishPlans(nowUs: number, slots: number, slotS: number): [number, PlanBody][] {
    return this.inTransit.map((u) => [u, {
      uav_id: u, plan_seq: Math.floor(nowUs / 1000), slot: slots, valid_from_t_us: Math.round(nowUs), expires_t_us: Math.round(nowUs + 10 * slotS * 1e6),
      flight: { mode: FlightMode.FLIGHT_MODE_RTL }, planner: 'mission-end',
    }]);
  }

  notePlan(uavId: number, planSeq: number): void {
    notePlan(this.state, uavId, planSeq);
  }

  /** This shard's picture (at the fleet rate and after each slot's plans). */
  publishPicture(): void {
    const body = pictureBody(this.state, this.slot, this.missionStartUs);
    this.bus.publish('shard', {}, body).catch((e: unknown) => this.log.error({ err: e }, 'shard picture not published'));
  }

  /** The merged fleet picture (the coordinator's FleetState members). */
  members(): MessageInput<FleetMember>[] {
    return mergedMembers(this.state);
  }

  /** Start of slot 0 by the coordinator's clock (followers wait for its picture). */
  missionStart(): Promise<number> {
    if (this.missionStartUs > 0) return Promise.resolve(this.missionStartUs);
    return new Promise((r) => this.startWaiters.push(r));
  }

  /** Now on this shard's clock, µs. */
  nowUs(): number {
    return this.clock.nowUs();
  }
}
