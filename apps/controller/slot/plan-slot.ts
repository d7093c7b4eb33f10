/**
 * One slot's plan for the whole fleet, from the digital twin and the slot's task requests:
 * hover targets over user clusters (hover.ts), then offloading decisions and KKT allocations
 * (SPEC §5.1, `planOffloading`) with the UAVs where the twin says they are now and the compute the
 * twin trusts (`plannedCpuHz`, SPEC §2). Pure: the same inputs give the same plans.
 */
import { createRng } from '../../../core/rng.ts';
import type { MessageInput, Plan } from '../../../proto/index.ts';
import { FlightMode, FlightState } from '../../../proto/index.ts';
import { planOffloading, type ChannelParams, type OffloadAlgo, type OffloadInstance, type OffloadPlan } from '../../../engines/planning/offload/index.ts';
import { plannedCpuHz, type Twin, type UavTwin } from '../twin/index.ts';
import { assignTargets, kMeans, type Point2 } from './hover.ts';

export interface SlotTask {
  taskId: number;
  userId: number;
  pos: [number, number, number];
  dataBits: number;
  cyclesPerBit: number;
  localCpuHz: number;
  txPowerW: number;
  deadlineS: number;
  releaseUs: number;
}

export interface SlotPlanInput {
  slot: number;
  nowUs: number;
  slotS: number;
  twin: Twin;
  tasks: readonly SlotTask[];
  channel: ChannelParams;
  algo: OffloadAlgo;
  cruiseAltM: number;
  /** Cruise speed sent with GOTO commands, m/s. */
  speedMS: number;
  /** UAV→UAV transmit power for relays, W. */
  uavTxPowerW: number;
  /** Last slot's hover targets, to keep clusters stable. */
  prevTargets: ReadonlyMap<number, Point2>;
  /** Vertical spacing of the fleet's altitude layers, m (≥ the separation minimum); default 4. */
  layerSpacingM?: number;
  /** Plans stay valid for this many slots. */
  validSlots: number;
  seed: number;
  planner: string;
}

export type PlanBody = MessageInput<Omit<Plan, 'header'>>;

export interface SlotPlanOutput {
  plans: Map<number, PlanBody>;
  targets: Map<number, Point2>;
  /** UAVs that could serve this slot (airborne, linked, positioned). */
  serving: number[];
  offload?: OffloadPlan;
  /** The planner's predicted DOR over the slot's tasks (0 when nothing can be offloaded). */
  predictedDor: number;
}

/**
 * Altitude layers: UAV i of n cruises at cruiseAlt + (i mod L − (L−1)/2) · spacing with L = min(n, 4),
 * so UAVs whose paths cross are already vertically separated (the usual deconfliction of drone
 * fleets) and the safety envelope rarely has to intervene.
 */
export function layerAltitude(cruiseAltM: number, index: number, n: number, spacingM: number): number {
  const layers = Math.max(1, Math.min(n, 4));
  return cruiseAltM + ((index % layers) - (layers - 1) / 2) * spacingM;
}

/** Airborne, linked and following plans: it can receive and compute this slot. */
export function canServe(u: UavTwin): boolean {
  return u.pos !== undefined && u.autopilotLinkUp && u.pos[2] >= 1 && (u.flightState === FlightState.FLIGHT_STATE_FLYING || u.flightState === FlightState.FLIGHT_STATE_TAKING_OFF);
}

export function planSlot(inp: SlotPlanInput): SlotPlanOutput {
  const uavs = [...inp.twin.values()].filter((u) => u.pos !== undefined).sort((a, b) => a.id - b.id);
  const rng = createRng(inp.seed * 31 + inp.slot);
  const userPts: Point2[] = inp.tasks.map((t) => [t.pos[0], t.pos[1]]);
  const targets = new Map<number, Point2>();
  if (userPts.length === 0) {
    // Nobody to serve this slot: keep last slot's targets (hover in place if there were none).
    for (const u of uavs) targets.set(u.id, inp.prevTargets.get(u.id) ?? [u.pos![0], u.pos![1]]);
  } else {
    // Warm start in UAV order: centroid i stays UAV i's, so clusters follow the users smoothly and
    // UAVs never swap targets mid-flight. Only a fresh clustering is assigned by least distance.
    const init = uavs.map((u) => inp.prevTargets.get(u.id)).filter((p): p is Point2 => p !== undefined);
    const warm = init.length === uavs.length;
    const centres = kMeans(userPts, uavs.length, rng, warm ? init : undefined);
    const order = warm ? uavs.map((_, i) => i) : assignTargets(uavs.map((u) => [u.pos![0], u.pos![1]]), centres);
    uavs.forEach((u, i) => targets.set(u.id, centres[order[i]!] ?? [u.pos![0], u.pos![1]]));
  }

  const { serving, offload, assignments } = slotOffloading(inp, uavs);

  const plans = new Map<number, PlanBody>();
  const nowUs = Math.round(inp.nowUs);
  for (const [i, u] of uavs.entries()) {
    const [x, y] = targets.get(u.id)!;
    const alt = layerAltitude(inp.cruiseAltM, i, uavs.length, inp.layerSpacingM ?? 4);
    const flight = { mode: FlightMode.FLIGHT_MODE_GOTO, target: { x_east_m: x, y_north_m: y, alt_m: alt }, speed_m_s: inp.speedMS };
    plans.set(u.id, slotPlanBody(inp, u.id, nowUs, flight, { assignments, offload }));
  }
  const keep = userPts.length === 0 ? new Map(inp.prevTargets) : targets;
  return { plans, targets: keep, serving: serving.map((u) => u.id), ...(offload ? { offload } : {}), predictedDor: offload?.dor ?? 0 };
}

