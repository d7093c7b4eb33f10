/**
 * The SITL's MAVLink telemetry (MAVLINK.md §1–§2), stage by stage. Pure builders: (state,
 * context) → node-mavlink message objects.
 * - make.ts — `make` (fills a message without its constructor), `TelemetryContext`, unit helpers;
 * - catalog.ts — message ids `MSG`, `DEFAULT_RATES_HZ`, REQUEST_DATA_STREAM groups, capability bits;
 * - status.ts — HEARTBEAT, SYS_STATUS, BATTERY_STATUS, EXTENDED_SYS_STATE, STATUSTEXT;
 * - position.ts — GPS_RAW_INT, ATTITUDE, LOCAL_POSITION_NED, GLOBAL_POSITION_INT, VFR_HUD, HOME_POSITION;
 * - version.ts — MISSION_CURRENT, AUTOPILOT_VERSION, PROTOCOL_VERSION;
 * - `BUILDERS` (here): the builder of each streamed or requested message id.
 */
import type { MavLinkData } from 'node-mavlink';
import type { SimState } from '../../core/types.ts';
import { MSG } from './catalog.ts';
import type { TelemetryContext } from './make.ts';
import { attitude, globalPositionInt, gpsRawInt, homePosition, localPositionNed, vfrHud } from './position.ts';
import { batteryStatus, extendedSysState, heartbeat, sysStatus } from './status.ts';
import { autopilotVersion, missionCurrent, protocolVersion } from './version.ts';

export { make, type TelemetryContext } from './make.ts';
export { CAPABILITY, capabilities, DATA_STREAMS, DEFAULT_RATES_HZ, MSG } from './catalog.ts';
export { batteryStatus, batteryVoltageV, extendedSysState, heartbeat, statusText, sysStatus, systemStatus } from './status.ts';
export { attitude, globalPositionInt, gpsRawInt, homePosition, localPositionNed, vfrHud } from './position.ts';
export { autopilotVersion, missionCurrent, protocolVersion } from './version.ts';

/** Builders by message id, for streams and REQUEST_MESSAGE. */
export const BUILDERS: Readonly<Record<number, (s: SimState, ctx: TelemetryContext) => MavLinkData>> = {
  [MSG.HEARTBEAT]: heartbeat,
  [MSG.SYS_STATUS]: sysStatus,
  [MSG.GPS_RAW_INT]: gpsRawInt,
  [MSG.ATTITUDE]: attitude,
  [MSG.LOCAL_POSITION_NED]: localPositionNed,
  [MSG.GLOBAL_POSITION_INT]: globalPositionInt,
  [MSG.MISSION_CURRENT]: missionCurrent,
  [MSG.VFR_HUD]: vfrHud,
  [MSG.BATTERY_STATUS]: batteryStatus,
  [MSG.AUTOPILOT_VERSION]: autopilotVersion,
  [MSG.HOME_POSITION]: homePosition,
  [MSG.EXTENDED_SYS_STATE]: extendedSysState,
  [MSG.PROTOCOL_VERSION]: () => protocolVersion(),
};
