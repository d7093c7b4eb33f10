/**
 * One physics/logic step of the simulated multicopter: failsafes (GCS link loss, offboard loss,
 * fence, battery), guided-velocity timeout, mode logic (takeoff, RTL, land, mission), the
 * position controller, point-mass kinematics with ground contact, attitude and the battery.
 *
 * Battery drain (SPEC §4): P = P_prop(|v_air,xy|) [in the air] + P_avionics + P_compute, with
 * P_prop the rotary-wing model of `core/models/propulsion.ts` at the horizontal airspeed (ground
 * velocity minus wind). [choice] SPEC's model is for level flight; climb and descent power are not
 * modelled, and motors idling on the ground draw nothing.
 */
import { propulsionPowerW } from '../../../core/models/propulsion.ts';
import { horiz, type Vec3 } from '../../../core/geo.ts';
import { accelerate, clampVelocity, velocityToward, wrapPi, type Limits } from './guidance.ts';
import { insideFence } from './fence.ts';
import { missionStep } from './mission.ts';
import { MODE_NAMES, modeByName } from './modes.ts';
import type { FailsafeAction, VehicleConfig } from './params.ts';
import { SEVERITY, type FailsafeKind, type SimEvent, type SimState, type StepInputs } from './types.ts';
import { behaviourOf, enterMode, failsafeAction, inAir, setpointFresh } from './vehicle.ts';

const G = 9.80665;
const YAW_RATE_MAX = Math.PI / 2;
const ZERO: Vec3 = { x: 0, y: 0, z: 0 };

export function limitsOf(cfg: VehicleConfig, horizMS = cfg.maxHorizSpeedMS): Limits {
  return {
    vHorizMS: Math.min(horizMS, cfg.maxHorizSpeedMS),
    vUpMS: cfg.maxClimbMS,
    vDownMS: cfg.maxDescentMS,
    aHorizMS2: cfg.accelHorizMS2,
    aVertMS2: cfg.accelVertMS2,
  };
}

function addFailsafe(s: SimState, f: FailsafeKind): SimState {
  return s.failsafes.includes(f) ? s : { ...s, failsafes: [...s.failsafes, f] };
}

function act(cfg: VehicleConfig, s: SimState, action: FailsafeAction, events: SimEvent[]): SimState {
  if (action === 'none' || action === 'report') return s;
  if (action === 'disarm') {
    events.push({ kind: 'armed', armed: false });
    return { ...s, armed: false, nav: { kind: 'idle' } };
  }
  const b = behaviourOf(cfg, s);
  if (b === 'land' || (action === 'rtl' && b === 'rtl')) return s;
  const t = failsafeAction(cfg, s, action);
  events.push(...t.events);
  return t.state;
}

/** Failsafe checks, in the firmware's priority order (battery, fence, link, offboard). */
function failsafes(cfg: VehicleConfig, s0: SimState, events: SimEvent[]): SimState {
  let s = s0;
  if (!s.armed || !inAir(s)) return s;
  if (s.batteryJ <= cfg.battCriticalJ && !s.failsafes.includes('battery')) {
    events.push({ kind: 'statustext', severity: SEVERITY.CRITICAL, text: 'Battery critical: landing' });
    s = act(cfg, addFailsafe(s, 'battery'), 'land', events);
  }
  if (cfg.fence.enabled) {
    const inside = insideFence(cfg.fence, s.posM);
    if (!inside && !s.failsafes.includes('fence')) {
      events.push({ kind: 'statustext', severity: SEVERITY.CRITICAL, text: cfg.flavour === 'ardupilot' ? 'Fence breached' : 'Geofence violated' });
      s = act(cfg, addFailsafe(s, 'fence'), cfg.fence.action, events);
    } else if (inside && s.failsafes.includes('fence')) {
      s = { ...s, failsafes: s.failsafes.filter((f) => f !== 'fence') };
    }
  }
  if (
    cfg.gcsLoss.action !== 'none' &&
    s.lastGcsHeartbeatUs !== undefined &&
    s.tUs - s.lastGcsHeartbeatUs > cfg.gcsLoss.timeoutS * 1e6 &&
    !s.failsafes.includes('gcs')
  ) {
    events.push({ kind: 'statustext', severity: SEVERITY.CRITICAL, text: cfg.flavour === 'ardupilot' ? 'GCS Failsafe' : 'Connection to ground station lost' });
    s = act(cfg, addFailsafe(s, 'gcs'), cfg.gcsLoss.action, events);
  }
  if (cfg.flavour === 'px4' && s.mode === 'OFFBOARD' && !setpointFresh(cfg, s)) {
    events.push({ kind: 'statustext', severity: SEVERITY.CRITICAL, text: 'Offboard control signal lost' });
    s = act(cfg, addFailsafe(s, 'offboard'), cfg.offboardLoss.action === 'none' ? 'hold' : cfg.offboardLoss.action, events);
  }
  // The offboard failsafe stays flagged until offboard control is re-established.
  if (s.mode === 'OFFBOARD' && s.failsafes.includes('offboard') && setpointFresh(cfg, s)) s = { ...s, failsafes: s.failsafes.filter((f) => f !== 'offboard') };
  return s;
}

