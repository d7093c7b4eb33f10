/**
 * Vehicle creation, mode changes and commands of the simulated multicopter (pure: state in,
 * state + events + outcome out). Arming runs pre-arm checks and refuses with a STATUSTEXT reason
 * in the firmware's wording; force (MAV_CMD 400 p2 = 21196) skips them.
 */
import { horiz, norm, type GeoPoint, type Vec3 } from '../../../core/geo.ts';
import { firstMissionSeq } from './mission.ts';
import { MODE_NAMES, modeByName, type Behaviour, type ModeInfo } from './modes.ts';
import type { VehicleConfig } from './params.ts';
import { SEVERITY, type CommandTransition, type MissionItem, type Setpoint, type SimEvent, type SimState, type Transition } from './types.ts';
import { insideFence } from './fence.ts';

export function createVehicle(cfg: VehicleConfig, origin: GeoPoint, nowUs: number): SimState {
  return {
    tUs: nowUs,
    origin,
    posM: { x: 0, y: 0, z: 0 },
    velMS: { x: 0, y: 0, z: 0 },
    accMS2: { x: 0, y: 0, z: 0 },
    rollRad: 0,
    pitchRad: 0,
    yawRad: 0,
    yawRateRadS: 0,
    armed: false,
    mode: MODE_NAMES[cfg.flavour].initial,
    landed: 'on_ground',
    groundSinceUs: nowUs,
    nav: { kind: 'idle' },
    mission: [],
    missionSeq: firstMissionSeq(cfg.flavour),
    missionDone: false,
    batteryJ: cfg.battCapacityJ,
    energy: { propulsionJ: 0, avionicsJ: 0, computeJ: 0 },
    powerW: 0,
    airspeedMS: 0,
    failsafes: [],
  };
}

export const behaviourOf = (cfg: VehicleConfig, s: SimState): Behaviour => modeByName(cfg.flavour, s.mode)?.behaviour ?? 'hold';
export const inAir = (s: SimState): boolean => s.landed !== 'on_ground';
const text = (severity: number, t: string): SimEvent => ({ kind: 'statustext', severity, text: t });
const done = (state: SimState, result: CommandTransition['result'], events: SimEvent[] = []): CommandTransition => ({ state, events, result });

/** Is a fresh offboard/guided setpoint present (PX4 offboard signal)? */
export function setpointFresh(cfg: VehicleConfig, s: SimState): boolean {
  const limitS = cfg.offboardLoss.timeoutS > 0 && Number.isFinite(cfg.offboardLoss.timeoutS) ? cfg.offboardLoss.timeoutS : 0.5;
  return s.setpoint !== undefined && s.tUs - s.setpoint.atUs <= limitS * 1e6;
}

/**
 * Altitude (m above home) RTL climbs to before it flies home: never below the current altitude.
 * ArduCopter: RTL_ALT. PX4 (navigator rtl.cpp, `calculate_return_alt_from_cone_half_angle`, with
 * RTL_CONE_ANG > 0): within NAV_ACC_RAD of home 2·d; within RTL_MIN_DIST the cone,
 * min(RTL_RETURN_ALT, d / tan(angle)); beyond it RTL_RETURN_ALT; outside NAV_ACC_RAD at least
 * 2·NAV_ACC_RAD. [choice] The SITL's NAV_ACC_RAD default is 2 m (PX4's is 10 m), so the 2·d zone is
 * smaller than on a real PX4; beyond RTL_MIN_DIST (10 m) both climb to RTL_RETURN_ALT (60 m).
 * Either flavour stays 2 m under an enabled altitude fence (existing SITL rule).
 */
