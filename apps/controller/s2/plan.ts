/**
 * The S2 slot planner (SPEC §5.4): digital twin → observation → actor → plans. Centralised as S2
 * trains it: one actor decides for the whole system each slot. The observation and the mapping of
 * the action are the learning env's own (engines/video: `s2Observation`, `mapS2Action`,
 * `moveInBox`, `s2Association`), so a flown slot decides what the same actor output decides in the
 * env. Pure apart from the injected actor (onnxruntime in the controller; anything in tests).
 *
 * Plans made from one decision:
 * - per UAV: GOTO to the env's next position p + v·τ clipped into the box [0, area]² × [H_min,
 *   H_max] (inside the agents' safety envelope, which contains that box) at the env's |v|, and its
 *   video part: CPU f_k, price p_k, transcoding level b_O and the shares ε1·D_i of the busy devices
 *   it is the nearest UAV of (at the planned positions, as the env associates after the move);
 * - per busy device: ε1/ε2/ε3, its UAV and nearest idle partner, CPU f_i;
 * - per idle device: CPU f_j and price p_j.
 * Battery reserve (S2's E_r, SPEC §4 "a UAV must keep enough energy to return home"): a UAV whose
 * budget E_r, less what it used since slot 0, would not cover this slot's flight at P(|v|)·τ plus
 * the return (`returnEnergyJ`) is sent home (RTL) and given no shares.
 *
 * [choice]s where the env cannot be followed literally because work has to be done by someone:
 * with f_k = 0 (or no UAV able to serve) the ε1 part, and with f_j = 0 the ε2 part, is computed
 * locally (the env would have them transmitted and never computed); a device given work never
 * computes at less than 1 % of its f_max (the env charges f = 0 nothing).
 */
import { hoverPowerW, maxRangeSpeedMS, propulsionPowerW } from '../../../core/models/propulsion.ts';
import { FlightMode, DeviceRole, type DevicePlan, type MessageInput, type Plan, type RicianChannel } from '../../../proto/index.ts';
import { dist, mapS2Action, moveInBox, s2Association, s2Observation, type P3, type S2Decision, type S2Model } from '../../../engines/video/index.ts';

export interface S2PlannerConfig {
  model: S2Model;
  /** Planner name in the plans ("s2-td3"), the actor's sha256 and algorithm (for the slot record). */
  planner: string;
  /** How many slots a plan stays valid (default 2). */
  validSlots?: number;
  /** Descent speed on the return, m/s (default 1.5: ArduCopter's WPNAV_SPEED_DN). */
  descentSpeedMS?: number;
}

export interface S2Segment { taskId: number; dataBits: number; cyclesPerBit: number; releaseUs: number }
export interface S2BusyDevice { userId: number; pos: P3; segment?: S2Segment }
export interface S2IdleDevice { userId: number; pos: P3; cpuHzMax: number }
export interface S2Uav {
  uavId: number;
  /** Twin position; undefined = not known (planned at its start). */
  pos: P3 | undefined;
  /** Energy used of the S2 budget E_r since slot 0 (flight by the propulsion model + computing), J. */
  usedJ: number;
  /** Where it returns to (mission frame, on the ground). */
  home: P3;
}

export interface S2SlotInput {
  slot: number;
  nowUs: number;
  /** In the env's order (busy index i ↔ observation columns). */
  busy: S2BusyDevice[];
  idle: S2IdleDevice[];
  /** In the env's order (UAV k = uavs[k]). */
  uavs: S2Uav[];
  /** Fallbacks for devices whose segment did not arrive: the observation uses the mean D and C. */
  starts: P3[];
}

export type Actor = (obs: number[]) => Promise<number[]>;

/** What a busy device's segment was split into, for the slot's accounting. */
export interface PlannedSegment { taskId: number; userId: number; uavId: number; helperUserId: number; bits: [number, number, number] }

export interface S2SlotPlan {
  observation: number[];
  action: number[];
  decision: S2Decision;
  /** Ratios actually planned (after the [choice] folds), and CPUs after the 1 % floor. */
  ratios: [number, number, number];
  fiHz: number; fjHz: number; fkHz: number;
  uavPlans: Map<number, MessageInput<Plan>>;
  devicePlans: Map<number, MessageInput<DevicePlan>>;
  segments: PlannedSegment[];
  /** Planned next positions (index = UAV k), and the UAVs sent home to keep their reserve. */
  targets: P3[];
  reserveRtl: number[];
  /** Graded penalty terms of the decision as the env would charge them (speed, box overshoot). */
  penalty: { speed: number; area: number };
}

