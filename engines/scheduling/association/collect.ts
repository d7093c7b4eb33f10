import type { PoolParams, UavSpec } from '../model/params.ts';
import { userRateBps } from '../model/params.ts';
import type { Point } from './kmeans.ts';

/**
 * Collection stage of P1 (S1 §3.1–3.4, SPEC §5.3) for a given association and visit order.
 * Trajectory [choice, replacing S1's SCA]: each UAV flies straight legs at the cruise speed
 * (≤ V_max) and hovers directly above each user while it uploads — the distance that maximises
 * the S1 rate (Eq. 2–4 with the mean Rician gain) — giving that user the whole band (b = 1; one
 * user at a time satisfies Σ b ≤ 1 of (5) and, for sequential service, a full share is optimal).
 * Upload starts no earlier than the user's t_m (Eq. 4). CFT_n = end of the last upload; the UAV
 * then stays at that last user's position for the compute stage and flies home afterwards
 * (S1 Eq. 1: q[K] = l_init); the return leg is charged to its fixed movement energy.
 * Minimum separation (Eq. 1): trajectories are sampled every `sepStepS`; while two UAVs come
 * closer than d_min the later-indexed one holds at its start for `holdS` more seconds (a ground
 * delay), up to `maxHolds` times; the residual minimum separation is reported.
 */
export interface UserLoad extends Point {
  /** Bits this user uploads (d_m). */
  readonly bits: number;
  readonly requestS: number;
}

export interface UavCollection {
  /** Indices into the users array, in visit order. */
  readonly visits: readonly number[];
  /** Hold at the start before departing (separation), s. */
  readonly holdS: number;
  readonly flightM: number;
  readonly flightS: number;
  readonly uploadS: number;
  /** Hover while waiting for a user's t_m, s. */
  readonly requestWaitS: number;
  /** CFT_n (s). */
  readonly collectDoneS: number;
  /** Where it hovers during the compute stage. */
  readonly poolPosition: Point;
  /** Flight energy of the outbound legs and of the return leg (J). */
  readonly flightJ: number;
  readonly returnFlightJ: number;
  /** Hover energy during uploads and t_m waits (J). */
  readonly collectHoverJ: number;
  /** Per visited user: upload window. */
  readonly uploads: readonly { readonly user: number; readonly startS: number; readonly endS: number; readonly share: number }[];
}

export interface CollectionPlan {
  readonly perUav: readonly UavCollection[];
  /** SSC = max_n CFT_n. */
  readonly poolStartS: number;
  /** Smallest distance between two UAVs over the collection stage (m); Infinity for one UAV. */
  readonly minSeparationM: number;
}

interface Waypoint {
  t: number;
  x: number;
  y: number;
}

function simulate(uav: UavSpec, users: readonly UserLoad[], visits: readonly number[], p: PoolParams, hold: number): { c: UavCollection; path: Waypoint[] } {
  const v = Math.min(p.cruiseMS, p.vMaxMS);
  const pf = uav.motion.flightPowerW(v);
  const ph = uav.motion.hoverPowerW;
  let t = hold;
  let x = uav.startX;
  let y = uav.startY;
  const path: Waypoint[] = [{ t: 0, x, y }, { t: hold, x, y }];
  let flightM = 0;
  let uploadS = 0;
  let waitS = 0;
  const uploads: UavCollection['uploads'][number][] = [];
  for (const m of visits) {
    const u = users[m]!;
    const d = Math.hypot(u.x - x, u.y - y);
    flightM += d;
    t += d / v;
    x = u.x;
    y = u.y;
    path.push({ t, x, y });
    if (u.requestS > t) {
      waitS += u.requestS - t;
      t = u.requestS;
    }
    const dt = u.bits / userRateBps(p, 1, 0);
    uploads.push({ user: m, startS: t, endS: t + dt, share: 1 });
    uploadS += dt;
    t += dt;
    path.push({ t, x, y });
  }
  const ret = Math.hypot(uav.startX - x, uav.startY - y);
  const c: UavCollection = {
    visits,
    holdS: hold,
    flightM,
    flightS: flightM / v,
    uploadS,
    requestWaitS: waitS,
    collectDoneS: t,
    poolPosition: { x, y },
    flightJ: (pf * flightM) / v,
    returnFlightJ: (pf * ret) / v,
    collectHoverJ: ph * (uploadS + waitS + hold),
    uploads,
  };
  return { c, path };
}

function positionAt(path: readonly Waypoint[], t: number): [number, number] {
  if (t <= path[0]!.t) return [path[0]!.x, path[0]!.y];
  for (let k = 1; k < path.length; k++) {
    const b = path[k]!;
    if (t <= b.t) {
      const a = path[k - 1]!;
      const f = b.t > a.t ? (t - a.t) / (b.t - a.t) : 1;
      return [a.x + f * (b.x - a.x), a.y + f * (b.y - a.y)];
    }
  }
  const last = path[path.length - 1]!;
  return [last.x, last.y];
}

function minSeparation(paths: readonly Waypoint[][], step: number): { d: number; pair: [number, number] } {
  let best = { d: Infinity, pair: [0, 0] as [number, number] };
  const end = Math.max(...paths.map((p) => p[p.length - 1]!.t));
  for (let t = 0; t <= end + step; t += step) {
    const pos = paths.map((p) => positionAt(p, t));
    for (let a = 0; a < pos.length; a++)
      for (let b = a + 1; b < pos.length; b++) {
        const d = Math.hypot(pos[a]![0] - pos[b]![0], pos[a]![1] - pos[b]![1]);
        if (d < best.d) best = { d, pair: [a, b] };
      }
  }
  return best;
}

export function planCollection(
  uavs: readonly UavSpec[],
  users: readonly UserLoad[],
  visits: readonly (readonly number[])[],
  p: PoolParams,
  opts: { sepStepS?: number; holdS?: number; maxHolds?: number } = {},
): CollectionPlan {
  const step = opts.sepStepS ?? 1;
  const holdStep = opts.holdS ?? 5;
  const holds = uavs.map(() => 0);
  let sims = uavs.map((u, n) => simulate(u, users, visits[n]!, p, holds[n]!));
  let sep = uavs.length > 1 ? minSeparation(sims.map((s) => s.path), step) : { d: Infinity, pair: [0, 0] as [number, number] };
  for (let k = 0; k < (opts.maxHolds ?? 20) && sep.d < p.dMinM; k++) {
    const n = sep.pair[1];
    holds[n] = holds[n]! + holdStep;
    sims = uavs.map((u, i) => simulate(u, users, visits[i]!, p, holds[i]!));
    sep = minSeparation(sims.map((s) => s.path), step);
  }
  const perUav = sims.map((s) => s.c);
  return { perUav, poolStartS: Math.max(0, ...perUav.map((c) => c.collectDoneS)), minSeparationM: sep.d };
}
