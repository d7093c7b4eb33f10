/**
 * The safety envelope: every setpoint the agent offers the autopilot passes through `constrain`,
 * whatever produced it (policy, plan, operator). Always on; pure apart from the small memory it
 * carries between ticks (the last command, for the acceleration bound, and the RTL latch).
 *
 * Output is always a `velocity_ned` setpoint: speed and acceleration bounds can only be enforced
 * on velocity commands (a far position setpoint lets the autopilot pick its own speed).
 *
 * Per tick, in priority order:
 * 1. invalid own position or time → 'hold' (brake at the accel limit, no other check is possible);
 * 2. battery ≤ energy home (SPEC §4) × (1 + fraction) + margin → 'rtl' (latched): fly home
 *    through the envelope (separation still enforced, which the autopilot's own RTL does not do);
 * 3. NaN/Inf, an unknown frame, or an out-of-range wish → 'hold' (desired velocity 0);
 * 4. the wish, as a velocity, is clipped exactly into {|v| ≤ vMax, |v_z| ≤ vzMax, |v − v_ref| ≤ a·dt}
 *    (v_ref = last command if fresh, else measured velocity), then must keep the whole braking
 *    path inside fence and altitude band (with margins) and clear of every neighbour's keep-out
 *    sphere (separation.ts). If it does not, slid variants (the offending component removed) and
 *    line searches towards the braking command are tried; the admissible one nearest the wish wins.
 * 5. If no candidate is admissible (the state was already unsafe: outside the fence, a neighbour
 *    inside d_min or charging at us, or the vehicle not following commands), escapes are tried —
 *    full accel in 8 compass directions, up, down and the combined restoring direction — and the
 *    one whose braking path violates least (next-tick violation weighted 10×) is taken, within the
 *    same speed/accel bounds: 'clamped' + 'unrecoverable'. Best effort: no guarantee here.
 */
import { fail, ok, type Result } from '../../../core/result.ts';
import type { Setpoint } from '../../../firmware-bridge/vehicle.ts';
import { returnEnergyJ } from './battery.ts';
import { resolveEnvelopeConfig, type EnvelopeConfig, type EnvelopeConfigInput } from './config.ts';
import { altitudeDepth, horizontalDepth, horizontalPathClearance } from './geofence.ts';
import { brakingDistanceM, checkSeparation, oneTickClearance, predictNeighbours, type FleetEntry, type Neighbour } from './separation.ts';
import { add, dist, dot, isFiniteVec, lerp, norm, scale, segmentBallExit, sub, unit, v3, ZERO, type Vec3 } from './vec.ts';

export type DesiredSetpoint = Setpoint;

export interface OwnState {
  posNedM: Vec3;
  velNedMS?: Vec3;
  /** Remaining battery energy, J; undefined/NaN = unknown (reserve cannot be checked). */
  batteryJ?: number;
  homeNedM: Vec3;
}

export interface ConstrainInput {
  desired: DesiredSetpoint;
  own: OwnState;
  fleet: readonly FleetEntry[];
  nowUs: number;
  dtS: number;
}

export type EnvelopeAction = 'pass' | 'clamped' | 'hold' | 'rtl';

export interface ConstrainOutput {
  setpoint: Extract<Setpoint, { kind: 'velocity_ned' }>;
  action: EnvelopeAction;
  reasons: string[];
  /** End of the braking path of the output command (where it can stop), NED m. */
  stopPointNedM?: Vec3;
}

/** What the envelope carries between ticks. */
export interface EnvelopeMemory {
  lastCmd?: Vec3;
  lastUs?: number;
  rtlLatched: boolean;
}

export interface Envelope {
  readonly config: EnvelopeConfig;
  constrain(input: ConstrainInput): ConstrainOutput;
  memory(): EnvelopeMemory;
  /** Clears the last command and the RTL latch (e.g. after landing and a battery swap). */
  reset(): void;
}

export function createEnvelope(input: EnvelopeConfigInput): Result<Envelope, 'invalid_config'> {
  const r = resolveEnvelopeConfig(input);
  if (!r.ok) return fail(r.reason, r.detail);
  const config = r.value;
  let mem: EnvelopeMemory = { rtlLatched: false };
  return ok({
    config,
    constrain(i) {
      const res = constrainStep(config, mem, i);
      mem = res.memory;
      return res.output;
    },
    memory: () => ({ ...mem }),
    reset() {
      mem = { rtlLatched: false };
    },
  });
}

