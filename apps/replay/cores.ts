/**
 * Runs that several planning cores planned — sharded controllers (one core per strip of the area)
 * and failover (one core per leader tenure: a standby's core, warm from the bus, takes over under
 * the next epoch) — replayed core by core. Every PlanningInputs names its core (`core_id`,
 * `leader_epoch`); `coreStreams` splits a recording's by core (redelivered copies dropped), and
 * `replayCores` drives one fresh core per stream (core-replay.ts: its standby period and its
 * follow/release events included, so its twin and pending tasks are what the live core had) and
 * checks the plans of all cores together: every recorded slot or pool plan, by slot, UAV and
 * epoch, must be re-made byte for byte by exactly one core. Pure: recording in, report out.
 */
import type { PlanningInputs } from '../../proto/index.ts';
import type { CoreConfig } from '../controller/core/index.ts';
import type { PlanBody } from '../controller/slot/index.ts';
import { fail, ok, type Result } from '../../core/result.ts';
import { checkRounds, type CheckResult } from './check.ts';
import { runCore } from './core-replay.ts';
import { NON_SLOT_PLANNERS } from './inputs.ts';
import { POOL_PLANNER } from './pool-inputs.ts';
import type { RecordedPlan, RunRecording, Stamped } from './recording.ts';

/** Plans made outside the planning core: a shard's transit plans (its balance, apps/controller/shard). */
export const OUTSIDE_CORE_PLANNERS = new Set(['shard-transit']);

export interface CoreStream {
  /** PlanningInputs.core_id ('' for a recording's only controller). */
  id: string;
  epoch: number;
  inputs: Stamped<PlanningInputs>[];
}

/**
 * The recording's PlanningInputs by core (core_id, leader_epoch), each in header-seq order, in the
 * order the cores first planned. A copy of a step (same seq and content: a QoS 1 redelivery) is
 * dropped; two different steps with one seq under one name are two controllers the recording does
 * not tell apart (recorded before PlanningInputs named their core): refused.
 */
export function coreStreams(rec: RunRecording): Result<CoreStream[], 'unnamed_cores'> {
  const by = new Map<string, CoreStream & { seen: Map<number, string> }>();
  for (const s of rec.planningInputs) {
    const key = `${s.msg.core_id}\u0000${s.msg.leader_epoch}`;
    const g = by.get(key) ?? { id: s.msg.core_id, epoch: Number(s.msg.leader_epoch), inputs: [], seen: new Map<number, string>() };
    by.set(key, g);
    const seq = Number(s.msg.header?.seq ?? 0);
    const sig = `${s.msg.header?.t_us}:${s.msg.slot}:${s.msg.plan_t_us}:${s.msg.consumed.length}`;
    const prev = g.seen.get(seq);
    if (prev === sig) continue;
    if (prev !== undefined) {
      const who = g.id ? `core ${g.id}${g.epoch ? ` epoch ${g.epoch}` : ''}` : 'one unnamed controller';
      return fail('unnamed_cores', `two different planning steps with seq ${seq} from ${who}: several controllers planned it and its PlanningInputs do not say which (recorded before they carried core_id); replay cannot tell their cores apart`);
    }
    g.seen.set(seq, sig);
    g.inputs.push(s);
  }
  const streams = [...by.values()].map(({ seen: _seen, ...g }) => ({ ...g, inputs: g.inputs.sort((a, b) => Number(a.msg.header!.seq) - Number(b.msg.header!.seq)) }));
  return ok(streams.sort((a, b) => a.inputs[0]!.recvUs - b.inputs[0]!.recvUs || a.id.localeCompare(b.id)));
}

export interface CoreSummary {
  id: string;
  epoch: number;
  /** Planning steps replayed (the close after the last slot included), and the slots planned. */
  steps: number;
  slots: [number, number] | undefined;
  /** Plans this core re-made, and how many equal the recorded ones byte for byte. */
  compared: number;
  identical: number;
  closed: boolean;
  /**
   * A core that stopped (a killed leader) whose last step's PlanningInputs reached the recording
   * but none of that step's plans did: it died between the two publishes. Those plans are listed
   * here, not compared; any plan of the step that was recorded makes the step compared as usual.
   */
  unpublished?: { slot: number; plans: number };
}

export interface CoresReplay {
  cores: CoreSummary[];
  /** All cores' slot plans against every recorded slot plan; `pools` the same for pool rounds. */
  check: CheckResult;
  pools: CheckResult;
  /** Recorded plans made outside the core (not re-made), by planner. */
  outsideCore: Record<string, number>;
  /** (slot, UAV, epoch) re-made by more than one core. */
  conflicts: { slot: number; uavId: number; epoch: number; cores: string[] }[];
}

type Kind = 'slot' | 'pool';
const roundKey = (kind: Kind, slot: number, epoch: number) => `${kind}:${slot}:${epoch}`;