export function rtlAltitudeM(cfg: VehicleConfig, s: SimState): number {
  const cur = -s.posM.z;
  let alt = cfg.rtlAltM;
  const cone = cfg.rtlCone;
  if (cone && cone.halfAngleDeg > 0) {
    const d = horiz(s.posM);
    const acc = cfg.acceptRadiusM;
    if (d <= acc) alt = 2 * d;
    else {
      if (d <= cone.minDistM) alt = Math.min(alt, d / Math.tan((Math.min(89, Math.max(1, cone.halfAngleDeg)) * Math.PI) / 180));
      alt = Math.max(alt, 2 * acc);
    }
  }
  if (cfg.fence.enabled && Number.isFinite(cfg.fence.altMaxM)) alt = Math.min(alt, cfg.fence.altMaxM - 2);
  return Math.max(cur, alt);
}

/** Switches mode without checks (used by failsafes and by `setMode` once checks pass). */
export function enterMode(cfg: VehicleConfig, s: SimState, mode: ModeInfo): Transition {
  const events: SimEvent[] = [];
  if (mode.name !== s.mode) events.push({ kind: 'mode', mode: mode.name });
  const air = inAir(s);
  // ArduCopter drops old guided targets on entering a mode; PX4 keeps the offboard stream.
  let st: SimState = cfg.flavour === 'ardupilot' ? { ...s, mode: mode.name, setpoint: undefined } : { ...s, mode: mode.name };
  switch (mode.behaviour) {
    case 'hold':
    case 'guided':
      st = { ...st, nav: air ? { kind: 'brake' } : { kind: 'idle' } };
      break;
    case 'takeoff':
      st = { ...st, nav: s.armed ? { kind: 'takeoff', posM: { x: s.posM.x, y: s.posM.y, z: -cfg.defaultTakeoffAltM } } : { kind: 'idle' } };
      break;
    case 'land':
      st = { ...st, nav: air ? { kind: 'land', north: s.posM.x, east: s.posM.y } : { kind: 'idle' } };
      break;
    case 'rtl':
      st = { ...st, nav: air ? { kind: 'rtl', phase: 'climb', altM: rtlAltitudeM(cfg, s) } : { kind: 'idle' } };
      break;
    case 'mission':
      st = { ...st, missionDone: false, missionHoldUntilUs: undefined, nav: air ? { kind: 'brake' } : { kind: 'idle' } };
      break;
  }
  return { state: st, events };
}

/** Switches to the flavour's mode for a failsafe action. */
export function failsafeAction(cfg: VehicleConfig, s: SimState, action: 'hold' | 'rtl' | 'land'): Transition {
  const names = MODE_NAMES[cfg.flavour];
  const name = action === 'hold' ? (cfg.flavour === 'ardupilot' ? 'BRAKE' : names.hold) : names[action];
  return enterMode(cfg, s, modeByName(cfg.flavour, name)!);
}

/** Mode change requested over MAVLink (DO_SET_MODE / SET_MODE). */
export function setMode(cfg: VehicleConfig, s: SimState, name: string): CommandTransition {
  const mode = modeByName(cfg.flavour, name);
  if (!mode) return done(s, 'failed', [text(SEVERITY.WARNING, `Unknown mode ${name}`)]);
  if (mode.needsPosition && !cfg.gpsAvailable) return done(s, 'denied', [text(SEVERITY.CRITICAL, `Mode change to ${name} failed: requires position`)]);
  if (cfg.flavour === 'px4' && name === 'OFFBOARD' && !setpointFresh(cfg, s)) {
    return done(s, 'denied', [text(SEVERITY.CRITICAL, 'Switching to Offboard is currently not available: no offboard signal')]);
  }
  if (mode.behaviour === 'mission' && s.mission.length <= firstMissionSeq(cfg.flavour)) {
    return done(s, 'denied', [text(SEVERITY.CRITICAL, `Mode change to ${name} failed: no mission`)]);
  }
  if (name === s.mode) return done(s, 'accepted');
  const t = enterMode(cfg, s, mode);
  return done(t.state, 'accepted', t.events);
}