interface Eval {
  ok: boolean;
  fenceC: number;
  altC: number;
  sep: ReturnType<typeof checkSeparation>;
  stop: Vec3;
}

/** Clips v into the speed ball and vertical slab by scaling towards 0 (both contain 0). */
function clipSpeed(c: EnvelopeConfig, v: Vec3): Vec3 {
  const n = norm(v);
  let k = n > c.maxSpeedMS ? c.maxSpeedMS / n : 1;
  if (Math.abs(v.z) * k > c.maxVerticalSpeedMS) k = c.maxVerticalSpeedMS / Math.abs(v.z);
  return scale(v, k);
}

/** Farthest point on ref→wish inside speed ball ∩ vertical slab ∩ accel ball (ref is inside all). */
function clipConvex(c: EnvelopeConfig, ref: Vec3, wish: Vec3, dt: number): Vec3 {
  let lam = Math.min(segmentBallExit(ref, wish, ZERO, c.maxSpeedMS), segmentBallExit(ref, wish, ref, c.maxAccelMS2 * dt));
  const dz = wish.z - ref.z;
  if (dz !== 0) {
    const zLim = dz > 0 ? c.maxVerticalSpeedMS : -c.maxVerticalSpeedMS;
    lam = Math.min(lam, Math.max(0, (zLim - ref.z) / dz));
  }
  return lerp(ref, wish, Math.min(1, lam));
}

/** Largest speed whose braking path fits in `d` metres: (u + a·dt/2)²/(2a) ≤ d bounds it. */
function approachSpeed(d: number, a: number, dt: number): number {
  return Math.max(0, Math.min(d / dt, Math.sqrt(2 * a * d) - (a * dt) / 2));
}

/** Inward gradient of the combined fence/altitude depth at p (numeric; for slides and escapes). */
function inwardNormal(c: EnvelopeConfig, p: Vec3, which: 'h' | 'v'): Vec3 {
  if (which === 'v') {
    const alt = -p.z;
    return v3(0, 0, alt - c.altitude.minAltM < c.altitude.maxAltM - alt ? -1 : 1); // z down: −1 climbs
  }
  const h = 0.25;
  const d = (n: number, e: number) => horizontalDepth(c.fence, { n, e });
  return unit(v3(d(p.x + h, p.y) - d(p.x - h, p.y), d(p.x, p.y + h) - d(p.x, p.y - h), 0));
}

