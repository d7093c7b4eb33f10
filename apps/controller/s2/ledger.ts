/**
 * Accounting of S2 slots as flown (SPEC §5.4), pure: which parts of which segment each slot planned,
 * the completions that came back (each part once; repeats and failures counted), the flight
 * energy each UAV spent over the slot (`FlightMeter`: S2's propulsion model P(|v|) integrated over
 * the twin's velocity reports, SPEC §4), and at the end the slot's revenue Q and its parts U_K,
 * U_J, U_I from `s2Revenue` — the env's formula, fed with what the agents and devices reported.
 * Penalties are graded as the env grades them (speed excess and box overshoot of the decision,
 * separation of the planned positions, cumulative energy over E_r).
 */
import { propulsionPowerW } from '../../../core/models/propulsion.ts';
import { ExecutionSite, type TaskCompletion } from '../../../proto/index.ts';
import { s2Revenue, separationShortfall, type S2Model, type S2Revenue } from '../../../engines/video/index.ts';
import type { S2SlotPlan } from './plan.ts';

/** Propulsion energy per UAV, integrated over velocity reports (piecewise constant between them). */
export class FlightMeter {
  private readonly last = new Map<number, { tUs: number; speed: number }>();
  private readonly total = new Map<number, number>();

  sample(uavId: number, tUs: number, vel: readonly number[]): void {
    const l = this.last.get(uavId);
    if (l && tUs > l.tUs) this.total.set(uavId, (this.total.get(uavId) ?? 0) + (propulsionPowerW(l.speed) * (tUs - l.tUs)) / 1e6);
    if (!l || tUs >= l.tUs) this.last.set(uavId, { tUs, speed: Math.hypot(vel[0]!, vel[1]!, vel[2]!) });
  }

  /** Energy used up to `tUs`, J (the last reported speed held until then). */
  energyJ(uavId: number, tUs: number): number {
    const l = this.last.get(uavId);
    const extra = l && tUs > l.tUs ? (propulsionPowerW(l.speed) * (tUs - l.tUs)) / 1e6 : 0;
    return (this.total.get(uavId) ?? 0) + extra;
  }
}

type Part = 'uav' | 'd2d' | 'local';
const PART_OF: Record<number, Part | undefined> = {
  [ExecutionSite.EXECUTION_SITE_UAV]: 'uav', [ExecutionSite.EXECUTION_SITE_D2D]: 'd2d', [ExecutionSite.EXECUTION_SITE_LOCAL]: 'local',
};

export interface S2Penalties { penaltySeparation: number; penaltyBattery: number; penaltySpeed: number; penaltyArea: number; dMinM: number }

interface SlotBook {
  slot: number;
  plan: S2SlotPlan;
  parts: Map<number, { expected: Set<Part>; done: Set<Part> }>;
  uavComputeJ: number[]; uavServes: boolean[]; idleComputeJ: number[]; idleServes: boolean[]; busyEnergyJ: number;
  /** Flight energy meter readings per UAV at the slot's start. */
  startJ: number[];
}

export interface S2SlotAccount {
  slot: number;
  revenue: S2Revenue;
  uavComputeJ: number[]; uavFlightJ: number[]; busyEnergyJ: number; idleEnergyJ: number;
  partsPlanned: number; partsDone: number;
  penalty: number;
  plan: S2SlotPlan;
}

export class S2Ledger {
  private readonly books: SlotBook[] = [];
  private readonly slotOfTask = new Map<number, number>();
  readonly counts = { completions: 0, duplicates: 0, failed: 0, unknown: 0, d2dByIdle: 0 };
  /** Per part kind: how long after the segment's release its parts were done, s (count, mean, max). */
  readonly latencyS: Record<Part, { n: number; mean: number; max: number }> = { uav: { n: 0, mean: 0, max: 0 }, d2d: { n: 0, mean: 0, max: 0 }, local: { n: 0, mean: 0, max: 0 } };
  /** Cumulative S2 energy per UAV (compute from completions; flight added at close). */
  private readonly computeJ: number[];

  constructor(
    private readonly m: S2Model,
    private readonly pen: S2Penalties,
  ) {
    this.computeJ = new Array<number>(m.uavs).fill(0);
  }