/** Mode logic: turns the mode, setpoint and mission into `nav`. */
function navigate(cfg: VehicleConfig, s0: SimState, events: SimEvent[]): SimState {
  let s = s0;
  const b = behaviourOf(cfg, s);
  if (!s.armed) return s.nav.kind === 'idle' ? s : { ...s, nav: { kind: 'idle' } };
  if (b === 'guided' && s.setpoint) {
    const sp = s.setpoint;
    const ageS = (s.tUs - sp.atUs) / 1e6;
    if (sp.posM) {
      s = { ...s, nav: { kind: 'goto', posM: sp.posM, speedMS: cfg.maxHorizSpeedMS, velFfMS: sp.velMS ?? ZERO } };
    } else if (sp.velMS && ageS <= cfg.guidedVelocityTimeoutS) {
      s = { ...s, nav: { kind: 'velocity', velMS: sp.velMS } };
    } else if (sp.velMS && s.nav.kind === 'velocity') {
      // ArduCopter mode_guided.cpp: velocity targets older than 3 s → stop.
      s = { ...s, nav: { kind: 'brake' } };
    }
  }
  if (b === 'mission') {
    const m = missionStep(s, cfg);
    s = m.state;
    events.push(...m.events);
    if (m.switchTo) {
      const t = failsafeAction(cfg, s, m.switchTo);
      s = t.state;
      events.push(...t.events);
    }
  }
  const nav = s.nav;
  if (nav.kind === 'takeoff' && Math.abs(s.posM.z - nav.posM.z) < 0.3) {
    events.push({ kind: 'statustext', severity: SEVERITY.INFO, text: 'Takeoff complete' });
    if (cfg.flavour === 'px4' && s.mode === 'AUTO.TAKEOFF') {
      const t = enterMode(cfg, s, modeByName('px4', 'AUTO.LOITER')!);
      events.push(...t.events);
      s = t.state;
    }
    s = { ...s, nav: { kind: 'hold', posM: nav.posM } };
  } else if (nav.kind === 'brake' && horiz(s.velMS) < 0.1 && Math.abs(s.velMS.z) < 0.1) {
    s = { ...s, nav: { kind: 'hold', posM: s.posM } };
  } else if (nav.kind === 'rtl') {
    if (nav.phase === 'climb' && -s.posM.z >= nav.altM - 0.3) s = { ...s, nav: { ...nav, phase: 'return' } };
    else if (nav.phase === 'return' && horiz(s.posM) < 0.5 && horiz(s.velMS) < 0.3) s = { ...s, nav: { ...nav, phase: 'descend' } };
  }
  return s;
}

function desiredVelocity(cfg: VehicleConfig, s: SimState): { v: Vec3; lim: Limits } {
  const nav = s.nav;
  const lim = limitsOf(cfg);
  switch (nav.kind) {
    case 'idle':
      return { v: s.armed ? ZERO : { x: 0, y: 0, z: inAir(s) ? 50 : 0 }, lim: s.armed || !inAir(s) ? lim : { ...lim, vDownMS: 50, aVertMS2: G } };
    case 'brake':
      return { v: ZERO, lim };
    case 'hold':
      return { v: velocityToward(s.posM, nav.posM, lim), lim };
    case 'goto': {
      const l = limitsOf(cfg, nav.speedMS);
      return { v: velocityToward(s.posM, nav.posM, l, nav.velFfMS), lim: l };
    }
    case 'velocity':
      return { v: clampVelocity(nav.velMS, lim), lim };
    case 'takeoff': {
      const l = { ...lim, vUpMS: cfg.takeoffClimbMS };
      return { v: velocityToward(s.posM, nav.posM, l), lim: l };
    }
    case 'rtl': {
      const l = limitsOf(cfg, cfg.rtlSpeedMS);
      if (nav.phase === 'climb') return { v: velocityToward(s.posM, { x: s.posM.x, y: s.posM.y, z: -nav.altM }, l), lim: l };
      if (nav.phase === 'return') return { v: velocityToward(s.posM, { x: 0, y: 0, z: -nav.altM }, l), lim: l };
      return { v: landVelocity(cfg, s, 0, 0, l), lim: l };
    }
    case 'land':
      return { v: landVelocity(cfg, s, nav.north, nav.east, lim), lim };
  }
}

function landVelocity(cfg: VehicleConfig, s: SimState, n: number, e: number, lim: Limits): Vec3 {
  const h = velocityToward(s.posM, { x: n, y: e, z: s.posM.z }, lim);
  const vz = -s.posM.z > cfg.landAltLowM ? cfg.landSpeedHighMS : cfg.landSpeedLowMS;
  return { x: h.x, y: h.y, z: vz };
}

