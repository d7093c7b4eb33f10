/**
 * Balancing the fleet between shards (issue 19 §3). A shard plans only the UAVs over its region,
 * so UAVs must follow the users: at each planning instant every shard works out each region's
 * quota of the fleet — proportional to the region's task requests, largest remainder, from its own
 * requests and the other shards' pictures — and a shard above its quota sends the UAVs nearest to
 * a short region there (a transit plan: GOTO over that region's users, no tasks). The UAV stays
 * the sender's until it crosses the border (state.ts `routeTwin` → Handover).
 *
 * Where this departs from SPEC §5.1's single-controller optimum: the joint problem places every
 * UAV over all users and lets any UAV serve (or relay for) any user; here a user near a border can
 * only be served by the UAVs of its own region, and a UAV in transit serves nobody.
 */
import { slotPlanBody, type PlanBody } from '../slot/index.ts';
import { FlightMode } from '../../../proto/index.ts';
import { regionCentre } from './regions.ts';
import type { ShardState } from './state.ts';

/** Quotas per shard (index = shard − 1) for `uavs` UAVs, proportional to `users` (largest remainder; ties to the lower shard). */
export function quotas(users: readonly number[], uavs: number): number[] {
  const total = users.reduce((a, b) => a + b, 0);
  if (total === 0) return users.map(() => 0);
  const exact = users.map((u) => (u * uavs) / total);
  const q = exact.map(Math.floor);
  const order = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let left = uavs - q.reduce((a, b) => a + b, 0), j = 0; left > 0; left--, j++) q[order[j % order.length]!.i]!++;
  return q;
}

export interface Transit {
  uavId: number;
  to: number;
  /** Where it flies: over the destination's users (their centroid), else the middle of its region. */
  target: [number, number];
}

/**
 * The planning instant of slot `slot` with this region's task requests `userXY`: records the
 * region's demand (for the picture), starts new transits where this shard is above its quota,
 * and returns every transit in progress (new ones in `started`: the core must drop them).
 */
export function balance(st: ShardState, slot: number, userXY: readonly [number, number][]): { transits: Transit[]; started: number[] } {
  st.users = { count: userXY.length, centroid: centroid(userXY), slot: slot + 1 };
  const n = st.cfg.regions.length;
  const self = st.cfg.shard;
  const started: number[] = [];
  // Demand is known once every other shard has reported a planned slot.
  const peers = [...st.peers.values()];
  if (peers.length === n - 1 && peers.every((p) => p.usersSlot > 0) && st.known.size > 0) {
    const users = Array.from({ length: n }, (_, i) => (i + 1 === self ? userXY.length : (st.peers.get(i + 1)?.users ?? 0)));
    const q = quotas(users, st.known.size);
    let surplus = st.owned.size - st.transit.size - q[self - 1]!;
    const deficits = peers
      .map((p) => ({ p, need: q[p.shard - 1]! - p.owned.length - inbound(st, p.shard, p.slot) }))
      .filter((d) => d.need > 0)
      .sort((a, b) => b.need - a.need || a.p.shard - b.p.shard);
    for (const d of deficits) {
      for (; surplus > 0 && d.need > 0; surplus--, d.need--) {
        const u = nearestTo(st, d.p.shard);
        if (u === undefined) break;
        st.transit.set(u, d.p.shard);
        started.push(u);
      }
    }
  }
  const transits = [...st.transit].sort((a, b) => a[0] - b[0]).map(([uavId, to]) => ({ uavId, to, target: targetIn(st, to) }));
  return { transits, started };
}

/** UAVs on their way to `shard`, or handed to it since its picture of `since` (not yet in that picture). */
function inbound(st: ShardState, shard: number, since: number): number {
  return [...st.transit.values()].filter((t) => t === shard).length + st.sent.filter((h) => h.to === shard && h.slot >= since).length;
}

/** The owned UAV not in transit closest to `shard`'s region (lowest id on a tie). */
function nearestTo(st: ShardState, shard: number): number | undefined {
  const r = st.cfg.regions[shard - 1]!;
  let best: { u: number; d: number } | undefined;
  for (const u of [...st.owned].sort((a, b) => a - b)) {
    if (st.transit.has(u)) continue;
    const x = st.lastTwin.get(u)?.position?.x_east_m;
    if (x === undefined) continue;
    const d = x < r.xMinM ? r.xMinM - x : x >= r.xMaxM ? x - r.xMaxM : 0;
    if (!best || d < best.d) best = { u, d };
  }
  return best?.u;
}

/** Over the destination's users, at least twice the margin inside its border (so the UAV does cross). */
function targetIn(st: ShardState, shard: number): [number, number] {
  const r = st.cfg.regions[shard - 1]!;
  const [x, y] = st.peers.get(shard)?.centroid ?? regionCentre(r, st.cfg.areaM);
  const m = 2 * (st.cfg.marginM ?? 5);
  const lo = shard > 1 ? r.xMinM + m : -Infinity;
  const hi = shard < st.cfg.regions.length ? r.xMaxM - m : Infinity;
  return [Math.min(hi, Math.max(lo, x)), y];
}

function centroid(xy: readonly [number, number][]): [number, number] | undefined {
  if (xy.length === 0) return undefined;
  return [xy.reduce((a, p) => a + p[0], 0) / xy.length, xy.reduce((a, p) => a + p[1], 0) / xy.length];
}

/** A transit plan: fly over the destination region's users, carry no tasks (valid `validSlots` slots). */
export function transitPlan(t: Transit, o: { slot: number; nowUs: number; slotS: number; validSlots: number; altM: number; speedMS: number }): PlanBody {
  const flight = { mode: FlightMode.FLIGHT_MODE_GOTO, target: { x_east_m: t.target[0], y_north_m: t.target[1], alt_m: o.altM }, speed_m_s: o.speedMS };
  return slotPlanBody({ slot: o.slot, validSlots: o.validSlots, slotS: o.slotS, planner: 'shard-transit' }, t.uavId, Math.round(o.nowUs), flight, { assignments: new Map() });
}