const mean = (r: [number, number]) => (r[0] + r[1]) / 2;

/** The observation of the slot from the twin (S2 Eq. 28). */
export function observeS2(m: S2Model, inp: S2SlotInput): number[] {
  const seg = inp.busy.map((b) => b.segment);
  const C = seg.find((s) => s)?.cyclesPerBit ?? mean(m.cyclesPerBit);
  return s2Observation(m, {
    busyPos: inp.busy.map((b) => b.pos),
    dataBits: seg.map((s) => s?.dataBits ?? mean(m.dataBits)),
    cyclesPerBit: C,
    uavPos: inp.uavs.map((u, k) => u.pos ?? inp.starts[k]!),
    usedJ: inp.uavs.map((u) => u.usedJ),
  });
}

/** Energy to return home from `p`: horizontally at the maximum-range speed, then down at `descentMS` hovering (SPEC §4). */
export function returnEnergyJ(p: readonly number[], home: readonly number[], vMaxMS: number, descentMS: number): number {
  const v = maxRangeSpeedMS(vMaxMS);
  const horiz = Math.hypot(p[0]! - home[0]!, p[1]! - home[1]!);
  return (horiz / v) * propulsionPowerW(v) + (Math.max(0, p[2]! - home[2]!) / descentMS) * hoverPowerW();
}

function channel(p: S2Model['uav'], noiseDbm: number): RicianChannel {
  return { beta0: p.beta0, path_loss_exponent: p.chi, rician_factor: p.gamma, noise_dbm: noiseDbm };
}

export async function planS2Slot(cfg: S2PlannerConfig, inp: S2SlotInput, actor: Actor): Promise<S2SlotPlan> {
  const observation = observeS2(cfg.model, inp);
  const action = await actor(observation);
  return plansFromAction(cfg, inp, observation, action);
}