/** Pre-arm checks; returns the failure text or undefined when the vehicle may arm. */
export function preArmFailure(cfg: VehicleConfig, s: SimState): string | undefined {
  const pre = cfg.flavour === 'ardupilot' ? 'PreArm: ' : 'Preflight Fail: ';
  const mode = modeByName(cfg.flavour, s.mode);
  if (!mode?.armable) return cfg.flavour === 'ardupilot' ? 'Arm: Mode not armable' : `Arming denied: not armable in ${s.mode}`;
  if (cfg.flavour === 'px4' && s.mode === 'OFFBOARD' && !setpointFresh(cfg, s)) return 'Arming denied: no offboard signal';
  if (!cfg.armingChecks) return undefined;
  if (!cfg.gpsAvailable) return cfg.flavour === 'ardupilot' ? `${pre}GPS 1: Bad fix` : `${pre}GPS fix too low`;
  if (s.batteryJ <= cfg.battCriticalJ || s.batteryJ < cfg.battArmMinJ) {
    return cfg.flavour === 'ardupilot' ? `${pre}Battery 1 below minimum arming capacity` : `${pre}low battery`;
  }
  if (cfg.fence.enabled && !insideFence(cfg.fence, s.posM)) return cfg.flavour === 'ardupilot' ? `${pre}Vehicle breaching fence` : `${pre}vehicle outside geofence`;
  return undefined;
}

export function arm(cfg: VehicleConfig, s: SimState, force: boolean): CommandTransition {
  if (s.armed) return done(s, 'accepted');
  if (!force) {
    const why = preArmFailure(cfg, s);
    if (why) return done(s, cfg.flavour === 'ardupilot' ? 'failed' : 'denied', [text(SEVERITY.CRITICAL, why)]);
  }
  let st: SimState = { ...s, armed: true, groundSinceUs: s.tUs, missionDone: false };
  const events: SimEvent[] = [{ kind: 'armed', armed: true }, text(SEVERITY.INFO, cfg.flavour === 'ardupilot' ? 'Arming motors' : 'Armed by external command')];
  const b = behaviourOf(cfg, st);
  if (b === 'takeoff') st = enterMode(cfg, st, modeByName(cfg.flavour, st.mode)!).state;
  return done(st, 'accepted', events);
}

export function disarm(cfg: VehicleConfig, s: SimState, force: boolean): CommandTransition {
  if (!s.armed) return done(s, 'accepted');
  if (inAir(s) && !force) return done(s, cfg.flavour === 'ardupilot' ? 'failed' : 'denied', [text(SEVERITY.CRITICAL, 'Disarming denied: not landed')]);
  const st: SimState = { ...s, armed: false, nav: { kind: 'idle' } };
  return done(st, 'accepted', [{ kind: 'armed', armed: false }, text(SEVERITY.INFO, cfg.flavour === 'ardupilot' ? 'Disarming motors' : 'Disarmed by external command')]);
}

/**
 * NAV_TAKEOFF to `relAltM` above home (undefined → the default takeoff altitude). ArduCopter:
 * only armed, landed and in GUIDED. PX4: armed and landed; switches to AUTO.TAKEOFF, then
 * AUTO.LOITER at the altitude.
 */
export function takeoff(cfg: VehicleConfig, s: SimState, relAltM: number | undefined): CommandTransition {
  const alt = relAltM !== undefined && Number.isFinite(relAltM) && relAltM > 0 ? relAltM : cfg.defaultTakeoffAltM;
  if (!s.armed) return done(s, cfg.flavour === 'ardupilot' ? 'failed' : 'denied', [text(SEVERITY.WARNING, 'Takeoff denied: disarmed')]);
  if (inAir(s)) return done(s, 'failed', [text(SEVERITY.WARNING, 'Takeoff denied: already flying')]);
  if (cfg.flavour === 'ardupilot' && s.mode !== 'GUIDED') return done(s, 'failed', [text(SEVERITY.WARNING, 'Takeoff requires GUIDED mode')]);
  const events: SimEvent[] = [];
  let st = s;
  if (cfg.flavour === 'px4' && s.mode !== 'AUTO.TAKEOFF') {
    st = { ...st, mode: 'AUTO.TAKEOFF' };
    events.push({ kind: 'mode', mode: 'AUTO.TAKEOFF' });
  }
  st = { ...st, nav: { kind: 'takeoff', posM: { x: s.posM.x, y: s.posM.y, z: -alt } } };
  events.push(text(SEVERITY.INFO, `Takeoff to ${alt.toFixed(1)} m`));
  return done(st, 'accepted', events);
}