/** One UAV's slot plan: valid from now for `validSlots` slots, with its assignments and the slot's predicted DOR. */
export function slotPlanBody(
  inp: Pick<SlotPlanInput, 'slot' | 'validSlots' | 'slotS' | 'planner'>,
  uavId: number,
  nowUs: number,
  flight: NonNullable<PlanBody['flight']>,
  o: Pick<SlotOffloading, 'assignments' | 'offload'>,
): PlanBody {
  return {
    uav_id: uavId,
    plan_seq: Math.floor(nowUs / 1000),
    slot: inp.slot,
    valid_from_t_us: nowUs,
    expires_t_us: nowUs + Math.round(inp.validSlots * inp.slotS * 1e6),
    flight,
    assignments: o.assignments.get(uavId) ?? [],
    planner: inp.planner,
    objective: o.offload?.dor ?? 0,
  };
}

export interface SlotOffloading {
  /** UAVs that could serve this slot (airborne, linked, positioned), in id order. */
  serving: UavTwin[];
  offload?: OffloadPlan;
  /** Each UAV's assignments (as access and/or executing UAV). */
  assignments: Map<number, NonNullable<PlanBody['assignments']>>;
}

/**
 * The slot's offloading decisions and KKT allocations (SPEC §5.1, `planOffloading`) with the UAVs
 * where the twin says they are now and the compute the twin trusts (`plannedCpuHz`, SPEC §2).
 * Shared by every trajectory source (cluster planner, onboard policy).
 */
export function slotOffloading(inp: Pick<SlotPlanInput, 'tasks' | 'channel' | 'algo' | 'uavTxPowerW'>, uavs: readonly UavTwin[]): SlotOffloading {
  const serving = uavs.filter(canServe);
  let offload: OffloadPlan | undefined;
  const assignments = new Map<number, NonNullable<PlanBody['assignments']>>();
  if (serving.length > 0 && inp.tasks.length > 0) {
    const inst: OffloadInstance = {
      users: inp.tasks.map((t) => ({ id: String(t.taskId), pos: t.pos, dataBits: t.dataBits, cyclesPerBit: t.cyclesPerBit, fLocalHz: t.localCpuHz, txPowerW: t.txPowerW, deadlineS: t.deadlineS })),
      uavs: serving.map((u) => ({ id: String(u.id), pos: u.pos!, bandwidthHz: u.bandwidthHz, cpuHz: plannedCpuHz(u), txPowerW: inp.uavTxPowerW })),
      params: inp.channel,
    };
    offload = planOffloading(inst, inp.algo);
    offload.decisions.forEach((d, i) => {
      if (d.mode !== 'edge') return;
      const t = inp.tasks[i]!;
      const out = offload!.perUser[i]!;
      const a = {
        task_id: t.taskId,
        user_id: t.userId,
        user_position: { x_east_m: t.pos[0], y_north_m: t.pos[1], alt_m: t.pos[2] },
        data_bits: t.dataBits,
        cycles: t.dataBits * t.cyclesPerBit,
        access_uav_id: Number(d.accessUav),
        exec_uav_id: Number(d.execUav),
        bandwidth_hz: d.bandwidthHz,
        cpu_hz: d.cpuHz,
        relay_bandwidth_hz: d.relayBandwidthHz,
        tx_power_w: t.txPowerW,
        release_t_us: t.releaseUs,
        deadline_s: t.deadlineS,
        predicted_s: out.tS,
        local_s: out.tLocalS,
      };
      for (const id of new Set([a.access_uav_id, a.exec_uav_id])) {
        const list = assignments.get(id) ?? [];
        list.push(a);
        assignments.set(id, list);
      }
    });
  }
  return { serving, ...(offload ? { offload } : {}), assignments };
}
