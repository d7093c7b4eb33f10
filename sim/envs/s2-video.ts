/**
 * S2's video-offloading environment with D2D, transcoding and prices (SPEC §5.4; paper S2 §III–IV).
 * One centralised agent (S2 trains a single TD3 agent for the whole system).
 *
 * Observation (S2 Eq. 28): busy-UD positions (x, y), their video sizes D_i (bits), the slot's
 * complexity C (cycles/bit), UAV positions (x, y, z) and UAV remaining energy (J).
 * Action (S2 Eq. 29), every column mapped from the actor's [-1, 1]:
 *   e1, e2, e3 — offloading weights, normalised to ratios ε1+ε2+ε3 = 1;
 *   fi, fj, fk — CPU of busy UDs / idle UDs / UAVs as fractions of f_max;
 *   pk, pj     — unit prices of UAV / idle-UD compute (per GHz);
 *   level      — transcoding level, [0, 1) → index into b_O ∈ {0.4, 0.8, 1.5, 2.0, 2.3} Mbps;
 *   per UAV vx, vy, vz — velocity (m/s), each axis in [−v_max, v_max]; |v| > v_max is clipped and penalised.
 * Reward (S2 Eq. 30): Q − F with Q = ω1 U_K + ω2 U_J + ω3 U_I (SPEC §5.4) and F = F1 (pairs
 * closer than d_min) + F2 (UAVs whose cumulative energy exceeds E_r) + F3 (speed violations) +
 * area/altitude violations (clipped); each graded by the size of the violation (see `step`).
 *
 * [choice]s and simplifications, stated:
 * - ω1..ω3 are configuration, not actions: S2 lists them in the action, but an agent that picks the
 *   weights of its own reward just maximises the largest utility; we fix ω = (1/3, 1/3, 1/3).
 * - Association: each busy UD sends ε1 to its horizontally nearest UAV (Ω_ik) and ε2 to its nearest
 *   idle UD; a UAV's B1 is split equally among its busy UDs; D2D uses B0 per link.
 * - Units in the utilities: compute f in GHz and prices per GHz, energies in J (S2 mixes them
 *   without units); β_k = 1/(1−ε1) (S2), β_j = 1/(1−ε2) by analogy, β capped at 100; β_i = 1 (busy UDs
 *   bear their own energy; 1/(1−ε3) would make all-local infinitely costly).
 *   A UAV/idle UD sells f (and earns u·f) only if it received work this slot.
 * - Penalty weights 100 (separation, battery) and 50 (speed, area) per unit of graded violation: the
 *   scale of Q per slot (hundreds), so a violation is never worth its gain.
 * - Transcoding: C_k = m1·b_O^m2 cycles per input bit; transcoded size D' = ε1 D b_O / 2.75 Mbps;
 *   transcoding energy s1 f^y1 t (SPEC §5.4); processing of D' costs κ f_k² D' C (S2 Eq. 18).
 * - Channel: S2 Rician (SPEC §3) with [choice] β0 = 1e-4, Γ = 10, χ = 2 (UD→UAV), χ = 3 (D2D);
 *   κ = 1e-28 (SPEC §4). Slot τ = 1 s [choice] (S2 gives N = 50 slots, not τ). UDs are static.
 */
import { createRng, type Rng } from '../../core/rng.ts';
import { dbmToW, s2Gain, s2Rate, type S2RicianParams } from '../../core/models/channel.ts';
import { propulsionPowerW } from '../../core/models/propulsion.ts';
import {
  cpuEnergyBitsJ, mapS2Action, moveInBox, s2ActionBounds, s2Association, s2Observation, s2ObservationBounds, s2Revenue,
  separationShortfall, s2Layout, s2Starts, transcodeCycles, transcodedBits, transcodeEnergyJ, txEnergyJ, dist, type P3, type S2Decision, type S2Revenue,
} from '../../engines/video/index.ts';
import type { Env, EnvSpec, StepResult } from './types.ts';

export interface S2EnvConfig {
  busy: number; idle: number; uavs: number; areaM: number; altitudeM: [number, number]; vMaxMS: number;
  dMinM: number; slotS: number; horizon: number; dataBits: [number, number]; cyclesPerBit: [number, number];
  noiseDbm: number; b0Hz: number; b1Hz: number; fkMaxHz: number; fiMaxHz: number; fjMaxHz: number; pdMaxW: number;
  batteryJ: number; kappa: number; s1: number; y1: number; m1: number; m2: number; levelsMbps: number[]; sourceMbps: number;
  priceMax: number; omega: [number, number, number]; uav: S2RicianParams; d2d: S2RicianParams;
  penaltySeparation: number; penaltyBattery: number; penaltySpeed: number; penaltyArea: number; layoutSeed: number;
}