/** The recorded slot and pool plans by (kind, slot, epoch) and UAV; the first copy wins. */
function recordedRounds(rec: RunRecording, outsideCore: Record<string, number>): Map<string, { kind: Kind; slot: number; epoch: number; plans: Map<number, RecordedPlan> }> {
  const out = new Map<string, { kind: Kind; slot: number; epoch: number; plans: Map<number, RecordedPlan> }>();
  const counted = new Set<string>();
  for (const p of rec.plans) {
    const planner = p.msg.planner;
    if (NON_SLOT_PLANNERS.has(planner)) continue;
    if (OUTSIDE_CORE_PLANNERS.has(planner)) {
      const k = `${p.uavId}:${p.msg.plan_seq}`;
      if (!counted.has(k)) outsideCore[planner] = (outsideCore[planner] ?? 0) + 1;
      counted.add(k);
      continue;
    }
    const kind: Kind = planner === POOL_PLANNER ? 'pool' : 'slot';
    const epoch = Number(p.msg.leader_epoch ?? 0);
    const key = roundKey(kind, p.msg.slot, epoch);
    const r = out.get(key) ?? { kind, slot: p.msg.slot, epoch, plans: new Map<number, RecordedPlan>() };
    out.set(key, r);
    if (!r.plans.has(p.uavId)) r.plans.set(p.uavId, p);
  }
  return out;
}

/** Every core of the recording replayed; fails when a core consumed a message the recording lacks. */
export function replayCores(rec: RunRecording, cfg: CoreConfig, streams: readonly CoreStream[]): Result<CoresReplay, 'missing_input'> {
  const outsideCore: Record<string, number> = {};
  const recorded = recordedRounds(rec, outsideCore);
  const made = new Map<string, { kind: Kind; slot: number; plans: Map<number, PlanBody>; by: Map<number, string[]> }>();
  const cores: CoreSummary[] = [];
  const none = new Map<number, Map<number, RecordedPlan>>();
  for (const s of streams) {
    const name = s.id ? `${s.id}${s.epoch ? ` (epoch ${s.epoch})` : ''}` : 'controller';
    const r = runCore(rec, s.inputs, cfg, { slot: none, pool: none });
    if (!r.ok) return fail('missing_input', `${name}: ${r.detail ?? r.reason}`);
    // A leader's shell stamps its epoch on every plan (controller/service/publish.ts); the core leaves it out.
    if (s.epoch) for (const st of r.value.steps) for (const [uav, body] of st.replayed) st.replayed.set(uav, { ...body, leader_epoch: s.epoch });
    const { steps, unpublished } = unsentLastStep(r.value.steps, s, recorded, r.value.closed);
    const own = steps.map((st) => ({ slot: st.slot, replayed: st.replayed, recorded: pick(recorded.get(roundKey(st.kind, st.slot, s.epoch))?.plans, st.replayed), kind: st.kind }));
    const c = checkRounds(own, 'slot');
    const planned = steps.map((st) => st.slot);
    cores.push({
      id: s.id, epoch: s.epoch, steps: s.inputs.length, slots: planned.length ? [Math.min(...planned), Math.max(...planned)] : undefined, compared: c.compared, identical: c.identical, closed: r.value.closed,
      ...(unpublished ? { unpublished } : {}),
    });
    for (const st of steps) {
      const key = roundKey(st.kind, st.slot, s.epoch);
      const m = made.get(key) ?? { kind: st.kind, slot: st.slot, plans: new Map<number, PlanBody>(), by: new Map<number, string[]>() };
      made.set(key, m);
      for (const [uav, body] of st.replayed) {
        m.plans.set(uav, body);
        m.by.set(uav, [...(m.by.get(uav) ?? []), name]);
      }
    }
  }
  const conflicts = [...made.entries()].flatMap(([key, m]) => [...m.by].filter(([, by]) => by.length > 1).map(([uavId, by]) => ({ slot: m.slot, uavId, epoch: Number(key.split(':')[2]), cores: by })));
  const rounds = (kind: Kind) => [...new Set([...recorded.keys(), ...made.keys()])].filter((k) => k.startsWith(`${kind}:`))
    .map((k) => ({ slot: Number(k.split(':')[1]), epoch: Number(k.split(':')[2]), recorded: recorded.get(k)?.plans ?? new Map<number, RecordedPlan>(), replayed: made.get(k)?.plans ?? new Map<number, PlanBody>() }))
    .sort((a, b) => a.slot - b.slot || a.epoch - b.epoch);
  return ok({ cores, check: checkRounds(rounds('slot'), 'slot'), pools: checkRounds(rounds('pool'), 'pool'), outsideCore, conflicts });
}

type Step = { kind: Kind; slot: number; replayed: Map<number, PlanBody> };

/** A stopped core's last step whose plans never reached the recording (see `CoreSummary.unpublished`), set apart. */
function unsentLastStep<S extends Step>(steps: S[], s: CoreStream, recorded: ReturnType<typeof recordedRounds>, closed: boolean): { steps: S[]; unpublished?: { slot: number; plans: number } } {
  const slot = s.inputs.at(-1)?.msg.slot;
  if (closed || slot === undefined) return { steps };
  const last = steps.filter((st) => st.slot === slot);
  const plans = last.reduce((n, st) => n + st.replayed.size, 0);
  const anyRecorded = last.some((st) => [...st.replayed.keys()].some((u) => recorded.get(roundKey(st.kind, st.slot, s.epoch))?.plans.has(u)));
  if (plans === 0 || anyRecorded) return { steps };
  return { steps: steps.filter((st) => st.slot !== slot), unpublished: { slot, plans } };
}

/** The recorded plans of the UAVs a core re-made (another core's UAVs in the same round are not its own). */
function pick(rec: Map<number, RecordedPlan> | undefined, replayed: Map<number, PlanBody>): Map<number, RecordedPlan> {
  const out = new Map<number, RecordedPlan>();
  for (const uav of replayed.keys()) {
    const p = rec?.get(uav);
    if (p) out.set(uav, p);
  }
  return out;
}
