/**
 * S2's user devices (SPEC §5.4), pure: where the busy and idle devices stand (the learning env's
 * fixed layout), the video segments busy devices produce each slot (D_i ∈ [1.5, 3.5] Mb, one
 * complexity C ∈ [700, 1500] cycles/bit per slot, as the env draws them), and a device CPU that
 * computes what it is given in arrival order (FIFO) at the CPU its plan grants.
 */
import { createRng } from '../../../core/rng.ts';
import { s2Layout, type P3, type S2Model } from '../../../engines/video/index.ts';

export interface S2WorldConfig {
  model: S2Model;
  /** The env's `layoutSeed` (device positions) and the mission seed (segment draws). */
  layoutSeed: number;
  seed: number;
  slots: number;
}

export interface S2Device { userId: number; role: 'busy' | 'idle'; pos: P3 }

/** Busy devices are users 1…busy, idle ones busy+1…busy+idle, in the env's order. */
export function s2Devices(c: Pick<S2WorldConfig, 'model' | 'layoutSeed'>): S2Device[] {
  const { busyPos, idlePos } = s2Layout(c.model, c.layoutSeed);
  return [
    ...busyPos.map((pos, i) => ({ userId: i + 1, role: 'busy' as const, pos })),
    ...idlePos.map((pos, j) => ({ userId: c.model.busy + j + 1, role: 'idle' as const, pos })),
  ];
}

export interface SegmentSpec { taskId: number; userId: number; dataBits: number; cyclesPerBit: number }

/** Segment ids encode slot and device: (slot + 1) · 100000 + user id (as sim/world's task ids). */
export function segmentId(slot: number, userId: number): number {
  return (slot + 1) * 100_000 + userId;
}

/** The slot's segments, one per busy device, from a draw seeded by the mission seed and the slot. */
export function slotSegments(c: S2WorldConfig, slot: number): SegmentSpec[] {
  const rng = createRng(c.seed * 104729 + slot);
  const D = Array.from({ length: c.model.busy }, () => rng.uniform(c.model.dataBits[0], c.model.dataBits[1]));
  const C = rng.uniform(c.model.cyclesPerBit[0], c.model.cyclesPerBit[1]);
  return D.map((dataBits, i) => ({ taskId: segmentId(slot, i + 1), userId: i + 1, dataBits, cyclesPerBit: C }));
}

/**
 * A device CPU of capacity f_max with reserved shares (the discipline of the agents' executor,
 * SPEC §5.1): a job granted `hz` starts at the first moment from its arrival when `hz` fits beside
 * the shares already running over its whole run, and runs at `hz`. S2 grants every D2D stream its
 * own f_j and computes its energy per stream (κ f_j² ε2 D C), so an idle device runs the streams it
 * receives side by side, up to its f_j,max; a busy device's consecutive local parts likewise.
 */
export class DeviceCpu {
  private jobs: { startUs: number; endUs: number; hz: number }[] = [];

  constructor(private readonly fMaxHz: number) {}

  /** Start and end of `cycles` at `hz` (≤ f_max) arriving at `arrivalUs`, µs (reserves the share). */
  schedule(arrivalUs: number, cycles: number, hz: number): { startUs: number; endUs: number } {
    const share = Math.min(hz, this.fMaxHz);
    const durUs = (cycles / share) * 1e6;
    this.jobs = this.jobs.filter((j) => j.endUs > arrivalUs - 60e6);
    const load = (t: number) => this.jobs.filter((j) => j.startUs <= t && j.endUs > t).reduce((a, j) => a + j.hz, 0);
    const fits = (t: number) => {
      const inside = this.jobs.filter((j) => j.endUs > t && j.startUs < t + durUs);
      return [t, ...inside.map((j) => j.startUs).filter((x) => x > t)].every((p) => load(p) + share <= this.fMaxHz * (1 + 1e-9));
    };
    const candidates = [arrivalUs, ...this.jobs.map((j) => j.endUs).filter((t) => t > arrivalUs)].sort((x, y) => x - y);
    const startUs = candidates.find(fits) ?? Math.max(arrivalUs, ...this.jobs.map((j) => j.endUs));
    const job = { startUs, endUs: startUs + durUs, hz: share };
    this.jobs.push(job);
    return { startUs: job.startUs, endUs: job.endUs };
  }
}
