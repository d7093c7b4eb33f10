/**
 * The mission's progress and what the autopilot is: MISSION_CURRENT, AUTOPILOT_VERSION
 * (capabilities, firmware version by flavour), PROTOCOL_VERSION.
 */
import type { MavLinkData } from 'node-mavlink';
import { common, standard } from '../../../../firmware-bridge/mavlink/messages.ts';
import { ProtocolVersion } from '../../../../firmware-bridge/mavlink/index.ts';
import { modeByName } from '../../core/modes.ts';
import type { SimState } from '../../core/types.ts';
import { capabilities } from './catalog.ts';
import { make, type TelemetryContext } from './make.ts';

export function missionCurrent(s: SimState, ctx: TelemetryContext): MavLinkData {
  // MISSION_STATE: 1 no mission, 2 not started, 3 active, 5 complete.
  const behaviourMission = modeByName(ctx.cfg.flavour, s.mode)?.behaviour === 'mission';
  const state = ctx.missionCount === 0 ? 1 : s.missionDone ? 5 : behaviourMission ? 3 : 2;
  return make(common.MissionCurrent, {
    seq: Math.min(s.missionSeq, 65535), total: ctx.missionCount, missionState: state, missionMode: behaviourMission ? 1 : 0,
    missionId: 0, fenceId: 0, rallyPointsId: 0,
  });
}

/** flight_sw_version: major.minor.patch, type OFFICIAL (255). */
const swVersion = (a: number, b: number, c: number) => ((a << 24) | (b << 16) | (c << 8) | 255) >>> 0;

export function autopilotVersion(_s: SimState, ctx: TelemetryContext): MavLinkData {
  const px4 = ctx.cfg.flavour === 'px4';
  return make(standard.AutopilotVersion, {
    capabilities: BigInt(capabilities(ctx.cfg)),
    uid: BigInt(0x5541_5600 + ctx.cfg.sysid),
    flightSwVersion: px4 ? swVersion(1, 15, 0) : swVersion(4, 5, 7),
    middlewareSwVersion: 0,
    osSwVersion: 0,
    boardVersion: 0,
    vendorId: 0,
    productId: 0,
    flightCustomVersion: [0, 0, 0, 0, 0, 0, 0, 0],
    middlewareCustomVersion: [0, 0, 0, 0, 0, 0, 0, 0],
    osCustomVersion: [0, 0, 0, 0, 0, 0, 0, 0],
    uid2: Array.from({ length: 18 }, () => 0),
  });
}

export function protocolVersion(): MavLinkData {
  return make(ProtocolVersion, { version: 200, minVersion: 100, maxVersion: 200 });
}