  open(slot: number, plan: S2SlotPlan, flightStartJ: number[]): void {
    const parts = new Map<number, { expected: Set<Part>; done: Set<Part> }>();
    for (const s of plan.segments) {
      const expected = new Set<Part>();
      if (s.bits[0] > 0) expected.add('uav');
      if (s.bits[1] > 0) expected.add('d2d');
      if (s.bits[2] > 0) expected.add('local');
      parts.set(s.taskId, { expected, done: new Set() });
      this.slotOfTask.set(s.taskId, slot);
    }
    this.books[slot] = {
      slot, plan, parts, startJ: flightStartJ, busyEnergyJ: 0,
      uavComputeJ: new Array<number>(this.m.uavs).fill(0), uavServes: new Array<boolean>(this.m.uavs).fill(false),
      idleComputeJ: new Array<number>(this.m.idle).fill(0), idleServes: new Array<boolean>(this.m.idle).fill(false),
    };
  }

  /** Books a part's completion; false when it is not a planned part or a repeat. */
  completion(c: TaskCompletion): boolean {
    const slot = this.slotOfTask.get(c.task_id);
    const b = slot === undefined ? undefined : this.books[slot];
    const part = PART_OF[c.site];
    const entry = b?.parts.get(c.task_id);
    if (!b || !part || !entry || !entry.expected.has(part)) {
      this.counts.unknown++;
      return false;
    }
    if (entry.done.has(part)) {
      this.counts.duplicates++;
      return false;
    }
    this.counts.completions++;
    if (c.failed) {
      this.counts.failed++;
      return true;
    }
    entry.done.add(part);
    const l = this.latencyS[part], dt = (c.done_t_us - c.release_t_us) / 1e6;
    l.mean = (l.mean * l.n + dt) / (l.n + 1);
    l.n++;
    l.max = Math.max(l.max, dt);
    b.busyEnergyJ += c.tx_energy_j + (part === 'local' ? c.compute_energy_j : 0);
    if (part === 'uav') {
      const k = c.uav_id - 1;
      b.uavComputeJ[k] = (b.uavComputeJ[k] ?? 0) + c.compute_energy_j;
      b.uavServes[k] = true;
      this.computeJ[k] = (this.computeJ[k] ?? 0) + c.compute_energy_j;
    } else if (part === 'd2d') {
      const j = c.helper_user_id - this.m.busy - 1;
      b.idleComputeJ[j] = (b.idleComputeJ[j] ?? 0) + c.compute_energy_j;
      b.idleServes[j] = true;
      this.counts.d2dByIdle++;
    }
    return true;
  }

  /** Computing energy each UAV reported so far, J (with the flight meter: its use of E_r). */
  uavComputeJ(): readonly number[] {
    return this.computeJ;
  }

  partsOutstanding(): number {
    let n = 0;
    for (const b of this.books) if (b) for (const e of b.parts.values()) n += e.expected.size - e.done.size;
    return n;
  }

  /** Closes every slot: slot k's flight energy is the meter's reading at k+1's start (`endJ` after the last) less at its own. */
  close(endJ: number[]): S2SlotAccount[] {
    const books = this.books.filter(Boolean);
    let usedJ = new Array<number>(this.m.uavs).fill(0);
    return books.map((b, i) => {
      const next = books[i + 1]?.startJ ?? endJ;
      const flight = b.startJ.map((s, k) => Math.max(0, next[k]! - s));
      const d = b.plan.decision;
      const revenue = s2Revenue(this.m, {
        e1: b.plan.ratios[0], e2: b.plan.ratios[1], fiHz: b.plan.fiHz, fjHz: b.plan.fjHz, fkHz: b.plan.fkHz, pk: d.pk, pj: d.pj,
        uavServes: b.uavServes, uavComputeJ: b.uavComputeJ, uavFlightJ: flight, idleServes: b.idleServes, idleComputeJ: b.idleComputeJ, busyEnergyJ: b.busyEnergyJ,
      });
      usedJ = usedJ.map((u, k) => u + b.uavComputeJ[k]! + flight[k]!);
      const over = usedJ.filter((u) => u > this.m.batteryJ).length + usedJ.reduce((s, u) => s + Math.max(0, u - this.m.batteryJ) / this.m.batteryJ, 0);
      const sep = separationShortfall(b.plan.targets, this.pen.dMinM).term;
      const penalty = this.pen.penaltySpeed * b.plan.penalty.speed + this.pen.penaltyArea * b.plan.penalty.area + this.pen.penaltySeparation * sep + this.pen.penaltyBattery * over;
      let planned = 0, done = 0;
      for (const e of b.parts.values()) {
        planned += e.expected.size;
        done += e.done.size;
      }
      return {
        slot: b.slot, revenue, uavComputeJ: b.uavComputeJ, uavFlightJ: flight, busyEnergyJ: b.busyEnergyJ, idleEnergyJ: b.idleComputeJ.reduce((a, x) => a + x, 0),
        partsPlanned: planned, partsDone: done, penalty, plan: b.plan,
      };
    });
  }
}
