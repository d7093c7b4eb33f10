/**
 * A shard's pure state (issue 19 §3): which UAVs it owns, which of them are in transit to another
 * shard, the other shards' last pictures, and the handovers made. The shell (link.ts) feeds it the
 * twin states, handovers and pictures from the bus; it answers what goes to the planning core.
 *
 * The partition of the planning inputs (core/, PlanningInputs): a shard's core sees the twin
 * states of the UAVs it owns and the task requests of users in its region, nothing else. Initial
 * ownership is the region a UAV is first seen in; after that only a Handover moves it — sent by
 * the owner when the UAV is `marginM` past its region's border, adopted by the shard it entered.
 */
import type { FleetMember, MessageInput, TwinState } from '../../../proto/index.ts';
import { crossedInto, regionOf, type Region } from './regions.ts';

export interface ShardConfig {
  /** This shard, from 1; shard 1 coordinates (slot clock, the merged FleetState). */
  shard: number;
  regions: Region[];
  /** Side of the mission area, m. */
  areaM: number;
  /** How far past the border a UAV must be to change shard, m (default 5). */
  marginM?: number;
}

export interface PeerPicture {
  shard: number;
  slot: number;
  missionStartUs: number;
  owned: number[];
  members: MessageInput<FleetMember>[];
  users: number;
  /** The planned slot `users` counts, plus one; 0 = none planned yet. */
  usersSlot: number;
  centroid: [number, number] | undefined;
}

export interface HandoverBody {
  uav_id: number;
  from_shard: number;
  to_shard: number;
  slot: number;
  twin: TwinState;
  plan_seq: number;
}

export interface ShardState {
  readonly cfg: ShardConfig;
  /** UAVs this shard plans (or flies to another region: `transit`). */
  readonly owned: Set<number>;
  /** Every UAV seen, with the shard it was first seen in (for the initial ownership). */
  readonly known: Set<number>;
  /** Owned UAVs flying to another shard's region (balance.ts): UAV → destination shard. Not planned for tasks. */
  readonly transit: Map<number, number>;
  /** Last twin state of every owned UAV (handover payload, picture members). */
  readonly lastTwin: Map<number, TwinState>;
  /** Last plan_seq sent to each owned UAV. */
  readonly planSeq: Map<number, number>;
  readonly peers: Map<number, PeerPicture>;
  /** Handovers sent and adopted, for the summary. */
  readonly sent: { uavId: number; to: number; slot: number; tUs: number }[];
  readonly adopted: { uavId: number; from: number; slot: number; tUs: number }[];
  /** This region's task requests in the last planned slot. */
  users: { count: number; centroid: [number, number] | undefined; slot: number };
}

export function createShard(cfg: ShardConfig): ShardState {
  if (!(cfg.shard >= 1 && cfg.shard <= cfg.regions.length)) throw new RangeError(`shard ${cfg.shard} outside 1..${cfg.regions.length}`);
  return {
    cfg, owned: new Set(), known: new Set(), transit: new Map(), lastTwin: new Map(), planSeq: new Map(), peers: new Map(), sent: [], adopted: [],
    users: { count: 0, centroid: undefined, slot: 0 },
  };
}

/**
 * A twin state seen on the bus: `feed` when it goes to this shard's core (an owned UAV not in
 * transit); `handover` when the UAV has just crossed out of the region (the core must drop it).
 */
export function routeTwin(st: ShardState, m: TwinState, slot: number, nowUs: number): { feed: boolean; handover?: HandoverBody } {
  const u = m.uav_id;
  const x = m.position?.x_east_m;
  if (!st.known.has(u)) {
    if (x === undefined) return { feed: false };
    st.known.add(u);
    if (regionOf(st.cfg.regions, x) === st.cfg.shard) st.owned.add(u);
  }
  if (!st.owned.has(u)) return { feed: false };
  st.lastTwin.set(u, m);
  const to = x === undefined ? undefined : crossedInto(st.cfg.regions, st.cfg.shard, x, st.cfg.marginM ?? 5);
  if (to === undefined) return { feed: !st.transit.has(u) };
  const handover: HandoverBody = { uav_id: u, from_shard: st.cfg.shard, to_shard: to, slot: Math.max(0, slot), twin: m, plan_seq: st.planSeq.get(u) ?? 0 };
  drop(st, u);
  st.sent.push({ uavId: u, to, slot, tUs: nowUs });
  return { feed: false, handover };
}

/** A Handover on the bus: true when this shard adopts the UAV (its twin state then goes to the core). */
export function onHandover(st: ShardState, h: { uav_id: number; from_shard: number; to_shard: number; slot: number; twin?: TwinState | undefined }, nowUs: number): boolean {
  st.known.add(h.uav_id);
  if (h.to_shard !== st.cfg.shard || st.owned.has(h.uav_id)) return false;
  st.owned.add(h.uav_id);
  if (h.twin) st.lastTwin.set(h.uav_id, h.twin);
  st.adopted.push({ uavId: h.uav_id, from: h.from_shard, slot: h.slot, tUs: nowUs });
  return true;
}

/** Another shard's picture. */
export function onPicture(st: ShardState, p: PeerPicture): void {
  if (p.shard === st.cfg.shard) return;
  st.peers.set(p.shard, p);
}

/** Notes a plan sent to a UAV (the next handover carries its plan_seq). */
export function notePlan(st: ShardState, uavId: number, planSeq: number): void {
  st.planSeq.set(uavId, Math.max(planSeq, st.planSeq.get(uavId) ?? 0));
}

function drop(st: ShardState, u: number): void {
  st.owned.delete(u);
  st.transit.delete(u);
  st.lastTwin.delete(u);
  st.planSeq.delete(u);
}