/** Advances the vehicle by `dtS` seconds. Pure. */
export function step(cfg: VehicleConfig, s0: SimState, inputs: StepInputs, dtS: number): { state: SimState; events: SimEvent[] } {
  const events: SimEvent[] = [];
  let s: SimState = { ...s0, tUs: s0.tUs + dtS * 1e6 };
  s = failsafes(cfg, s, events);
  // Auto-disarm when armed on the ground without taking off (DISARM_DELAY / COM_DISARM_PRFLT).
  if (s.armed && s.landed === 'on_ground' && s.nav.kind !== 'takeoff' && s.tUs - s.groundSinceUs > cfg.disarmPreflightS * 1e6) {
    events.push({ kind: 'armed', armed: false }, { kind: 'statustext', severity: SEVERITY.INFO, text: 'Auto disarmed (landed)' });
    s = { ...s, armed: false, nav: { kind: 'idle' } };
  }
  s = navigate(cfg, s, events);

  // Kinematics.
  const { v: vd, lim } = desiredVelocity(cfg, s);
  const v0 = s.velMS;
  let v = accelerate(v0, vd, lim, dtS);
  let p: Vec3 = { x: s.posM.x + ((v0.x + v.x) / 2) * dtS, y: s.posM.y + ((v0.y + v.y) / 2) * dtS, z: s.posM.z + ((v0.z + v.z) / 2) * dtS };
  let landed = s.landed;
  let groundSinceUs = s.groundSinceUs;
  const onGround = p.z >= 0 && vd.z >= 0;
  if (p.z >= 0) {
    p = { ...p, z: 0 };
    v = { ...v, z: Math.min(0, v.z) };
  }
  if (onGround) {
    v = ZERO;
    if (landed !== 'on_ground') {
      landed = 'on_ground';
      groundSinceUs = s.tUs;
      const b = behaviourOf(cfg, s);
      if (s.armed && (b === 'land' || s.nav.kind === 'land' || (s.nav.kind === 'rtl' && s.nav.phase === 'descend'))) {
        events.push({ kind: 'statustext', severity: SEVERITY.INFO, text: 'Landed' }, { kind: 'armed', armed: false });
        s = { ...s, armed: false };
      }
    }
  } else {
    landed = s.nav.kind === 'takeoff' ? 'takeoff' : s.nav.kind === 'land' || (s.nav.kind === 'rtl' && s.nav.phase === 'descend') ? 'landing' : 'in_air';
  }
  const acc = { x: (v.x - v0.x) / dtS, y: (v.y - v0.y) / dtS, z: (v.z - v0.z) / dtS };

  // Yaw: toward a yaw target if one is set, else along the horizontal track; slew-limited.
  let yawGoal = s.yawTargetRad;
  if (s.setpoint?.yawRateRadS !== undefined && behaviourOf(cfg, s) === 'guided') yawGoal = s.yawRad + s.setpoint.yawRateRadS * dtS;
  else if (yawGoal === undefined && horiz(v) > 1) yawGoal = Math.atan2(v.y, v.x);
  const dYaw = yawGoal === undefined || landed === 'on_ground' ? 0 : wrapPi(yawGoal - s.yawRad);
  const yawStep = Math.max(-YAW_RATE_MAX * dtS, Math.min(YAW_RATE_MAX * dtS, dYaw));
  const yaw = wrapPi(s.yawRad + yawStep);
  // Attitude from the horizontal acceleration (small-angle multicopter: tilt = atan(a/g)).
  const fwd = acc.x * Math.cos(yaw) + acc.y * Math.sin(yaw);
  const right = -acc.x * Math.sin(yaw) + acc.y * Math.cos(yaw);

  // Energy (SPEC §4).
  const windN = -cfg.windSpeedMS * Math.cos((cfg.windFromDeg * Math.PI) / 180);
  const windE = -cfg.windSpeedMS * Math.sin((cfg.windFromDeg * Math.PI) / 180);
  const flying = landed !== 'on_ground';
  const airspeed = flying ? Math.hypot(v.x - windN, v.y - windE) : 0;
  const propW = flying ? propulsionPowerW(airspeed, cfg.rotor) : 0;
  const computeW = Math.max(0, inputs.computePowerW);
  const powerW = propW + cfg.avionicsPowerW + computeW;
  const batteryJ = Math.max(0, s.batteryJ - powerW * dtS);
  // `s` is this step's own copy (the spread above, or a later one): filled in place rather than
  // spread once more, which cost a third of the step (issue 20: SITL at 1 000 vehicles).
  const out = s;
  out.posM = p;
  out.velMS = v;
  out.accMS2 = acc;
  out.yawRad = yaw;
  out.yawRateRadS = yawStep / dtS;
  out.pitchRad = flying ? -Math.atan2(fwd, G) : 0;
  out.rollRad = flying ? Math.atan2(right, G) : 0;
  out.landed = landed;
  out.groundSinceUs = groundSinceUs;
  out.batteryJ = batteryJ;
  out.powerW = powerW;
  out.airspeedMS = airspeed;
  out.energy = {
    propulsionJ: s.energy.propulsionJ + propW * dtS,
    avionicsJ: s.energy.avionicsJ + cfg.avionicsPowerW * dtS,
    computeJ: s.energy.computeJ + computeW * dtS,
  };
  return { state: out, events };
}

/** The mode names of the common behaviours, re-exported for shells. */
export { MODE_NAMES };
