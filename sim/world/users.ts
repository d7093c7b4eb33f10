/**
 * Simulated user devices (MEDs, SPEC §1–2): where they are, how they move and what they ask.
 * Pure: positions and tasks come from the scenario, the slot and an injected `Rng`.
 */
import type { Rng } from '../../core/rng.ts';
import type { Scenario } from './scenario.ts';

export interface UserDevice {
  id: number;
  /** Mission frame, m (x east, y north, z = 0 on the ground). */
  pos: [number, number, number];
  localCpuHz: number;
  txPowerW: number;
}

export interface TaskSpec {
  taskId: number;
  userId: number;
  userPos: [number, number, number];
  dataBits: number;
  cyclesPerBit: number;
  localCpuHz: number;
  txPowerW: number;
  deadlineS: number;
  releaseUs: number;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** Users scattered around `hotspots` Gaussian centres inside the area, or the scenario's fixed `userSites`. */
export function createUsers(s: Scenario, rng: Rng): UserDevice[] {
  if (s.userSites) return s.userSites.map((u, i) => ({ id: i + 1, pos: [...u.pos], localCpuHz: u.localCpuHz, txPowerW: s.task.txPowerW }));
  const centres = Array.from({ length: Math.max(1, s.hotspots) }, () => [rng.uniform(0.15, 0.85) * s.areaM, rng.uniform(0.15, 0.85) * s.areaM] as const);
  return Array.from({ length: s.users }, (_, i) => {
    const [cx, cy] = centres[i % centres.length]!;
    return {
      id: i + 1,
      pos: [clamp(cx + rng.normal() * s.hotspotSigmaM, 0, s.areaM), clamp(cy + rng.normal() * s.hotspotSigmaM, 0, s.areaM), 0],
      localCpuHz: rng.uniform(s.task.localCpuHz[0], s.task.localCpuHz[1]),
      txPowerW: s.task.txPowerW,
    };
  });
}

/** One random-walk step of `dtS` seconds at the scenario's walking speed, kept inside the area. */
export function moveUsers(users: readonly UserDevice[], s: Scenario, dtS: number, rng: Rng): UserDevice[] {
  return users.map((u) => {
    const heading = rng.uniform(0, 2 * Math.PI);
    const d = s.userSpeedMS * dtS;
    return { ...u, pos: [clamp(u.pos[0] + d * Math.cos(heading), 0, s.areaM), clamp(u.pos[1] + d * Math.sin(heading), 0, s.areaM), 0] };
  });
}

/** Task ids encode slot and user: slot · 100000 + user id (+1 so that slot 0 is not id 0). */
export function taskId(slot: number, userId: number): number {
  return (slot + 1) * 100_000 + userId;
}

/** One task per user for a slot (S3: every user generates a task each slot). */
export function slotTasks(users: readonly UserDevice[], s: Scenario, slot: number, releaseUs: number, rng: Rng): TaskSpec[] {
  return users.map((u) => ({
    taskId: taskId(slot, u.id),
    userId: u.id,
    userPos: u.pos,
    dataBits: Math.round(rng.uniform(s.task.dataBits[0], s.task.dataBits[1])),
    cyclesPerBit: Math.round(rng.uniform(s.task.cyclesPerBit[0], s.task.cyclesPerBit[1])),
    localCpuHz: u.localCpuHz,
    txPowerW: u.txPowerW,
    deadlineS: s.task.deadlineS > 0 ? s.task.deadlineS : s.slotS,
    releaseUs,
  }));
}

/** Local execution time T_i^loc = D_i C_i / f_i^loc (SPEC §5.1). */
export function localTimeS(t: Pick<TaskSpec, 'dataBits' | 'cyclesPerBit' | 'localCpuHz'>): number {
  return (t.dataBits * t.cyclesPerBit) / t.localCpuHz;
}
