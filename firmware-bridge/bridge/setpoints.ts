/**
 * Setpoint messages (MAVLINK.md §4) and the freshness rule of the stream.
 * type_mask bits set = ignored: X 1, Y 2, Z 4, VX 8, VY 16, VZ 32, AX 64, AY 128, AZ 256,
 * FORCE 512, YAW 1024, YAW_RATE 2048.
 */
import { common } from 'node-mavlink';
import type { MavLinkData } from 'node-mavlink';
import type { Setpoint } from '../vehicle.ts';

export const TYPE_MASK = {
  /** Position only (yaw and yaw rate ignored): 0x0DF8. */
  POSITION: 3576,
  /** Position + yaw. */
  POSITION_YAW: 2552,
  /** Velocity only: 0x0DC7. */
  VELOCITY: 3527,
  /** Velocity + yaw rate. */
  VELOCITY_YAW_RATE: 1479,
} as const;

const FRAME_LOCAL_NED = 1;
const FRAME_GLOBAL_RELATIVE_ALT_INT = 6;

export interface SetpointTarget {
  sysid: number;
  compid: number;
  timeBootMs: number;
}

export function setpointMessage(sp: Setpoint, t: SetpointTarget): MavLinkData {
  if (sp.kind === 'position_ned' || sp.kind === 'velocity_ned') {
    const m = new common.SetPositionTargetLocalNed();
    m.timeBootMs = t.timeBootMs >>> 0;
    m.targetSystem = t.sysid;
    m.targetComponent = t.compid;
    m.coordinateFrame = FRAME_LOCAL_NED as common.MavFrame;
    if (sp.kind === 'position_ned') {
      m.x = sp.positionM.x;
      m.y = sp.positionM.y;
      m.z = sp.positionM.z;
      m.yaw = sp.yawRad ?? 0;
      m.typeMask = (sp.yawRad === undefined ? TYPE_MASK.POSITION : TYPE_MASK.POSITION_YAW) as common.PositionTargetTypemask;
    } else {
      setVelocity(m, sp);
    }
    return m;
  }
  const m = new common.SetPositionTargetGlobalInt();
  m.timeBootMs = t.timeBootMs >>> 0;
  m.targetSystem = t.sysid;
  m.targetComponent = t.compid;
  m.coordinateFrame = FRAME_GLOBAL_RELATIVE_ALT_INT as common.MavFrame;
  if (sp.kind === 'position_global') {
    m.latInt = Math.round(sp.latDeg * 1e7);
    m.lonInt = Math.round(sp.lonDeg * 1e7);
    m.alt = sp.relAltM;
    m.yaw = sp.yawRad ?? 0;
    m.typeMask = (sp.yawRad === undefined ? TYPE_MASK.POSITION : TYPE_MASK.POSITION_YAW) as common.PositionTargetTypemask;
  } else {
    setVelocity(m, sp);
  }
  return m;
}

/** The velocity fields and mask, laid out alike in SET_POSITION_TARGET_LOCAL_NED and _GLOBAL_INT. */
function setVelocity(
  m: common.SetPositionTargetLocalNed | common.SetPositionTargetGlobalInt,
  sp: Extract<Setpoint, { kind: 'velocity_ned' }> | Extract<Setpoint, { kind: 'velocity_global' }>,
): void {
  m.vx = sp.velocityMS.x;
  m.vy = sp.velocityMS.y;
  m.vz = sp.velocityMS.z;
  m.yawRate = sp.yawRateRadS ?? 0;
  m.typeMask = (sp.yawRateRadS === undefined ? TYPE_MASK.VELOCITY : TYPE_MASK.VELOCITY_YAW_RATE) as common.PositionTargetTypemask;
}

/**
 * Which setpoint (if any) to send at a stream tick, and since when the stream has been
 * continuous. Pure: the shell calls `offer` and `tick` with the clock's time.
 * A setpoint is fresh for `stalePeriods` stream periods after it was offered; a stale one is
 * never resent, and the continuity clock restarts with the next fresh send.
 */
export class SetpointStream {
  private sp: Setpoint | undefined;
  private offeredUs = -Infinity;
  private sinceUs: number | undefined;

  constructor(
    readonly periodMs: number,
    readonly stalePeriods = 3,
  ) {}

  offer(sp: Setpoint, nowUs: number): void {
    if (!this.isFresh(nowUs)) this.sinceUs = undefined; // a gap, even if no tick saw it
    this.sp = sp;
    this.offeredUs = nowUs;
  }

  stop(): void {
    this.sp = undefined;
    this.sinceUs = undefined;
  }

  isFresh(nowUs: number): boolean {
    return this.sp !== undefined && nowUs - this.offeredUs <= this.stalePeriods * this.periodMs * 1000;
  }

  /** The setpoint to send now, or undefined (and the stream marked interrupted). */
  tick(nowUs: number): Setpoint | undefined {
    if (!this.isFresh(nowUs)) {
      this.sinceUs = undefined;
      return undefined;
    }
    this.sinceUs ??= nowUs;
    return this.sp;
  }

  /** How long setpoints have been streaming without interruption, ms (0 when not streaming). */
  streamingForMs(nowUs: number): number {
    return this.sinceUs === undefined || !this.isFresh(nowUs) ? 0 : (nowUs - this.sinceUs) / 1000;
  }
}
