/**
 * The controller's live twin (SPEC §2): the same state and rules as the pure functions of twin.ts
 * (`applyTwinState`, `recordCompletion`), kept in one mutable map so that a report costs O(1).
 *
 * Why not the pure functions in the live path: at 1 000 UAVs × 5 Hz every entry lives for ~1 000
 * reports, long enough to be promoted out of V8's young generation, and a new entry per report
 * (plus the persistent map's copied path) is old-generation garbage — bench:telemetry's
 * "Twin update" section measures both side by side.
 *
 * Snapshots. Planning, the recorder and the replay want an immutable twin, and get one from
 * `snapshot()`: a copy of the map (O(n)), cached until the next write. An entry a snapshot holds is
 * never written again: the next report for that UAV makes a fresh entry (copy-on-write, once per UAV
 * per snapshot); entries made since the last snapshot are written in place. The controller takes a
 * snapshot about once per slot while a slot brings 5 · n · slot-s reports, so the copy costs O(1)
 * per report amortized. A reader that only copies what it needs at once (the 5 Hz fleet state)
 * uses `peek()`, which copies nothing.
 */
import type { TwinState } from '../../../proto/index.ts';
import { FIDELITY_ALPHA, NO_FIDELITY, nextFidelity, uavTwinOf, type CompletionSample, type Twin, type UavTwin } from './twin.ts';

export class TwinStore {
  private readonly live = new Map<number, UavTwin>();
  /** UAVs whose entry was made after the last snapshot: no snapshot holds it, so it may be written in place. */
  private readonly fresh = new Set<number>();
  private snap: Twin | undefined;

  /** The twin now, immutable: later reports do not change it. O(n) after a write, O(1) otherwise. */
  snapshot(): Twin {
    if (this.snap) return this.snap;
    this.fresh.clear();
    this.snap = new Map(this.live);
    return this.snap;
  }

  /**
   * The live entries, valid only until the next write: for a reader that copies what it needs at
   * once and keeps nothing (no snapshot is made, so the following reports stay in place).
   */
  peek(): Twin {
    return this.live;
  }

  get size(): number {
    return this.live.size;
  }

  /** `applyTwinState` in place: the UAV's entry from its report, its fidelity kept. */
  apply(m: TwinState, recvUs: number): void {
    const id = m.uav_id;
    const u = this.live.get(id);
    this.snap = undefined;
    if (u !== undefined && this.fresh.has(id)) return writeReport(u, m, recvUs);
    this.live.set(id, uavTwinOf(m, recvUs, u?.fidelity ?? NO_FIDELITY));
    this.fresh.add(id);
  }

  /** `recordCompletion` in place; unknown UAVs are ignored. */
  recordCompletion(uavId: number, sample: CompletionSample): void {
    const u = this.live.get(uavId);
    if (!u) return;
    this.snap = undefined;
    const fidelity = nextFidelity(u.fidelity, sample, FIDELITY_ALPHA);
    if (this.fresh.has(uavId)) u.fidelity = fidelity;
    else {
      this.live.set(uavId, { ...u, pos: copy(u.pos), vel: copy(u.vel), fidelity });
      this.fresh.add(uavId);
    }
  }

  /** Drops a UAV (a sharded controller letting it go); false if it was not in the twin. */
  release(uavId: number): boolean {
    if (!this.live.delete(uavId)) return false;
    this.fresh.delete(uavId);
    this.snap = undefined;
    return true;
  }
}

const copy = (v: [number, number, number] | undefined): [number, number, number] | undefined => (v === undefined ? undefined : [v[0], v[1], v[2]]);

/** `[x, y, z]`, written into `old` when there is one (an entry no snapshot holds owns its arrays). */
function into(old: [number, number, number] | undefined, x: number, y: number, z: number): [number, number, number] {
  if (old === undefined) return [x, y, z];
  old[0] = x;
  old[1] = y;
  old[2] = z;
  return old;
}

/** Writes a report into an entry no snapshot holds (the fields `uavTwinOf` sets, fidelity kept). */
function writeReport(u: UavTwin, m: TwinState, recvUs: number): void {
  const p = m.position;
  const v = m.velocity;
  u.pos = p === undefined ? undefined : into(u.pos, p.x_east_m, p.y_north_m, p.alt_m);
  u.vel = v === undefined ? undefined : into(u.vel, v.vx_east_m_s, v.vy_north_m_s, v.vz_up_m_s);
  u.batteryJ = m.battery_remaining_j;
  u.batteryPct = m.battery_pct;
  u.flightEnergyJ = m.flight_energy_used_j;
  u.computeEnergyJ = m.compute_energy_used_j;
  u.cpuHzAvailable = m.cpu_hz_available;
  u.cpuHzMeasured = m.cpu_hz_measured;
  u.bandwidthHz = m.bandwidth_hz;
  u.cacheBits = m.cache_bits_available;
  u.hoverPowerW = m.hover_power_w;
  u.flightState = m.flight_state;
  u.planSeq = m.plan_seq;
  u.autopilotLinkUp = m.autopilot_link_up;
  u.armed = m.armed;
  u.mode = m.autopilot_mode;
  u.reportedUs = recvUs;
}