export function land(cfg: VehicleConfig, s: SimState): CommandTransition {
  return setMode(cfg, s, MODE_NAMES[cfg.flavour].land);
}

export function returnToLaunch(cfg: VehicleConfig, s: SimState): CommandTransition {
  return setMode(cfg, s, MODE_NAMES[cfg.flavour].rtl);
}

/**
 * DO_REPOSITION to a local NED point at `speedMS` (≤ 0 or undefined → cruise speed).
 * ArduCopter: denied unless in GUIDED or `changeMode` (flag 1) is set, then flies in GUIDED.
 * PX4: switches to AUTO.LOITER and flies there. Both refuse while on the ground.
 */
export function reposition(cfg: VehicleConfig, s: SimState, target: Vec3, speedMS: number | undefined, changeMode: boolean): CommandTransition {
  if (!s.armed || !inAir(s)) return done(s, 'denied', [text(SEVERITY.WARNING, 'Reposition denied: not flying')]);
  const speed = Math.min(cfg.maxHorizSpeedMS, speedMS !== undefined && speedMS > 0 ? speedMS : cfg.cruiseSpeedMS);
  const wanted = cfg.flavour === 'ardupilot' ? 'GUIDED' : 'AUTO.LOITER';
  if (cfg.flavour === 'ardupilot' && s.mode !== 'GUIDED' && !changeMode) return done(s, 'denied');
  const events: SimEvent[] = [];
  let st = s;
  if (st.mode !== wanted) {
    const t = enterMode(cfg, st, modeByName(cfg.flavour, wanted)!);
    st = t.state;
    events.push(...t.events);
  }
  st = { ...st, nav: { kind: 'goto', posM: target, speedMS: speed }, setpoint: undefined };
  return done(st, 'accepted', events);
}

/**
 * A guided/offboard setpoint (already in local NED). It is recorded whatever the mode (PX4 needs
 * the stream before OFFBOARD); it steers the vehicle only in GUIDED / OFFBOARD.
 */
export function applySetpoint(s: SimState, sp: Omit<Setpoint, 'atUs'>): SimState {
  const setpoint = { ...sp, atUs: s.tUs };
  const st: SimState = { ...s, setpoint, yawTargetRad: sp.yawRad ?? s.yawTargetRad };
  return st;
}

/** Records a heartbeat from the GCS / companion link (clears a GCS failsafe). */
export function gcsHeartbeat(s: SimState): Transition {
  if (s.failsafes.includes('gcs')) {
    return {
      state: { ...s, lastGcsHeartbeatUs: s.tUs, failsafes: s.failsafes.filter((f) => f !== 'gcs') },
      events: [text(SEVERITY.INFO, 'GCS link regained')],
    };
  }
  return { state: { ...s, lastGcsHeartbeatUs: s.tUs }, events: [] };
}

/** Replaces the mission (count 0 clears it); restarts at the first item. */
export function setMission(cfg: VehicleConfig, s: SimState, items: readonly MissionItem[]): SimState {
  return { ...s, mission: items, missionSeq: firstMissionSeq(cfg.flavour), missionHoldUntilUs: undefined, missionDone: false };
}

/** MISSION_SET_CURRENT / DO_SET_MISSION_CURRENT. */
export function setMissionCurrent(s: SimState, seq: number): CommandTransition {
  if (!Number.isInteger(seq) || seq < 0 || seq >= s.mission.length) return done(s, 'denied');
  return done({ ...s, missionSeq: seq, missionHoldUntilUs: undefined, missionDone: false }, 'accepted', [{ kind: 'mission_current', seq }]);
}

/** Distance from home, m (3D). */
export const distanceFromHomeM = (s: SimState): number => norm(s.posM);
