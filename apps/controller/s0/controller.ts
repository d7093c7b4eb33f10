/**
 * The HAP's S0 side (SPEC §2, §5.2), without bus or clock (like the pool controller): it keeps the
 * twin of the MEDs (their pending requests) and the compute fidelity of each UAV, builds each
 * slot's planner input from the fleet twin, plans (`planS0Slot`), and scores the shares the UAVs
 * report. The service passes time, the twin and the warm start in and publishes what comes out.
 */
import type { CoalitionAlgo, CoalitionParams } from '../../../engines/planning/coalition/index.ts';
import type { MessageInput, TaskCompletion, TaskRequest, CoalitionSlotInputs } from '../../../proto/index.ts';
import { canServe, type PlanBody } from '../slot/index.ts';
import type { Twin, UavTwin } from '../twin/index.ts';
import { emptyFidelity, recordShare, type ComputeFidelity } from './fidelity.ts';
import { S0Ledger, type S0Coalition } from './metrics.ts';
import { planS0Slot } from './plan.ts';
import type { S0MedRequest, S0SlotInput, S0UavState, Vec3 } from './types.ts';

/** What the HAP knows of each UAV beforehand (its registry): station, κ and hover power (S0: 168 W). */
export interface S0FleetSpec {
  station: Vec3;
  kappa: number;
  hoverW: number;
}

export interface S0ControllerConfig {
  params: CoalitionParams;
  planner: CoalitionAlgo;
  slotS: number;
  speedMS: number;
  /** Plans stay valid this many slots (default 2). */
  validSlots?: number;
  fleet: Readonly<Record<number, S0FleetSpec>>;
}

/** The MED twin entry of a request (SPEC §2 DT_MED with its measured fading). */
export function medRequest(m: TaskRequest, slotS: number): S0MedRequest {
  const p = m.user_position!;
  return {
    taskId: m.task_id, userId: m.user_id, pos: [p.x_east_m, p.y_north_m, p.alt_m], taskBits: m.data_bits, cyclesPerBit: m.cycles_per_bit, txPowerW: m.tx_power_w,
    deadlineS: m.deadline_s > 0 ? m.deadline_s : slotS, releaseUs: m.release_t_us || m.header!.t_us, localCpuHz: m.local_cpu_hz,
    fading: new Map(m.channel_gains.map((g) => [g.uav_id, g.fading_gain])),
  };
}

/** A UAV's DT as the S0 planner sees it: twin state + registry + the compute correction ρ. */
export function uavState(u: UavTwin, spec: S0FleetSpec | undefined, ratio: number): S0UavState {
  const pos: Vec3 = [u.pos![0], u.pos![1], u.pos![2]];
  return {
    id: u.id, pos, hover: spec ? [...spec.station] : pos, bandwidthHz: u.bandwidthHz, cpuHz: u.cpuHzAvailable, cacheBits: u.cacheBits,
    hoverW: spec?.hoverW ?? 168, kappa: spec?.kappa ?? 1e-28, computeRatio: ratio,
  };
}

/**
 * The slot's planner input from the fleet twin, the MED requests and each UAV's ρ (pure; replay
 * builds it the same way from the recording). UAVs that cannot serve (canServe) hover idle.
 */
export function buildS0Input(cfg: S0ControllerConfig, slot: number, nowUs: number, twin: Twin, meds: readonly S0MedRequest[], ratios: ReadonlyMap<number, number>, warm?: ReadonlyMap<number, number[][]>): S0SlotInput {
  const known = [...twin.values()].filter((u) => u.pos).sort((a, b) => a.id - b.id);
  const serving = known.filter(canServe);
  const idle = known.filter((u) => !canServe(u)).map((u) => ({ id: u.id, hover: cfg.fleet[u.id]?.station ?? ([u.pos![0], u.pos![1], u.pos![2]] as Vec3) }));
  return {
    slot, nowUs, slotS: cfg.slotS, validSlots: cfg.validSlots ?? 2, planner: cfg.planner, params: cfg.params, speedMS: cfg.speedMS,
    uavs: serving.map((u) => uavState(u, cfg.fleet[u.id], ratios.get(u.id) ?? 1)), idle, meds: [...meds], ...(warm && warm.size ? { warmStarts: warm } : {}),
  };
}

