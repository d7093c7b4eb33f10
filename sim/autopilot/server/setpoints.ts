/**
 * SET_POSITION_TARGET_LOCAL_NED / _GLOBAL_INT → a local-NED setpoint (MAVLINK.md §4), and the
 * POSITION_TARGET_* echo. type_mask bits set = ignored; position and velocity are used only when
 * all three axes are given (ArduCopter's rule; applied to both flavours). Frames: LOCAL_NED 1,
 * LOCAL_OFFSET_NED 7, BODY_NED 8, BODY_OFFSET_NED 9; GLOBAL_INT 5 (AMSL), GLOBAL_RELATIVE_ALT_INT 6,
 * GLOBAL_TERRAIN_ALT_INT 11 (flat terrain at home: same as 6).
 */
import type { MavLinkData } from 'node-mavlink';
import { common } from '../../../firmware-bridge/mavlink/messages.ts';
import { geoToNed, nedToGeo, type Vec3 } from '../../../core/geo.ts';
import type { Setpoint, SimState } from '../core/types.ts';
import { make } from './telemetry/index.ts';

export const MASK = { POS: 1 | 2 | 4, VEL: 8 | 16 | 32, YAW: 1024, YAW_RATE: 2048 } as const;

export interface TargetFields {
  x: number;
  y: number;
  z: number;
  vx: number;
  vy: number;
  vz: number;
  yaw: number;
  yawRate: number;
  typeMask: number;
  coordinateFrame: number;
}

export type SetpointResult = { ok: true; setpoint: Omit<Setpoint, 'atUs'> } | { ok: false; reason: string };

const rot = (v: Vec3, yaw: number): Vec3 => ({ x: v.x * Math.cos(yaw) - v.y * Math.sin(yaw), y: v.x * Math.sin(yaw) + v.y * Math.cos(yaw), z: v.z });

/** Converts a local-frame target. */
export function localSetpoint(s: SimState, m: TargetFields): SetpointResult {
  const frame = m.coordinateFrame;
  if (![1, 7, 8, 9].includes(frame)) return { ok: false, reason: `unsupported frame ${frame}` };
  const sp: Omit<Setpoint, 'atUs'> = {};
  if ((m.typeMask & MASK.POS) === 0) {
    const p = { x: m.x, y: m.y, z: m.z };
    sp.posM = frame === 1 || frame === 8 ? p : frame === 7 ? { x: s.posM.x + p.x, y: s.posM.y + p.y, z: s.posM.z + p.z } : (() => {
      const r = rot(p, s.yawRad);
      return { x: s.posM.x + r.x, y: s.posM.y + r.y, z: s.posM.z + r.z };
    })();
  }
  if ((m.typeMask & MASK.VEL) === 0) {
    const v = { x: m.vx, y: m.vy, z: m.vz };
    sp.velMS = frame === 8 || frame === 9 ? rot(v, s.yawRad) : v;
  }
  return finish(sp, m);
}

/** Converts a global-frame target (lat/lon degE7 in x/y, alt m in z). */
export function globalSetpoint(s: SimState, m: TargetFields): SetpointResult {
  const frame = m.coordinateFrame;
  if (![0, 3, 5, 6, 10, 11].includes(frame)) return { ok: false, reason: `unsupported frame ${frame}` };
  const sp: Omit<Setpoint, 'atUs'> = {};
  if ((m.typeMask & MASK.POS) === 0) {
    const ned = geoToNed(s.origin, { latDeg: m.x / 1e7, lonDeg: m.y / 1e7, altAmslM: frame === 0 || frame === 5 ? m.z : s.origin.altAmslM + m.z });
    sp.posM = ned;
  }
  if ((m.typeMask & MASK.VEL) === 0) sp.velMS = { x: m.vx, y: m.vy, z: m.vz };
  return finish(sp, m);
}

function finish(sp: Omit<Setpoint, 'atUs'>, m: TargetFields): SetpointResult {
  const partialPos = (m.typeMask & MASK.POS) !== 0 && (m.typeMask & MASK.POS) !== MASK.POS;
  const partialVel = (m.typeMask & MASK.VEL) !== 0 && (m.typeMask & MASK.VEL) !== MASK.VEL;
  if (partialPos || partialVel) return { ok: false, reason: 'position/velocity need all three axes' };
  if (!sp.posM && !sp.velMS) return { ok: false, reason: 'no position or velocity in the target' };
  const finite = (v?: Vec3) => !v || (Number.isFinite(v.x) && Number.isFinite(v.y) && Number.isFinite(v.z));
  if (!finite(sp.posM) || !finite(sp.velMS)) return { ok: false, reason: 'non-finite target' };
  if ((m.typeMask & MASK.YAW) === 0 && Number.isFinite(m.yaw)) sp.yawRad = m.yaw;
  if ((m.typeMask & MASK.YAW_RATE) === 0 && Number.isFinite(m.yawRate)) sp.yawRateRadS = m.yawRate;
  return { ok: true, setpoint: sp };
}

/** POSITION_TARGET_LOCAL_NED (85) echo of the setpoint now in force. */
export function echoLocal(s: SimState, sp: Omit<Setpoint, 'atUs'>, typeMask: number, timeBootMs: number): MavLinkData {
  return make(common.PositionTargetLocalNed, {
    timeBootMs, coordinateFrame: 1, typeMask,
    x: sp.posM?.x ?? 0, y: sp.posM?.y ?? 0, z: sp.posM?.z ?? 0,
    vx: sp.velMS?.x ?? 0, vy: sp.velMS?.y ?? 0, vz: sp.velMS?.z ?? 0,
    afx: 0, afy: 0, afz: 0, yaw: sp.yawRad ?? s.yawRad, yawRate: sp.yawRateRadS ?? 0,
  });
}

/** POSITION_TARGET_GLOBAL_INT (87) echo (relative-altitude frame). */
export function echoGlobal(s: SimState, sp: Omit<Setpoint, 'atUs'>, typeMask: number, timeBootMs: number): MavLinkData {
  const g = sp.posM ? nedToGeo(s.origin, sp.posM) : { latDeg: 0, lonDeg: 0, altAmslM: s.origin.altAmslM };
  return make(common.PositionTargetGlobalInt, {
    timeBootMs, coordinateFrame: 6, typeMask,
    latInt: Math.round(g.latDeg * 1e7), lonInt: Math.round(g.lonDeg * 1e7), alt: g.altAmslM - s.origin.altAmslM,
    vx: sp.velMS?.x ?? 0, vy: sp.velMS?.y ?? 0, vz: sp.velMS?.z ?? 0,
    afx: 0, afy: 0, afz: 0, yaw: sp.yawRad ?? s.yawRad, yawRate: sp.yawRateRadS ?? 0,
  });
}
