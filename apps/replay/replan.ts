/**
 * The pure re-planner: each slot's recorded inputs (inputs.ts) through `planSlot` on a
 * ManualClock that reads the recorded planning time, so the plans embed the same `t_us`-derived
 * fields (`plan_seq`, `valid_from_t_us`, `expires_t_us`) as the recorded ones. Hover targets chain
 * from slot to slot as in the controller. With the recorded planner this reproduces the
 * controller's plans; with another (`--planner`) it answers "what would it have planned".
 *
 * Coalition planners (SPEC §5.2: coalition, grand, nash) keep the same hover targets and flight
 * (they decide only who computes what) and split each task over a coalition of serving UAVs with
 * `planCoalitions`, on S0's radio model (M2U d^−γ, its noise and B_max) — the S0 game is defined
 * on that model, so it is not re-cast onto S3's channel.
 */
import type { ControllerConfig } from '../controller/service/index.ts';
import { ManualClock } from '../../core/clock.ts';
import { planCoalitions, defaultCoalitionParams, type CoalitionInstance, type CoalitionPlan } from '../../engines/planning/coalition/index.ts';
import type { ChannelParams, OffloadAlgo } from '../../engines/planning/offload/index.ts';
import { canServe, type PlanBody, type Point2, type SlotPlanOutput } from '../controller/slot/index.ts';
import { planFleetSlot, PLANNER_TRAJECTORY, type TrajectoryConfig } from '../controller/trajectory.ts';
import { plannedCpuHz } from '../controller/twin/index.ts';
import type { MissionSummary } from '../mission/summary.ts';
import type { SlotInputs } from './inputs.ts';

export const OFFLOAD_PLANNERS = ['cd-kkt', 'ao', 'al'] as const;
export const COALITION_PLANNERS = ['coalition', 'grand', 'nash'] as const;
export const REPLAY_PLANNERS = [...OFFLOAD_PLANNERS, ...COALITION_PLANNERS] as const;
export type ReplayPlanner = (typeof REPLAY_PLANNERS)[number];

/** The controller configuration a run used (ControllerConfig's planning fields), plus energy constants. */
export type ReplayConfig = Pick<ControllerConfig, 'slots' | 'slotS' | 'algo' | 'channel' | 'cruiseAltM' | 'speedMS' | 'uavTxPowerW' | 'seed' | 'trajectory'> & {
  /** UAV CPU κ for energy figures (the agents' value, SPEC §4 [choice]). */
  kappa: number;
  /** Hover power when the twin reports none, W (S0's 168 W, SPEC §4). */
  hoverW: number;
};

export function configFromSummary(s: MissionSummary): ReplayConfig {
  const sc = s.scenario as Record<string, unknown> & { uav: { txPowerW: number }; channel: ChannelParams };
  return {
    slots: sc.slots as number, slotS: sc.slotS as number, algo: (sc.algo as OffloadAlgo | undefined) ?? 'cd-kkt', channel: sc.channel,
    cruiseAltM: sc.cruiseAltM as number, speedMS: sc.uavSpeedMS as number, uavTxPowerW: sc.uav.txPowerW, seed: sc.seed as number,
    kappa: 1e-28, hoverW: 168, ...(s.policy ? { trajectory: policyTrajectory(s) } : {}),
  };
}

/** A policy run's trajectory source: each UAV's actor by sha256 (the starts only matter at launch). */
function policyTrajectory(s: MissionSummary): TrajectoryConfig {
  return { source: 'policy', models: Object.fromEntries(s.policy!.model.actors.map((a) => [a.uavId, a.sha256])), starts: {} };
}

export interface ReplannedSlot {
  slot: number;
  planUs: number;
  out: SlotPlanOutput;
  /** Set for coalition planners: how each task was split. */
  coalition?: CoalitionPlan;
  coalitionInstance?: CoalitionInstance;
}

