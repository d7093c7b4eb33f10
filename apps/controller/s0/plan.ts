/**
 * The HAP's S0 slot planner (SPEC §5.2, S0 Algorithm 1), pure: the slot's MED requests and the
 * UAVs' twin in, one plan per UAV out.
 *
 * - The game runs on the twin's *corrected* compute: f_j,max / ρ_j (S0 §VI-C, Eq. 18: the compute a
 *   UAV really delivers differs from the advertised one; fidelity.ts learns ρ_j from measured
 *   shares). Fading: each request carries the block-fading gains its MED measured (SPEC §3 S0).
 * - Coalitions: `planCoalitions` (engines/planning/coalition) — earliest deadline first, one
 *   serving coalition per MED, formed by merge/split from singletons or from the generative warm
 *   start; 'grand' and 'nash' are S0's baselines.
 * - Plans: every UAV hovers at its station (GOTO). A coalition member gets one `CoalitionShare`
 *   per served MED: its bits, bandwidth, the CPU to run at (f_j* · ρ_j, so that it delivers f_j*;
 *   at most f_j,max), the deadline, its coalition and the predictions. A UAV without a share is in
 *   energy-saving mode (hover, no compute; S0 §III-C).
 */
import { efficiencies, planCoalitions, type CoalitionInstance } from '../../../engines/planning/coalition/index.ts';
import { FlightMode } from '../../../proto/index.ts';
import type { PlanBody } from '../slot/index.ts';
import type { S0ShareForecast, S0SlotInput, S0SlotOutput, Vec3 } from './types.ts';

/**
 * [choice] Deadline guard: F3 fills every member to its C8 cap, where T_g is exactly τ_i, so any
 * difference between the twin and the air (a UAV hovering a metre off its reported position, a
 * microsecond of rounding) would make the coalition late. The game plans for (1 − guard)·τ_i; the
 * shares carry the real τ_i. 1 % is 1.5–5 ms at S0's deadlines.
 */
export const DEADLINE_GUARD = 0.01;

/** The engine's instance for the slot: ids as strings, compute corrected by ρ, fading per request. */
export function coalitionInstance(inp: Pick<S0SlotInput, 'uavs' | 'meds' | 'params'>): CoalitionInstance {
  return {
    meds: inp.meds.map((m) => ({ id: String(m.taskId), pos: m.pos, taskBits: m.taskBits, cyclesPerBit: m.cyclesPerBit, txPowerW: m.txPowerW, deadlineS: m.deadlineS * (1 - DEADLINE_GUARD) })),
    uavs: inp.uavs.map((u) => ({ id: String(u.id), pos: u.pos, bandwidthHz: u.bandwidthHz, cpuHz: u.cpuHz / u.computeRatio, cacheBits: u.cacheBits, hoverW: u.hoverW, kappa: u.kappa })),
    params: inp.params,
    fading: inp.meds.map((m) => inp.uavs.map((u) => m.fading.get(u.id) ?? 1)),
  };
}

export function planS0Slot(inp: S0SlotInput): S0SlotOutput {
  const inst = coalitionInstance(inp);
  const warm = inp.warmStarts
    ? Object.fromEntries([...inp.warmStarts].map(([task, groups]) => [String(task), groups.map((g) => g.map(String))]))
    : undefined;
  const coalition = planCoalitions(inst, inp.planner, warm ? { initial: warm } : {});
  const eff = efficiencies(inst);
  const medIndex = new Map(inp.meds.map((m, i) => [String(m.taskId), i]));
  const uavIndex = new Map(inp.uavs.map((u, j) => [String(u.id), j]));
  const shares: S0ShareForecast[] = [];
  const byUav = new Map<number, NonNullable<PlanBody['shares']>>();
  for (const a of coalition.assignments) {
    if (a.uavIds.length === 0) continue;
    const i = medIndex.get(a.medId)!;
    const med = inp.meds[i]!;
    const members = a.uavIds.map(Number).sort((x, y) => x - y);
    a.uavIds.forEach((idStr, m) => {
      const j = uavIndex.get(idStr)!;
      const u = inp.uavs[j]!;
      const s = a.shareBits[m]!;
      const cycles = s * med.cyclesPerBit;
      const expected = a.cpuHz[m]!;
      const f: S0ShareForecast = {
        taskId: med.taskId, userId: med.userId, uavId: u.id, shareBits: s, cycles,
        nominalCpuHz: Math.min(u.cpuHz, expected * u.computeRatio), expectedCpuHz: expected, maxCpuHz: u.cpuHz,
        uplinkS: s / (a.bandwidthHz[m]! * eff[i]![j]!), computeS: cycles / expected, delayS: a.delayS, deadlineS: med.deadlineS,
        participantUtility: a.participantUtility[m]!, hoverW: u.hoverW, kappa: u.kappa, txPowerW: med.txPowerW,
      };
      shares.push(f);
      const list = byUav.get(u.id) ?? [];
      list.push({
        task_id: med.taskId, user_id: med.userId, user_position: pos(med.pos), share_bits: s, cycles_per_bit: med.cyclesPerBit,
        bandwidth_hz: a.bandwidthHz[m]!, cpu_hz: f.nominalCpuHz, tx_power_w: med.txPowerW, fading_gain: med.fading.get(u.id) ?? 1,
        noise_w: inp.params.noiseW, path_loss_exponent: inp.params.pathLossExp, release_t_us: med.releaseUs, deadline_s: med.deadlineS,
        coalition_uav_ids: members, predicted_uplink_s: f.uplinkS, predicted_compute_s: f.computeS, predicted_delay_s: a.delayS,
        participant_utility: f.participantUtility, kappa: u.kappa,
      });
      byUav.set(u.id, list);
    });
  }
  const nowUs = Math.round(inp.nowUs);
  const plans = new Map<number, PlanBody>();
  const all = [...inp.uavs.map((u) => ({ id: u.id, hover: u.hover })), ...inp.idle].sort((x, y) => x.id - y.id);
  for (const u of all) {
    const mine = byUav.get(u.id) ?? [];
    plans.set(u.id, {
      uav_id: u.id,
      plan_seq: Math.floor(nowUs / 1000),
      slot: inp.slot,
      valid_from_t_us: nowUs,
      expires_t_us: nowUs + Math.round(inp.validSlots * inp.slotS * 1e6),
      flight: { mode: FlightMode.FLIGHT_MODE_GOTO, target: pos(u.hover), speed_m_s: inp.speedMS },
      planner: inp.planner,
      objective: coalition.totalWorth,
      shares: mine,
      energy_saving: mine.length === 0,
    });
  }
  return { plans, coalition, shares };
}

const pos = (p: Vec3) => ({ x_east_m: p[0], y_north_m: p[1], alt_m: p[2] });
