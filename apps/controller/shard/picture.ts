/**
 * The fleet picture of a sharded mission (issue 19 §3): each shard publishes its part (its
 * region, its UAVs and where they are, its demand) as a ShardPicture; the coordinating shard
 * merges the parts into the one FleetState the agents (separation, liveness) and the world (slot
 * clock) read. Merging is by UAV: the freshest report wins, so a UAV in the middle of a handover
 * appears once.
 */
import type { FleetMember, MessageInput, ShardPicture, TwinState } from '../../../proto/index.ts';
import type { PeerPicture, ShardState } from './state.ts';

/** A twin state as a fleet member. */
export function memberOf(m: TwinState): MessageInput<FleetMember> {
  return {
    uav_id: m.uav_id,
    ...(m.position ? { position: m.position } : {}),
    ...(m.velocity ? { velocity: m.velocity } : {}),
    reported_t_us: m.header?.t_us ?? 0,
  };
}

/** This shard's picture body. */
export function pictureBody(st: ShardState, slot: number, missionStartUs: number): MessageInput<Omit<ShardPicture, 'header'>> {
  const r = st.cfg.regions[st.cfg.shard - 1]!;
  const owned = [...st.owned].sort((a, b) => a - b);
  return {
    shard: st.cfg.shard, shards: st.cfg.regions.length,
    // ±∞ does not go on the wire: the outer strips are sent as far beyond the area.
    x_east_min_m: Number.isFinite(r.xMinM) ? r.xMinM : -1e9, x_east_max_m: Number.isFinite(r.xMaxM) ? r.xMaxM : 1e9,
    slot: Math.max(0, slot), mission_start_t_us: Math.round(missionStartUs),
    owned_uav_ids: owned,
    members: owned.map((u) => st.lastTwin.get(u)).filter((m): m is TwinState => m !== undefined).map(memberOf),
    users: st.users.count,
    ...(st.users.centroid ? { users_centroid: { x_east_m: st.users.centroid[0], y_north_m: st.users.centroid[1], alt_m: 0 } } : {}),
    users_slot: st.users.slot,
  };
}

/** A received picture as the pure state keeps it. */
export function peerOf(p: ShardPicture): PeerPicture {
  return {
    shard: p.shard, slot: p.slot, missionStartUs: p.mission_start_t_us, owned: [...p.owned_uav_ids], members: p.members as MessageInput<FleetMember>[],
    users: p.users, usersSlot: p.users_slot, centroid: p.users_centroid ? [p.users_centroid.x_east_m, p.users_centroid.y_north_m] : undefined,
  };
}

/** The merged fleet picture: this shard's UAVs and every other shard's, the freshest report of each UAV. */
export function mergedMembers(st: ShardState): MessageInput<FleetMember>[] {
  const all = new Map<number, MessageInput<FleetMember>>();
  const put = (m: MessageInput<FleetMember>) => {
    const had = all.get(m.uav_id!);
    if (!had || Number(m.reported_t_us ?? 0) > Number(had.reported_t_us ?? 0)) all.set(m.uav_id!, m);
  };
  for (const u of st.owned) {
    const t = st.lastTwin.get(u);
    if (t) put(memberOf(t));
  }
  for (const p of [...st.peers.values()].sort((a, b) => a.shard - b.shard)) for (const m of p.members) put(m);
  return [...all.values()].sort((a, b) => a.uav_id! - b.uav_id!);
}
