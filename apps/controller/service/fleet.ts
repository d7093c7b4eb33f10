/**
 * What the controller keeps telling everyone between plans: the FleetState it relays (the agents'
 * separation data, its heartbeat and the slot clock) and, under leader election, the lease record.
 */
import type { FleetMember, MessageInput } from '../../../proto/index.ts';
import type { UavTwin } from '../twin/index.ts';
import type { ControllerCtx } from './context.ts';
import { twinNow } from './inbox.ts';
import { publish } from './publish.ts';

/** The fleet members of the twin: every UAV that reported a position, with its velocity if known. Pure. */
export function fleetMembers(uavs: Iterable<UavTwin>): MessageInput<FleetMember>[] {
  return [...uavs]
    .filter((u) => u.pos)
    .map((u) => ({
      uav_id: u.id,
      position: { x_east_m: u.pos![0], y_north_m: u.pos![1], alt_m: u.pos![2] },
      ...(u.vel ? { velocity: { vx_east_m_s: u.vel[0], vy_north_m_s: u.vel[1], vz_up_m_s: u.vel[2] } } : {}),
      reported_t_us: Math.round(u.reportedUs),
    }));
}

/** FleetState: where every UAV is (for the agents' separation) and which slot runs (for the world). */
export function publishFleet(c: ControllerCtx, k: number, launching = false): void {
  const { cfg } = c;
  if (cfg.shard && !cfg.shard.coordinator) return;
  const members = cfg.shard ? cfg.shard.members() : fleetMembers(twinNow(c).values());
  publish(c, (cfg.heartbeatBus ?? c.bus).publish('fleet', {}, { slot: k, slot_s: cfg.slotS, members, ...(launching ? { launching } : c.core.pool?.ready()) }), 'fleet state');
}

/** The lease record (leader election): where the mission is, for a successor to resume from. */
export function renewLease(c: ControllerCtx, slotPlanned: boolean): void {
  c.cfg.leadership?.renew({ slot: Math.max(0, c.core.slot), slotPlanned, missionStarted: c.core.slot >= 0, missionStartUs: c.missionStartUs, planSeq: c.planSeqMax });
}