/** The plans one action makes (pure; `planS2Slot` = observe → actor → this). */
export function plansFromAction(cfg: S2PlannerConfig, inp: S2SlotInput, observation: number[], action: number[]): S2SlotPlan {
  const m = cfg.model;
  const dec = mapS2Action(m, action);
  const nowUs = Math.round(inp.nowUs);
  const expiresUs = nowUs + Math.round((cfg.validSlots ?? 2) * m.slotS * 1e6);
  let speedTerm = 0, areaTerm = 0;
  const reserveRtl: number[] = [];
  const targets = inp.uavs.map((u, k) => {
    const from = u.pos ?? inp.starts[k]!;
    const mv = moveInBox(m, from, dec.velocities[k]!);
    speedTerm += dec.speedExcess[k]!;
    areaTerm += mv.overshoot;
    const slotJ = propulsionPowerW(dec.speeds[k]!) * m.slotS;
    if (u.usedJ + slotJ + returnEnergyJ(mv.next, u.home, m.vMaxMS, cfg.descentSpeedMS ?? 1.5) > m.batteryJ) reserveRtl.push(u.uavId);
    return mv.next;
  });
  const serving = inp.uavs.map((u) => !reserveRtl.includes(u.uavId));
  const candidates = targets.map((p, k) => (serving[k] ? p : ([Infinity, Infinity, Infinity] as P3)));
  const { access, helper, perUav } = s2Association(inp.busy.map((b) => b.pos), candidates, inp.idle.map((d) => d.pos));
  const anyUav = serving.some(Boolean);
  let [e1, e2, e3] = dec.ratios;
  if (e1 > 0 && (!(dec.fkHz > 0) || !anyUav)) [e1, e3] = [0, e3 + e1];
  if (e2 > 0 && (!(dec.fjHz > 0) || inp.idle.length === 0)) [e2, e3] = [0, e3 + e2];
  const fiHz = Math.max(dec.fiHz, 0.01 * m.fiMaxHz), fjHz = Math.max(dec.fjHz, 0.01 * m.fjMaxHz), fkHz = Math.max(dec.fkHz, 0.01 * m.fkMaxHz);

  const uavPlans = new Map<number, MessageInput<Plan>>();
  const shares = new Map<number, NonNullable<MessageInput<Plan>['video']>['shares']>();
  const devicePlans = new Map<number, MessageInput<DevicePlan>>();
  const segments: PlannedSegment[] = [];
  const kappa = m.kappa;
  inp.busy.forEach((b, i) => {
    const s = b.segment;
    if (!s) return;
    const k = access[i]!, j = helper[i]!;
    const uav = inp.uavs[k]!, idle = inp.idle[j];
    const bits: [number, number, number] = [e1 * s.dataBits, e2 * s.dataBits, e3 * s.dataBits];
    if (e1 > 0) {
      const list = shares.get(uav.uavId) ?? [];
      list.push({
        task_id: s.taskId, user_id: b.userId, user_position: { x_east_m: b.pos[0], y_north_m: b.pos[1], alt_m: b.pos[2] },
        share_bits: bits[0], cycles_per_bit: s.cyclesPerBit, uplink_bandwidth_hz: m.b1Hz / perUav[k]!, tx_power_w: m.pdMaxW, release_t_us: s.releaseUs, local_cpu_hz: m.fiMaxHz,
      });
      shares.set(uav.uavId, list);
    }
    segments.push({ taskId: s.taskId, userId: b.userId, uavId: e1 > 0 ? uav.uavId : 0, helperUserId: e2 > 0 ? idle!.userId : 0, bits });
    devicePlans.set(b.userId, {
      user_id: b.userId, slot: inp.slot, role: DeviceRole.DEVICE_ROLE_BUSY, task_id: s.taskId, ratio_uav: e1, ratio_d2d: e2, ratio_local: e3,
      access_uav_id: e1 > 0 ? uav.uavId : 0, partner_user_id: e2 > 0 ? idle!.userId : 0, cpu_hz: fiHz, price_per_ghz: 0,
      d2d_bandwidth_hz: e2 > 0 ? m.b0Hz : 0, tx_power_w: m.pdMaxW, d2d: channel(m.d2d, m.noiseDbm), kappa, planner: cfg.planner,
    });
  });
  for (const d of inp.idle) {
    devicePlans.set(d.userId, { user_id: d.userId, slot: inp.slot, role: DeviceRole.DEVICE_ROLE_IDLE, cpu_hz: Math.min(fjHz, d.cpuHzMax), price_per_ghz: dec.pj, kappa, planner: cfg.planner });
  }
  inp.uavs.forEach((u, k) => {
    const rtl = reserveRtl.includes(u.uavId);
    const t = targets[k]!;
    uavPlans.set(u.uavId, {
      uav_id: u.uavId, plan_seq: Math.floor(nowUs / 1000), slot: inp.slot, valid_from_t_us: nowUs, expires_t_us: expiresUs,
      flight: rtl ? { mode: FlightMode.FLIGHT_MODE_RTL } : { mode: FlightMode.FLIGHT_MODE_GOTO, target: { x_east_m: t[0], y_north_m: t[1], alt_m: t[2] }, speed_m_s: dec.speeds[k]! },
      planner: cfg.planner,
      ...(rtl ? {} : {
        video: {
          cpu_hz: fkHz, price_per_ghz: dec.pk, transcode_level_mbps: dec.levelMbps, source_mbps: m.sourceMbps, transcode_m1: m.m1, transcode_m2: m.m2,
          transcode_s1: m.s1, transcode_y1: m.y1, kappa, uplink: channel(m.uav, m.noiseDbm), shares: shares.get(u.uavId) ?? [],
        },
      }),
    });
  });
  return {
    observation, action, decision: dec, ratios: [e1, e2, e3], fiHz, fjHz, fkHz, uavPlans, devicePlans, segments, targets, reserveRtl,
    penalty: { speed: speedTerm, area: areaTerm },
  };
}

/** Distance of each planned target from the position the UAV flew to, m (for reports). */
export function targetErrorsM(targets: readonly P3[], flown: readonly (P3 | undefined)[]): (number | null)[] {
  return targets.map((t, k) => (flown[k] ? dist(t, flown[k]!) : null));
}
