/** `MavlinkLink`: transport + per-link encoder + decoder(s) + optional tlog. */
export { MavlinkLink } from './link.ts';
export type { LinkOptions, PacketHandler } from './link.ts';