/** SPEC §5.4 S2 setting (20 UDs = 10 busy + 10 idle, 5 UAVs, N = 50 slots) plus the [choice]s above. */
export function defaultS2Config(overrides: Partial<S2EnvConfig> = {}): S2EnvConfig {
  return {
    busy: 10, idle: 10, uavs: 5, areaM: 200, altitudeM: [100, 200], vMaxMS: 25, dMinM: 3, slotS: 1, horizon: 50,
    dataBits: [1.5e6, 3.5e6], cyclesPerBit: [700, 1500], noiseDbm: -100, b0Hz: 10e6, b1Hz: 15e6,
    fkMaxHz: 30e9, fiMaxHz: 1.5e9, fjMaxHz: 1.5e9, pdMaxW: 0.5, batteryJ: 20e3, kappa: 1e-28, s1: 1e-27, y1: 3,
    m1: 1.54, m2: 0.08, levelsMbps: [0.4, 0.8, 1.5, 2.0, 2.3], sourceMbps: 2.75, priceMax: 1, omega: [1 / 3, 1 / 3, 1 / 3],
    uav: { beta0: 1e-4, chi: 2, gamma: 10 }, d2d: { beta0: 1e-4, chi: 3, gamma: 10 },
    penaltySeparation: 100, penaltyBattery: 100, penaltySpeed: 50, penaltyArea: 50, layoutSeed: 1,
    ...overrides,
  };
}

/** What the last `step` decided and earned, in parts (for the sim-to-SITL comparison of S2 missions). */
export interface S2SlotOutcome {
  decision: S2Decision;
  revenue: S2Revenue;
  /** UAV positions after the move; per-UAV computing and flight energy of the slot, J. */
  uavPos: P3[];
  uavComputeJ: number[];
  uavFlightJ: number[];
  /** Σ busy-UD energy (local + uplink + D2D), and per idle UD its computing energy, J. */
  busyEnergyJ: number;
  idleComputeJ: number[];
  penalty: number;
}

export class S2VideoEnv implements Env {
  readonly spec: EnvSpec;
  readonly config: S2EnvConfig;
  private readonly rng: Rng;
  private readonly busyPos: P3[];
  private readonly idlePos: P3[];
  private uav: P3[] = [];
  private used: number[] = [];
  private data: number[] = [];
  private cpb = 0;
  private t = 0;
  /** The last slot's decision and revenue parts (undefined before the first step). */
  last: S2SlotOutcome | undefined;

  constructor(config: S2EnvConfig, seed: number) {
    const c = (this.config = config);
    this.rng = createRng(seed);
    ({ busyPos: this.busyPos, idlePos: this.idlePos } = s2Layout(c, c.layoutSeed));
    const obs = s2ObservationBounds(c);
    const act = s2ActionBounds(c);
    this.spec = {
      id: 's2', nAgents: 1, space: { obsNames: obs.names, obsLow: obs.low, obsHigh: obs.high, actNames: act.names, actLow: act.low, actHigh: act.high },
      // Motion columns of UAV 0; UAV k's are 9 + 3k … 11 + 3k (documented in the action names).
      actionKind: 'velocity', actionUnits: 'm/s', motion: [9, 10, 11], horizon: c.horizon, config: { env: 's2', ...c },
    };
  }

  private drawTasks(): void {
    const c = this.config;
    this.data = this.busyPos.map(() => this.rng.uniform(c.dataBits[0], c.dataBits[1]));
    this.cpb = this.rng.uniform(c.cyclesPerBit[0], c.cyclesPerBit[1]);
  }

  private observe(): number[][] {
    return [s2Observation(this.config, { busyPos: this.busyPos, dataBits: this.data, cyclesPerBit: this.cpb, uavPos: this.uav, usedJ: this.used })];
  }

  reset(): number[][] {
    const c = this.config;
    // UAVs start evenly spaced along the south edge at H_min ([choice]; S2's start points are not given).
    this.uav = s2Starts(c);
    this.used = this.uav.map(() => 0);
    this.t = 0;
    this.drawTasks();
    return this.observe();
  }

