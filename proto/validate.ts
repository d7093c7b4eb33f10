/**
 * Semantic validation of decoded messages: the ranges and required fields that the `.proto`
 * comments promise. Returns a reason naming the field, or undefined when the message is valid.
 */
import type { Messages, Position, RicianChannel, Velocity, VideoPlan } from './gen/types.ts';
import { validateUavProfile } from './validate-profile.ts';

type Check = (m: never) => string | undefined;

const finite = (v: number) => Number.isFinite(v);

function position(p: Position | undefined, field: string, required: boolean): string | undefined {
  if (!p) return required ? `${field} missing` : undefined;
  // Straight-line (no key list): this runs on every twin state the controller receives (issue 20).
  if (inRange(p.x_east_m, 1e6) && inRange(p.y_north_m, 1e6) && inRange(p.alt_m, 1e6)) return undefined;
  for (const k of ['x_east_m', 'y_north_m', 'alt_m'] as const) {
    if (!finite(p[k])) return `${field}.${k} not finite`;
    if (Math.abs(p[k]) > 1e6) return `${field}.${k} out of range (|v| > 1000 km)`;
  }
  return undefined;
}

/** |v| ≤ limit (false for NaN and ±∞). */
const inRange = (v: number, limit: number) => v >= -limit && v <= limit;

function velocity(v: Velocity | undefined, field: string): string | undefined {
  if (!v || (inRange(v.vx_east_m_s, 200) && inRange(v.vy_north_m_s, 200) && inRange(v.vz_up_m_s, 200))) return undefined;
  for (const k of ['vx_east_m_s', 'vy_north_m_s', 'vz_up_m_s'] as const) {
    if (!inRange(v[k], 200)) return `${field}.${k} out of range (|v| > 200 m/s)`;
  }
  return undefined;
}

function positive(m: Record<string, unknown>, fields: string[]): string | undefined {
  for (const f of fields) {
    const v = m[f];
    if (typeof v !== 'number' || !(v > 0) || !finite(v)) return `${f} must be > 0`;
  }
  return undefined;
}

function nonNegative(m: Record<string, unknown>, fields: string[]): string | undefined {
  for (const f of fields) {
    const v = m[f];
    if (typeof v === 'number' && (!(v >= 0) || !finite(v))) return `${f} must be ≥ 0`;
  }
  return undefined;
}

function rician(c: RicianChannel | undefined, field: string): string | undefined {
  if (!c) return `${field} missing`;
  if (!(c.beta0 > 0 && c.path_loss_exponent > 0 && c.rician_factor >= 0 && finite(c.noise_dbm))) return `${field}: beta0 and path_loss_exponent must be > 0, rician_factor ≥ 0, noise_dbm finite`;
  return undefined;
}

function videoPlan(v: VideoPlan): string | undefined {
  const r = positive(v as unknown as Record<string, unknown>, ['cpu_hz', 'transcode_level_mbps', 'source_mbps', 'transcode_m1', 'kappa']) ??
    nonNegative(v as unknown as Record<string, unknown>, ['price_per_ghz', 'transcode_s1', 'transcode_y1']);
  if (r || v.shares.length === 0) return r;
  const c = rician(v.uplink, 'uplink');
  if (c) return c;
  for (const [i, s] of v.shares.entries()) {
    const e = (s.task_id > 0 ? undefined : 'task_id must be > 0') ?? id(s.user_id, 'user_id') ?? position(s.user_position, 'user_position', true) ??
      positive(s as unknown as Record<string, unknown>, ['share_bits', 'cycles_per_bit', 'uplink_bandwidth_hz', 'tx_power_w', 'local_cpu_hz']);
    if (e) return `shares[${i}].${e}`;
  }
  return undefined;
}

const id = (v: number, field: string) => (v >= 1 ? undefined : `${field} must be ≥ 1`);

/** S0 coalition share (SPEC §5.2): the fields an agent needs to receive and compute it. */
function coalitionShare(c: Messages['Plan']['shares'][number]): string | undefined {
  return (
    (c.task_id > 0 ? undefined : 'task_id must be > 0') ??
    id(c.user_id, 'user_id') ??
    position(c.user_position, 'user_position', true) ??
    positive(c as unknown as Record<string, unknown>, ['share_bits', 'cycles_per_bit', 'bandwidth_hz', 'cpu_hz', 'tx_power_w', 'noise_w', 'path_loss_exponent', 'deadline_s']) ??
    nonNegative(c as unknown as Record<string, unknown>, ['fading_gain', 'predicted_uplink_s', 'predicted_compute_s', 'predicted_delay_s', 'kappa']) ??
    (finite(c.participant_utility) ? undefined : 'participant_utility not finite') ??
    (c.coalition_uav_ids.length > 0 && c.coalition_uav_ids.every((u) => u >= 1) ? undefined : 'coalition_uav_ids must be non-empty ids ≥ 1')
  );
}

