/**
 * The controller's digital twin of the fleet (SPEC §2, S0 §III-B): the last reported state of each
 * UAV plus how far the twin's predictions can be trusted.
 *
 * Fidelity (SPEC §2): for a twin quantity N with estimate N̂ and measured value Ñ,
 * `F_N = 1 − |(N̂ − Ñ) / Ñ|`. The twin scores every completed task's predicted completion time
 * against the reported one and keeps an exponentially weighted mean per UAV. It also keeps the
 * ratio of actual to predicted compute time, ρ = ϑs/f̃ ÷ ϑs/f (S0 Eq. 18–19: the actual compute
 * time is ϑ s_j / f̃_j), and plans with the corrected compute `f / ρ` — so a UAV whose processor is
 * slower than it claims gets less work next slot.
 *
 * Pure: functions take the twin and return a new one. The new one shares structure with the old
 * (a persistent map, persistent.ts), so one report costs O(log₃₂ n), not a copy of the fleet. The
 * replay and the tests use these; the live controller keeps the same state in a `TwinStore`
 * (store.ts: O(1) per report, in place), checked against these functions by store.test.ts.
 */
import type { TwinState } from '../../../proto/index.ts';
import { PersistentIntMap } from './persistent.ts';

export interface Fidelity {
  /** Completed tasks scored. */
  samples: number;
  /** EWMA of F = 1 − |Δ/actual| of completion times; 1 before any sample. */
  completionFidelity: number;
  /** EWMA of actual ÷ predicted compute time (ρ); 1 before any sample. */
  computeRatio: number;
}

export interface UavTwin {
  id: number;
  /** Mission frame [x east, y north, altitude], m. Undefined until the UAV has a fix. */
  pos?: [number, number, number];
  vel?: [number, number, number];
  batteryJ?: number;
  batteryPct?: number;
  flightEnergyJ?: number;
  computeEnergyJ: number;
  cpuHzAvailable: number;
  cpuHzMeasured?: number;
  bandwidthHz: number;
  cacheBits: number;
  hoverPowerW?: number;
  flightState: number;
  planSeq: number;
  autopilotLinkUp: boolean;
  armed: boolean;
  mode: string;
  /** When the controller received the last report, µs. */
  reportedUs: number;
  fidelity: Fidelity;
}

export type Twin = ReadonlyMap<number, UavTwin>;

/** Weight of a new sample in the EWMAs (≈ the last 10 tasks dominate). */
export const FIDELITY_ALPHA = 0.1;
/** ρ is kept within these bounds so one outlier cannot starve or flood a UAV. */
export const COMPUTE_RATIO_BOUNDS = [0.25, 4] as const;

export function emptyTwin(): Twin {
  return PersistentIntMap.empty<UavTwin>();
}

/** `twin` with UAV `id` set to `u` (any ReadonlyMap is accepted; the result is persistent). */
function withUav(twin: Twin, id: number, u: UavTwin): Twin {
  const base = twin instanceof PersistentIntMap ? (twin as PersistentIntMap<UavTwin>) : [...twin].reduce((m, [k, v]) => m.set(k, v), PersistentIntMap.empty<UavTwin>());
  return base.set(id, u);
}

export function applyTwinState(twin: Twin, m: TwinState, recvUs: number): Twin {
  return withUav(twin, m.uav_id, uavTwinOf(m, recvUs, twin.get(m.uav_id)?.fidelity ?? NO_FIDELITY));
}

/** Fidelity before any completed task was scored (shared: entries never change it in place). */
export const NO_FIDELITY: Fidelity = Object.freeze({ samples: 0, completionFidelity: 1, computeRatio: 1 });

/**
 * One UAV's twin entry from its report. Every field is written in one object literal, absent ones
 * as undefined, so every entry has the same shape (one hidden class, no property store grown
 * field by field): at 1 000 UAVs an entry outlives several young-generation collections, and
 * building it field by field cost more per report in a micro-benchmark (issue 20).
 */
export function uavTwinOf(m: TwinState, recvUs: number, fidelity: Fidelity): UavTwin {
  const p = m.position;
  const v = m.velocity;
  return {
    id: m.uav_id,
    pos: p === undefined ? undefined : [p.x_east_m, p.y_north_m, p.alt_m],
    vel: v === undefined ? undefined : [v.vx_east_m_s, v.vy_north_m_s, v.vz_up_m_s],
    batteryJ: m.battery_remaining_j,
    batteryPct: m.battery_pct,
    flightEnergyJ: m.flight_energy_used_j,
    computeEnergyJ: m.compute_energy_used_j,
    cpuHzAvailable: m.cpu_hz_available,
    cpuHzMeasured: m.cpu_hz_measured,
    bandwidthHz: m.bandwidth_hz,
    cacheBits: m.cache_bits_available,
    hoverPowerW: m.hover_power_w,
    flightState: m.flight_state,
    planSeq: m.plan_seq,
    autopilotLinkUp: m.autopilot_link_up,
    armed: m.armed,
    mode: m.autopilot_mode,
    reportedUs: recvUs,
    fidelity,
  };
}

/** SPEC §2 fidelity of one estimate against its measured value, clamped to [0, 1]. */
export function fidelityOf(estimate: number, measured: number): number {
  if (!(measured > 0)) return estimate === measured ? 1 : 0;
  return Math.max(0, 1 - Math.abs((estimate - measured) / measured));
}

/** One completed task: predicted vs actual completion time (s after release) and compute time (s). */
export interface CompletionSample {
  predictedS: number;
  actualS: number;
  predictedComputeS: number;
  actualComputeS: number;
}

/**
 * Scores one completed task on `uavId`: predicted vs actual completion time (s after release) and
 * predicted vs actual compute time. Unknown UAVs are ignored (the twin is unchanged).
 */
export function recordCompletion(twin: Twin, uavId: number, sample: CompletionSample): Twin {
  const u = twin.get(uavId);
  if (!u) return twin;
  return withUav(twin, uavId, { ...u, fidelity: nextFidelity(u.fidelity, sample, FIDELITY_ALPHA) });
}

/** The fidelity EWMAs after one more completed task (SPEC §2; ρ as S0 Eq. 18–19), a new object. */
export function nextFidelity(f: Fidelity, sample: CompletionSample, a: number): Fidelity {
  const fid = fidelityOf(sample.predictedS, sample.actualS);
  let ratio = f.computeRatio;
  if (sample.predictedComputeS > 0 && sample.actualComputeS > 0) {
    const r = sample.actualComputeS / sample.predictedComputeS;
    ratio = Math.min(COMPUTE_RATIO_BOUNDS[1], Math.max(COMPUTE_RATIO_BOUNDS[0], (1 - a) * f.computeRatio + a * r));
  }
  return { samples: f.samples + 1, completionFidelity: f.samples === 0 ? fid : (1 - a) * f.completionFidelity + a * fid, computeRatio: ratio };
}

/** The compute the planner should count on for this UAV: its reported f corrected by ρ. */
export function plannedCpuHz(u: UavTwin): number {
  return u.cpuHzAvailable / u.fidelity.computeRatio;
}