export function constrainStep(c: EnvelopeConfig, memIn: EnvelopeMemory, input: ConstrainInput): { output: ConstrainOutput; memory: EnvelopeMemory } {
  const reasons: string[] = [];
  const { own, nowUs } = input;
  let dt = input.dtS;
  if (!(Number.isFinite(dt) && dt > 0)) {
    reasons.push('invalid_dt');
    dt = c.nominalDtS;
  }
  dt = Math.min(dt, c.maxDtS);
  const a = c.maxAccelMS2;
  const fresh = memIn.lastCmd !== undefined && memIn.lastUs !== undefined && nowUs - memIn.lastUs >= 0 && nowUs - memIn.lastUs <= c.commandFreshS * 1e6;
  const ref = clipSpeed(c, fresh ? memIn.lastCmd! : isFiniteVec(own.velNedMS) ? own.velNedMS : ZERO);
  const brake = scale(ref, Math.max(0, 1 - (a * dt) / Math.max(norm(ref), 1e-12)));
  const mem: EnvelopeMemory = { ...memIn };
  const finish = (v: Vec3, action: EnvelopeAction, stop?: Vec3): { output: ConstrainOutput; memory: EnvelopeMemory } => {
    const setpoint: ConstrainOutput['setpoint'] = { kind: 'velocity_ned', velocityMS: { x: v.x, y: v.y, z: v.z } };
    const d = input.desired;
    if (action !== 'hold' && d.kind === 'velocity_ned' && d.yawRateRadS !== undefined && Number.isFinite(d.yawRateRadS)) {
      setpoint.yawRateRadS = Math.max(-c.maxYawRateRadS, Math.min(c.maxYawRateRadS, d.yawRateRadS));
    }
    const output: ConstrainOutput = { setpoint, action, reasons };
    if (stop) output.stopPointNedM = stop;
    return { output, memory: { ...mem, lastCmd: v, lastUs: nowUs } };
  };

  if (!isFiniteVec(own.posNedM) || !Number.isFinite(nowUs)) {
    reasons.push(Number.isFinite(nowUs) ? 'own_position_invalid' : 'invalid_time');
    return finish(brake, 'hold');
  }
  const p = own.posNedM;

  // Battery reserve (SPEC §4), latched.
  if (c.battery) {
    const b = own.batteryJ;
    if (b === undefined || !Number.isFinite(b) || !isFiniteVec(own.homeNedM)) reasons.push('battery_unknown');
    else if (b <= returnEnergyJ(p, own.homeNedM, c.battery) * (1 + c.battery.marginFraction) + c.battery.marginJ) mem.rtlLatched = true;
  }

  let action: EnvelopeAction = 'pass';
  let wish: Vec3;
  const d = input.desired;
  const toward = (target: Vec3): Vec3 => {
    const delta = sub(target, p);
    return scale(unit(delta), Math.min(c.maxSpeedMS, approachSpeed(norm(delta), a, dt)));
  };
  if (mem.rtlLatched) {
    action = 'rtl';
    reasons.push('battery_reserve');
    wish = isFiniteVec(own.homeNedM) ? toward(v3(own.homeNedM.x, own.homeNedM.y, p.z)) : ZERO;
  } else if (d.kind === 'velocity_ned' || d.kind === 'position_ned') {
    const vec = d.kind === 'velocity_ned' ? d.velocityMS : d.positionM;
    if (!isFiniteVec(vec)) {
      action = 'hold';
      reasons.push('nonfinite_action');
      wish = ZERO;
    } else if (d.kind === 'velocity_ned' && norm(vec) > c.outOfRangeSpeedFactor * c.maxSpeedMS) {
      action = 'hold';
      reasons.push('out_of_range_action');
      wish = ZERO;
    } else if (d.kind === 'position_ned' && dist(vec, p) > c.outOfRangeDistanceM) {
      action = 'hold';
      reasons.push('out_of_range_action');
      wish = ZERO;
    } else {
      wish = d.kind === 'velocity_ned' ? vec : toward(vec);
    }
  } else {
    action = 'hold';
    reasons.push('unsupported_setpoint_kind');
    wish = ZERO;
  }

  const { neighbours, invalid } = predictNeighbours(input.fleet, nowUs, {
    dMinM: c.dMinM, horizonS: c.separationHorizonS, staleS: c.fleetStaleS,
    fleetMaxSpeedMS: c.fleetMaxSpeedMS, fleetMaxAccelMS2: c.fleetMaxAccelMS2, maxUncertaintyM: c.maxUncertaintyM, growthMS: c.fleetMaxAccelMS2 * dt,
  }, c.selfId);
  for (const id of invalid) reasons.push(`fleet_entry_invalid:${id}`);
  for (const nb of neighbours) if (nb.stale) reasons.push(`fleet_stale:${nb.id}`);

  const evaluate = (v: Vec3): Eval => {
    const stop = add(p, scale(unit(v), brakingDistanceM(norm(v), a, dt)));
    const fenceC = horizontalPathClearance(c.fence, { n: p.x, e: p.y }, { n: stop.x, e: stop.y }) - c.fenceMarginM;
    const altC = Math.min(altitudeDepth(c.altitude, -p.z), altitudeDepth(c.altitude, -stop.z)) - c.altMarginM;
    const sep = checkSeparation(p, v, neighbours, a, dt, c.separationHorizonS);
    return { ok: fenceC >= 0 && altC >= 0 && sep.clearanceM >= 0, fenceC, altC, sep, stop };
  };

  // Speed/accel clip of the wish.
  const target = clipConvex(c, ref, wish, dt);
  if (action === 'pass' || action === 'rtl') {
    if (norm(wish) > c.maxSpeedMS + 1e-9) reasons.push('speed_limit');
    if (Math.abs(wish.z) > c.maxVerticalSpeedMS + 1e-9) reasons.push('vertical_speed_limit');
    if (norm(sub(wish, ref)) > a * dt + 1e-9) reasons.push('accel_limit');
  }

  const eT = evaluate(target);
  const noteViolations = (e: Eval) => {
    if (e.fenceC < 0) reasons.push('geofence');
    if (e.altC < 0) reasons.push('altitude_band');
    if (e.sep.clearanceM < 0) reasons.push(`separation:${e.sep.worstId}`);
  };
  let chosen: Vec3;
  let chosenEval: Eval;
  if (eT.ok) {
    chosen = target;
    chosenEval = eT;
  } else {
    noteViolations(eT);
    const candidates: Vec3[] = [target];
    // Slides: remove the component that drives into the violated constraint, up to 3 times.
    let cand = target;
    let e = eT;
    for (let k = 0; k < 3 && !e.ok; k++) {
      let s = cand;
      if (e.fenceC < 0) {
        const n = inwardNormal(c, e.stop, 'h');
        const into = dot(s, n);
        if (into < 0) s = sub(s, scale(n, into));
      }
      if (e.altC < 0) s = v3(s.x, s.y, 0);
      if (e.sep.clearanceM < 0 && e.sep.awayDir) {
        const into = dot(s, e.sep.awayDir);
        if (into < 0) s = sub(s, scale(e.sep.awayDir, into));
      }
      cand = clipConvex(c, ref, s, dt);
      candidates.push(cand);
      e = evaluate(cand);
    }
    const eB = evaluate(brake);
    const admissible: { v: Vec3; e: Eval }[] = [];
    for (const v of candidates) {
      const ev = evaluate(v);
      if (ev.ok) admissible.push({ v, e: ev });
      else if (eB.ok) {
        // Line search from the (admissible) braking command towards v.
        let lo = 0;
        let hi = 1;
        for (let it = 0; it < 16; it++) {
          const mid = (lo + hi) / 2;
          if (evaluate(lerp(brake, v, mid)).ok) lo = mid;
          else hi = mid;
        }
        const w = lerp(brake, v, lo);
        admissible.push({ v: w, e: evaluate(w) });
      }
    }
    if (eB.ok) admissible.push({ v: brake, e: eB });
    if (admissible.length > 0) {
      admissible.sort((x, y) => dist(x.v, wish) - dist(y.v, wish));
      chosen = admissible[0]!.v;
      chosenEval = admissible[0]!.e;
    } else {
      reasons.push('unrecoverable');
      // Escape: accelerate (within bounds) along the combined direction that restores clearances.
      let esc = ZERO;
      if (eB.fenceC < 0) esc = add(esc, inwardNormal(c, p, 'h'));
      if (eB.altC < 0) esc = add(esc, inwardNormal(c, p, 'v'));
      if (eB.sep.clearanceM < 0 && eB.sep.awayDir) esc = add(esc, eB.sep.awayDir);
      // Also every compass direction and up/down: a head-on neighbour is escaped sideways.
      const dirs: Vec3[] = [esc, v3(0, 0, -1), v3(0, 0, 1)];
      for (let k = 0; k < 8; k++) dirs.push(v3(Math.cos((k * Math.PI) / 4), Math.sin((k * Math.PI) / 4), 0));
      const escapes = [brake, ...dirs.map((u) => clipConvex(c, ref, add(ref, scale(unit(u), c.maxSpeedMS * 2)), dt)), ...candidates];
      // Rank by how little the whole braking path violates (not just the next tick), then by the wish.
      const score = (v: Vec3): number => {
        const e = evaluate(v);
        const q = add(p, scale(v, dt));
        const now = Math.min(0, horizontalDepth(c.fence, { n: q.x, e: q.y }) - c.fenceMarginM) + Math.min(0, altitudeDepth(c.altitude, -q.z) - c.altMarginM) + Math.min(0, oneTickClearance(p, v, neighbours, dt));
        return Math.min(0, e.fenceC) + Math.min(0, e.altC) + Math.min(0, e.sep.clearanceM) + 10 * now;
      };
      const ranked = escapes.map((v) => ({ v, s: score(v), d: dist(v, wish) })).sort((x, y) => y.s - x.s || x.d - y.d);
      chosen = ranked[0]!.v;
      chosenEval = evaluate(chosen);
    }
  }
  if (action === 'pass' && dist(chosen, wish) > 1e-9) action = 'clamped';
  return finish(chosen, action, chosenEval.stop);
}

export type { Neighbour, FleetEntry };