export function replan(inputs: readonly SlotInputs[], cfg: ReplayConfig, planner: ReplayPlanner = cfg.algo): ReplannedSlot[] {
  const clock = new ManualClock(inputs[0]?.planUs ?? 0);
  let prevTargets = new Map<number, Point2>();
  const out: ReplannedSlot[] = [];
  const coalitionBased = (COALITION_PLANNERS as readonly string[]).includes(planner);
  for (const inp of inputs) {
    clock.advance((inp.planUs - clock.nowUs()) / 1000);
    const o = planFleetSlot(cfg.trajectory ?? PLANNER_TRAJECTORY, {
      slot: inp.slot, nowUs: clock.nowUs(), slotS: cfg.slotS, twin: inp.twin, tasks: inp.tasks, channel: cfg.channel,
      algo: coalitionBased ? 'al' : (planner as OffloadAlgo), cruiseAltM: cfg.cruiseAltM, speedMS: cfg.speedMS, uavTxPowerW: cfg.uavTxPowerW,
      prevTargets: inp.prevTargets ?? prevTargets, validSlots: 2, seed: cfg.seed, planner,
    });
    prevTargets = o.targets;
    const r: ReplannedSlot = { slot: inp.slot, planUs: inp.planUs, out: o };
    if (coalitionBased) {
      const inst = coalitionInstance(inp, cfg);
      r.coalitionInstance = inst;
      r.coalition = planCoalitions(inst, planner as 'coalition' | 'grand' | 'nash');
      attachCoalitionAssignments(o.plans, r.coalition, inp);
    }
    out.push(r);
  }
  return out;
}

/**
 * The slot as S0's game sees it: every task a MED, every serving UAV a candidate (SPEC §5.2).
 * [choice] A MED's deadline τ_i is min(task deadline, local time D·C/f_loc): offloading that ends
 * later than computing locally has no point under the DOR objective, and with the mission's
 * slot-long deadlines the S0 game would otherwise pick the slowest compute that still meets τ_i
 * (Eq. 13) and pay seconds of hovering for it.
 */
export function coalitionInstance(inp: SlotInputs, cfg: ReplayConfig): CoalitionInstance {
  const uavs = [...inp.twin.values()].filter(canServe).sort((a, b) => a.id - b.id);
  return {
    meds: inp.tasks.map((t) => ({ id: String(t.taskId), pos: t.pos, taskBits: t.dataBits, cyclesPerBit: t.cyclesPerBit, txPowerW: t.txPowerW, deadlineS: Math.min(t.deadlineS, (t.dataBits * t.cyclesPerBit) / t.localCpuHz) })),
    uavs: uavs.map((u) => ({ id: String(u.id), pos: u.pos!, bandwidthHz: u.bandwidthHz, cpuHz: plannedCpuHz(u), cacheBits: u.cacheBits, hoverW: u.hoverPowerW ?? cfg.hoverW, kappa: cfg.kappa })),
    params: defaultCoalitionParams(),
  };
}

/** Puts each UAV's share of each task into its plan (one assignment per task part). */
function attachCoalitionAssignments(plans: Map<number, PlanBody>, c: CoalitionPlan, inp: SlotInputs): void {
  const byId = new Map(inp.tasks.map((t) => [String(t.taskId), t]));
  for (const a of c.assignments) {
    const t = byId.get(a.medId)!;
    a.uavIds.forEach((id, j) => {
      const plan = plans.get(Number(id));
      if (!plan) return;
      const bits = a.shareBits[j]!;
      (plan.assignments as unknown[]).push({
        task_id: t.taskId, user_id: t.userId, user_position: { x_east_m: t.pos[0], y_north_m: t.pos[1], alt_m: t.pos[2] },
        data_bits: bits, cycles: bits * t.cyclesPerBit, access_uav_id: Number(id), exec_uav_id: Number(id), bandwidth_hz: a.bandwidthHz[j]!,
        cpu_hz: a.cpuHz[j]!, relay_bandwidth_hz: 0, tx_power_w: t.txPowerW, release_t_us: t.releaseUs, deadline_s: t.deadlineS, predicted_s: a.delayS,
        local_s: (t.dataBits * t.cyclesPerBit) / t.localCpuHz,
      });
    });
  }
}