  step(actions: number[][]): StepResult {
    const c = this.config;
    if (this.uav.length === 0) throw new Error('S2 env: step() before reset()');
    const dec = mapS2Action(c, actions[0] ?? []);
    const [e1, e2, e3] = dec.ratios;
    const { fiHz: fi, fjHz: fj, fkHz: fk, levelMbps: bO } = dec;

    // Motion, speed / area / altitude violations and flight energy (SPEC §4 propulsion model).
    // Counts and graded penalty terms, as in the S3 env: speed excess / v_max, overshoot / (v_max·τ),
    // separation shortfall / d_min, battery overuse / E_r.
    let speed = 0, area = 0, speedTerm = 0, areaTerm = 0;
    const fly = this.uav.map((p, k) => {
      if (dec.speedExcess[k]! > 0) {
        speed++;
        speedTerm += dec.speedExcess[k]!;
      }
      const mv = moveInBox(c, p, dec.velocities[k]!);
      area += mv.clippedAxes;
      areaTerm += mv.overshoot;
      this.uav[k] = mv.next;
      return propulsionPowerW(dec.speeds[k]!) * c.slotS;
    });
    const { pairs: separation, term: separationTerm } = separationShortfall(this.uav, c.dMinM);

    // Offloading of every busy UD (SPEC §5.4 / S2 Eqs. 10–22).
    const noise = dbmToW(c.noiseDbm);
    const { access, helper, perUav } = s2Association(this.busyPos, this.uav, this.idlePos);
    const uavE = this.uav.map(() => 0);
    const uavServes = this.uav.map(() => false);
    const idleE = this.idlePos.map(() => 0);
    const idleServes = this.idlePos.map(() => false);
    let busyCost = 0;
    this.busyPos.forEach((p, i) => {
      const D = this.data[i]!, C = this.cpb;
      const eLoc = cpuEnergyBitsJ(c.kappa, fi, e3 * D, C); // S2 Eq. 11
      let eOff = 0, eD2d = 0;
      if (e1 > 0) {
        const k = access[i]!;
        const r = s2Rate(c.b1Hz / perUav[k]!, c.pdMaxW, s2Gain(c.uav, dist(p, this.uav[k]!), this.rng), noise);
        eOff = txEnergyJ(c.pdMaxW, e1 * D, r); // S2 Eqs. 13–14
        if (fk > 0) {
          const cyclesTrans = transcodeCycles(c, e1 * D, bO); // C_k = m1 b_O^m2 per input bit
          const dPrime = transcodedBits(c, e1 * D, bO);
          uavE[k] = uavE[k]! + transcodeEnergyJ(c, fk, cyclesTrans) + cpuEnergyBitsJ(c.kappa, fk, dPrime, C); // Eqs. 15–18
          uavServes[k] = true;
        }
      }
      if (e2 > 0) {
        const j = helper[i]!;
        const r = s2Rate(c.b0Hz, c.pdMaxW, s2Gain(c.d2d, Math.max(1, dist(p, this.idlePos[j]!)), this.rng), noise);
        eD2d = txEnergyJ(c.pdMaxW, e2 * D, r); // Eqs. 19–20
        if (fj > 0) {
          idleE[j] = idleE[j]! + cpuEnergyBitsJ(c.kappa, fj, e2 * D, C); // Eq. 22
          idleServes[j] = true;
        }
      }
      busyCost += eLoc + eOff + eD2d;
    });

    // Utilities (SPEC §5.4); f in GHz, prices per GHz.
    const revenue = s2Revenue(c, {
      e1, e2, fiHz: fi, fjHz: fj, fkHz: fk, pk: dec.pk, pj: dec.pj,
      uavServes, uavComputeJ: uavE, uavFlightJ: fly, idleServes, idleComputeJ: idleE, busyEnergyJ: busyCost,
    });
    this.uav.forEach((_, k) => {
      this.used[k] = this.used[k]! + uavE[k]! + fly[k]!;
    });
    const Q = revenue.Q;
    const battery = this.used.filter((u) => u > c.batteryJ).length;
    const batteryTerm = this.used.reduce((s, u) => s + Math.max(0, u - c.batteryJ) / c.batteryJ, 0);
    const penalty = c.penaltySeparation * separationTerm + c.penaltyBattery * (battery + batteryTerm) + c.penaltySpeed * speedTerm + c.penaltyArea * areaTerm;
    this.last = {
      decision: dec, revenue, uavPos: this.uav.map((p) => [...p] as P3), uavComputeJ: uavE, uavFlightJ: fly, busyEnergyJ: busyCost, idleComputeJ: idleE, penalty,
    };
    this.t++;
    this.drawTasks();
    return {
      obs: this.observe(), reward: Q - penalty, done: this.t >= c.horizon,
      info: { objective: Q, penalty, violations: { separation, battery, speed, area }, },
    };
  }
}