export interface S0Step {
  plans: Map<number, PlanBody>;
  /** The planning-inputs message to publish before the plans. */
  inputs: MessageInput<CoalitionSlotInputs>;
}

export class S0Controller {
  private readonly pending = new Map<number, S0MedRequest>();
  private readonly fidelity = new Map<number, ComputeFidelity>();
  readonly ledger = new S0Ledger();

  constructor(readonly cfg: S0ControllerConfig) {}

  /** A MED's request enters the twin for the next planning instant. */
  add(m: TaskRequest): void {
    this.pending.set(m.task_id, medRequest(m, this.cfg.slotS));
  }

  /** The requests waiting for the next slot, in arrival order (the warm start's input). */
  get requests(): S0MedRequest[] {
    return [...this.pending.values()];
  }

  ratios(): Map<number, number> {
    return new Map([...this.fidelity].map(([id, f]) => [id, f.ratio]));
  }

  /** Plans slot `slot` now: inputs, plans and (with a warm start) the cold-start counterfactual for the metrics. */
  step(slot: number, nowUs: number, twin: Twin, twinSeqs: ReadonlyMap<number, number>, warm?: ReadonlyMap<number, number[][]>): S0Step {
    const meds = this.requests;
    this.pending.clear();
    const ratios = this.ratios();
    const input = buildS0Input(this.cfg, slot, nowUs, twin, meds, ratios, warm);
    const out = planS0Slot(input);
    const { warmStarts, ...fromSingletons } = input;
    const cold = warmStarts ? planS0Slot(fromSingletons).coalition : undefined;
    this.ledger.planned(slot, Math.round(nowUs), meds.length, out, {
      warmStart: input.warmStarts !== undefined, ...(cold ? { cold } : {}), ratios: Object.fromEntries(input.uavs.map((u) => [u.id, u.computeRatio])),
      uavs: out.plans.size, requestBits: meds.reduce((a, m) => a + m.taskBits, 0),
    });
    const inputs: MessageInput<CoalitionSlotInputs> = {
      slot, plan_t_us: Math.round(nowUs), planner: this.cfg.planner,
      uavs: input.uavs.map((u) => ({ uav_id: u.id, twin_seq: twinSeqs.get(u.id) ?? 0, compute_ratio: u.computeRatio })),
      task_ids: meds.map((m) => m.taskId),
      warm_starts: [...(input.warmStarts ?? [])].map(([task, groups]) => ({ task_id: task, groups: groups.map((g) => ({ uav_ids: [...g] })) })),
      idle_uav_ids: input.idle.map((u) => u.id),
    };
    return { plans: out.plans, inputs };
  }

  /** A share's completion (TaskCompletion with part_bits): scores the twin and the ledger. */
  onShare(c: TaskCompletion): S0Coalition | undefined {
    const f = this.ledger.forecast(c.task_id, c.uav_id);
    let fid: number | undefined;
    if (f && !c.failed && c.compute_s > 0) {
      const r = recordShare(this.fidelity.get(c.uav_id) ?? emptyFidelity(), { cycles: f.cycles, askedCpuHz: f.nominalCpuHz, expectedCpuHz: f.expectedCpuHz, measuredComputeS: c.compute_s });
      fid = r.fidelity;
      if (!this.ledger.isDone(c.task_id, c.uav_id)) this.fidelity.set(c.uav_id, r.next);
    }
    return this.ledger.shareDone(c, fid);
  }

  fidelityOf(uavId: number): ComputeFidelity {
    return this.fidelity.get(uavId) ?? emptyFidelity();
  }
}
