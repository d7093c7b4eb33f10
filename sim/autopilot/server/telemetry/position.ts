/**
 * Where the vehicle is and how it moves: GPS_RAW_INT, ATTITUDE, LOCAL_POSITION_NED,
 * GLOBAL_POSITION_INT, VFR_HUD and HOME_POSITION, from the simulated NED state and the origin.
 */
import type { MavLinkData } from 'node-mavlink';
import { common } from '../../../../firmware-bridge/mavlink/messages.ts';
import { nedToGeo } from '../../../../core/geo.ts';
import type { SimState } from '../../core/types.ts';
import { bootMs, clampI16, degE7, headingCdeg, make, type TelemetryContext } from './make.ts';

export function gpsRawInt(s: SimState, ctx: TelemetryContext): MavLinkData {
  const g = nedToGeo(s.origin, s.posM);
  const fix = ctx.cfg.gpsAvailable;
  const gs = Math.hypot(s.velMS.x, s.velMS.y);
  return make(common.GpsRawInt, {
    timeUsec: BigInt(Math.round(s.tUs)),
    lat: fix ? degE7(g.latDeg) : 0,
    lon: fix ? degE7(g.lonDeg) : 0,
    alt: fix ? Math.round(g.altAmslM * 1000) : 0,
    eph: fix ? 80 : 65535,
    epv: fix ? 120 : 65535,
    vel: Math.round(gs * 100),
    cog: gs > 0.2 ? headingCdeg(Math.atan2(s.velMS.y, s.velMS.x)) : 65535,
    fixType: fix ? 3 : 1,
    satellitesVisible: fix ? 12 : 0,
    altEllipsoid: 0, hAcc: fix ? 500 : 0, vAcc: fix ? 800 : 0, velAcc: fix ? 200 : 0, hdgAcc: 0, yaw: 0,
  });
}

export function attitude(s: SimState, ctx: TelemetryContext): MavLinkData {
  return make(common.Attitude, {
    timeBootMs: bootMs(s, ctx), roll: s.rollRad, pitch: s.pitchRad, yaw: s.yawRad, rollspeed: 0, pitchspeed: 0, yawspeed: s.yawRateRadS,
  });
}

export function localPositionNed(s: SimState, ctx: TelemetryContext): MavLinkData {
  return make(common.LocalPositionNed, {
    timeBootMs: bootMs(s, ctx), x: s.posM.x, y: s.posM.y, z: s.posM.z, vx: s.velMS.x, vy: s.velMS.y, vz: s.velMS.z,
  });
}

export function globalPositionInt(s: SimState, ctx: TelemetryContext): MavLinkData {
  const g = nedToGeo(s.origin, s.posM);
  return make(common.GlobalPositionInt, {
    timeBootMs: bootMs(s, ctx),
    lat: degE7(g.latDeg),
    lon: degE7(g.lonDeg),
    alt: Math.round(g.altAmslM * 1000),
    relativeAlt: Math.round(-s.posM.z * 1000),
    vx: clampI16(s.velMS.x * 100),
    vy: clampI16(s.velMS.y * 100),
    vz: clampI16(s.velMS.z * 100),
    hdg: headingCdeg(s.yawRad),
  });
}

export function vfrHud(s: SimState, ctx: TelemetryContext): MavLinkData {
  const hover = ctx.cfg.rotor.p0W + ctx.cfg.rotor.piW;
  return make(common.VfrHud, {
    airspeed: s.airspeedMS,
    groundspeed: Math.hypot(s.velMS.x, s.velMS.y),
    alt: s.origin.altAmslM - s.posM.z,
    climb: -s.velMS.z,
    heading: Math.round(headingCdeg(s.yawRad) / 100) % 360,
    throttle: s.landed === 'on_ground' ? 0 : Math.min(100, Math.round((50 * (s.powerW - ctx.cfg.avionicsPowerW)) / hover)),
  });
}

export function homePosition(s: SimState, _ctx: TelemetryContext): MavLinkData {
  return make(common.HomePosition, {
    latitude: degE7(s.origin.latDeg),
    longitude: degE7(s.origin.lonDeg),
    altitude: Math.round(s.origin.altAmslM * 1000),
    x: 0, y: 0, z: 0, q: [1, 0, 0, 0], approachX: 0, approachY: 0, approachZ: 0,
    timeUsec: BigInt(Math.round(s.tUs)),
  });
}
