/**
 * Sharded controllers (issue 19 §3): each controller plans one region of the mission area.
 * - regions.ts: the strips and which shard a position belongs to;
 * - state.ts: ownership, handover (pure); balance.ts: UAV quotas and transits (pure);
 * - picture.ts: a shard's part of the fleet picture and the merged FleetState members (pure);
 * - link.ts: the shell on the bus (`ControllerConfig.shard`); merge.ts: one mission's books from the shards'.
 */
export { stripRegions, regionOf, crossedInto, type Region } from './regions.ts';
export { createShard, routeTwin, onHandover, onPicture, type ShardConfig, type ShardState, type PeerPicture } from './state.ts';
export { balance, quotas, transitPlan, type Transit } from './balance.ts';
export { mergedMembers, pictureBody, peerOf } from './picture.ts';
export { ShardLink } from './link.ts';
export { mergeLedgers } from './merge.ts';