/** Finite and ≥ 0, or unset (optional fields). */
const amount = (v: number | undefined) => v === undefined || (v >= 0 && v < Infinity);
const TWIN_AMOUNTS = [
  'battery_remaining_j', 'flight_energy_used_j', 'compute_energy_used_j', 'cpu_hz_available',
  'cpu_hz_measured', 'bandwidth_hz', 'cache_bits_available', 'hover_power_w',
] as const;

/** TwinState's amounts (≥ 0): straight-line for the common case, the generic check to name the field. */
function twinAmounts(m: Messages['TwinState']): string | undefined {
  if (
    amount(m.battery_remaining_j) && amount(m.flight_energy_used_j) && amount(m.compute_energy_used_j) && amount(m.cpu_hz_available) &&
    amount(m.cpu_hz_measured) && amount(m.bandwidth_hz) && amount(m.cache_bits_available) && amount(m.hover_power_w)
  ) return undefined;
  return nonNegative(m as unknown as Record<string, unknown>, TWIN_AMOUNTS as unknown as string[]);
}

const checks: { [N in keyof Messages]?: (m: Messages[N]) => string | undefined } = {
  TwinState: (m) =>
    id(m.uav_id, 'uav_id') ??
    position(m.position, 'position', false) ??
    velocity(m.velocity, 'velocity') ??
    twinAmounts(m) ??
    (m.battery_pct !== undefined && !(m.battery_pct >= 0 && m.battery_pct <= 100) ? 'battery_pct must be 0–100' : undefined),
  FleetState: (m) => {
    if (!(m.slot_s > 0)) return 'slot_s must be > 0';
    if (m.results_ready_t_us.length !== m.results_ready.length) return 'results_ready_t_us not index-aligned with results_ready';
    for (const [i, f] of m.members.entries()) {
      const r = id(f.uav_id, `members[${i}].uav_id`) ?? position(f.position, `members[${i}].position`, true) ?? velocity(f.velocity, `members[${i}].velocity`);
      if (r) return r;
    }
    return undefined;
  },
  TaskRequest: (m) => {
    const r =
      (m.task_id > 0 ? undefined : 'task_id must be > 0') ??
      id(m.user_id, 'user_id') ??
      position(m.user_position, 'user_position', true) ??
      positive(m as unknown as Record<string, unknown>, ['data_bits', 'cycles_per_bit', 'local_cpu_hz', 'tx_power_w']) ??
      nonNegative(m as unknown as Record<string, unknown>, ['deadline_s']);
    if (r) return r;
    const ids = new Set<string>();
    for (const [i, s] of m.subtasks.entries()) {
      if (s.id === '') return `subtasks[${i}].id empty`;
      if (ids.has(s.id)) return `subtasks[${i}].id '${s.id}' repeated`;
      ids.add(s.id);
      const e = positive(s as unknown as Record<string, unknown>, ['cycles']) ?? nonNegative(s as unknown as Record<string, unknown>, ['input_bits', 'output_bits']);
      if (e) return `subtasks[${i}].${e}`;
    }
    for (const [i, e] of m.edges.entries()) {
      if (!ids.has(e.from) || !ids.has(e.to)) return `edges[${i}] references an unknown subtask`;
      if (e.from === e.to) return `edges[${i}] is a self-loop`;
    }
    for (const [i, g] of m.channel_gains.entries()) {
      const e = id(g.uav_id, 'uav_id') ?? positive(g as unknown as Record<string, unknown>, ['fading_gain']);
      if (e) return `channel_gains[${i}].${e}`;
    }
    return undefined;
  },
  TaskCompletion: (m) =>
    (m.task_id > 0 ? undefined : 'task_id must be > 0') ??
    id(m.user_id, 'user_id') ??
    (m.site === 0 ? 'site unspecified' : undefined) ??
    (m.site === 2 ? id(m.uav_id, 'uav_id') : undefined) ??
    (m.site === 3 ? id(m.helper_user_id, 'helper_user_id') : undefined) ??
    (m.done_t_us >= m.release_t_us ? undefined : 'done_t_us before release_t_us') ??
    (m.site === 2 && m.part_bits > 0 ? undefined : positive(m as unknown as Record<string, unknown>, ['local_s'])) ??
    nonNegative(m as unknown as Record<string, unknown>, ['uplink_s', 'relay_s', 'compute_s', 'predicted_s', 'compute_energy_j', 'part_bits', 'tx_energy_j', 'transcode_level_mbps', 'transcode_energy_j', 'local_s']),
  Plan: (m) => {
    const r =
      id(m.uav_id, 'uav_id') ??
      (m.plan_seq > 0 ? undefined : 'plan_seq must be > 0') ??
      (m.expires_t_us > m.valid_from_t_us ? undefined : 'expires_t_us must be after valid_from_t_us') ??
      (m.flight ? undefined : 'flight missing');
    if (r || !m.flight) return r;
    const f = m.flight;
    if (f.mode === 0) return 'flight.mode unspecified';
    if (f.mode === 1) {
      const e = position(f.target, 'flight.target', true);
      if (e) return e;
    }
    if (f.mode === 2 && f.waypoints.length === 0) return 'flight.waypoints empty';
    for (const [i, w] of f.waypoints.entries()) {
      const e = position(w, `flight.waypoints[${i}]`, true);
      if (e) return e;
    }
    if (!(f.speed_m_s >= 0 && f.speed_m_s <= 100)) return 'flight.speed_m_s must be 0–100';
    for (const [i, a] of m.assignments.entries()) {
      const e =
        (a.task_id > 0 ? undefined : 'task_id must be > 0') ??
        id(a.access_uav_id, 'access_uav_id') ??
        id(a.exec_uav_id, 'exec_uav_id') ??
        position(a.user_position, 'user_position', true) ??
        positive(a as unknown as Record<string, unknown>, ['data_bits', 'cycles', 'bandwidth_hz', 'cpu_hz', 'local_s']);
      if (e) return `assignments[${i}].${e}`;
    }
    const v = m.video ? videoPlan(m.video) : undefined;
    if (v) return `video.${v}`;
    for (const [i, s] of m.schedule.entries()) {
      if (s.predecessor_ids.length !== s.predecessor_uav_ids.length) return `schedule[${i}] predecessor lists differ in length`;
      for (const [k, l] of [['predecessor_ready_s', s.predecessor_ready_s], ['predecessor_output_bits', s.predecessor_output_bits]] as const) {
        if (l.length > 0 && l.length !== s.predecessor_ids.length) return `schedule[${i}].${k} not index-aligned with predecessor_ids`;
        if (l.some((v) => !(v >= 0) || !Number.isFinite(v))) return `schedule[${i}].${k} must be finite and ≥ 0`;
      }
      const e = positive(s as unknown as Record<string, unknown>, ['cycles', 'cpu_hz']) ?? nonNegative(s as unknown as Record<string, unknown>, ['start_s', 'output_bits', 'end_s']);
      if (e) return `schedule[${i}].${e}`;
    }
    for (const [i, c] of m.shares.entries()) {
      const e = coalitionShare(c);
      if (e) return `shares[${i}].${e}`;
    }
    if (m.energy_saving && m.shares.length > 0) return 'energy_saving with shares: a UAV in energy-saving mode computes nothing';
    return undefined;
  },
  CoalitionSlotInputs: (m) =>
    (m.plan_t_us > 0 ? undefined : 'plan_t_us must be > 0') ??
    (m.planner === '' ? 'planner empty' : undefined) ??
    m.uavs.map((u, i) => id(u.uav_id, `uavs[${i}].uav_id`) ?? (u.compute_ratio > 0 && finite(u.compute_ratio) ? undefined : `uavs[${i}].compute_ratio must be > 0`)).find(Boolean) ??
    m.warm_starts.flatMap((w, i) => w.groups.map((g, k) => (g.uav_ids.length > 0 && g.uav_ids.every((u) => u >= 1) ? undefined : `warm_starts[${i}].groups[${k}].uav_ids must be non-empty ids ≥ 1`))).find(Boolean),
  ComputeOffer: (m) => id(m.user_id, 'user_id') ?? position(m.position, 'position', true) ?? positive(m as unknown as Record<string, unknown>, ['cpu_hz_max']),
  DevicePlan: (m) => {
    const r = id(m.user_id, 'user_id') ?? (m.role === 0 ? 'role unspecified' : undefined) ?? positive(m as unknown as Record<string, unknown>, ['cpu_hz', 'kappa']) ??
      nonNegative(m as unknown as Record<string, unknown>, ['ratio_uav', 'ratio_d2d', 'ratio_local', 'price_per_ghz', 'd2d_bandwidth_hz', 'tx_power_w']);
    if (r || m.role !== 1) return r;
    if (!(m.task_id > 0)) return 'task_id must be > 0 for a busy device';
    if (Math.abs(m.ratio_uav + m.ratio_d2d + m.ratio_local - 1) > 1e-6) return 'ratio_uav + ratio_d2d + ratio_local must be 1';
    if (m.ratio_uav > 0 && !(m.access_uav_id >= 1)) return 'access_uav_id must be ≥ 1 with ratio_uav > 0';
    if (m.ratio_d2d > 0 && !(m.partner_user_id >= 1 && m.d2d_bandwidth_hz > 0 && m.tx_power_w > 0)) return 'a D2D part needs partner_user_id, d2d_bandwidth_hz and tx_power_w';
    if (m.ratio_d2d > 0) return rician(m.d2d, 'd2d');
    return undefined;
  },
  VideoSlot: (m) => (m.observation.every(finite) && m.action.every(finite) ? undefined : 'observation and action must be finite'),
  PlanAck: (m) => id(m.uav_id, 'uav_id') ?? (m.plan_seq > 0 ? undefined : 'plan_seq must be > 0') ?? (m.accepted || m.reason !== 0 ? undefined : 'a nack needs a reason'),
  Event: (m) => (m.code === '' ? 'code empty' : undefined),
  PlanningInputs: (m) => {
    if (!(m.slot_start_t_us > 0) || !(m.plan_t_us > 0)) return 'slot_start_t_us and plan_t_us must be > 0';
    if (m.plan_t_us < m.slot_start_t_us) return 'plan_t_us before slot_start_t_us';
    if (m.consumed_before_start > m.consumed.length) return 'consumed_before_start > consumed';
    for (const [i, c] of m.consumed.entries()) if (c.topic === '' || !(c.seq > 0) || !(c.recv_t_us > 0)) return `consumed[${i}] needs topic, seq > 0 and recv_t_us > 0`;
    for (const [i, e] of m.controls.entries()) {
      if (e.kind === 0 || !(e.t_us > 0) || e.after_consumed > m.consumed.length) return `controls[${i}] needs a kind, t_us > 0 and after_consumed ≤ consumed`;
      if (e.kind === 2 && !(e.uav_id >= 1)) return `controls[${i}]: a release needs uav_id ≥ 1`;
    }
    return undefined;
  },
  Health: (m) => id(m.uav_id, 'uav_id'),
  UavProfile: validateUavProfile,
  AgentPresence: (m) => id(m.uav_id, 'uav_id') ?? (m.instance === '' ? 'instance empty' : undefined),
  LeaderRecord: (m) => {
    if (m.controller_id === '') return 'controller_id empty';
    if (m.state === 0) return 'state unspecified';
    if (m.state === 1 && !(m.epoch >= 1)) return 'a LEADING record needs epoch ≥ 1';
    if (m.state === 1 && !(m.slot_s > 0 && finite(m.slot_s))) return 'a LEADING record needs slot_s > 0';
    return undefined;
  },
  ShardPicture: (m) => {
    if (!(m.shard >= 1 && m.shard <= m.shards)) return 'shard must lie in 1..shards';
    if (!(finite(m.x_east_min_m) && finite(m.x_east_max_m) && m.x_east_min_m < m.x_east_max_m)) return 'region needs x_east_min_m < x_east_max_m';
    return undefined;
  },
  Handover: (m) => {
    if (!(m.from_shard >= 1 && m.to_shard >= 1 && m.from_shard !== m.to_shard)) return 'from_shard and to_shard must be different shards ≥ 1';
    if (!m.twin) return 'twin missing';
    if (m.twin.uav_id !== m.uav_id) return 'twin is another UAV\'s';
    return id(m.uav_id, 'uav_id');
  },
};

export function validateMessage<N extends keyof Messages>(name: N, m: Messages[N]): string | undefined {
  const check = checks[name] as Check | undefined;
  return check ? check(m as never) : undefined;
}
