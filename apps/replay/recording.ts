/**
 * A recorded run, decoded: the MQTT recording (`mqtt.rec`) split into the typed streams the
 * controller consumed (twin states, task requests, acks, completions, events) and what it
 * published (plans, fleet states), each with the recorder's receive time; plus the run's
 * summary.json (scenario and measured metrics). `parseRecording` is pure; `loadRun` reads files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { decode, matchTopic, type Event, type FleetState, type Health, type MessageName, type Plan, type PlanAck, type PlanningInputs, type TaskCompletion, type TaskRequest, type TwinState } from '../../proto/index.ts';
import type { MessageEvent } from '../controller/core/index.ts';
import type { RecordedMessage } from '../common/recorder.ts';
import { readRecording } from '../common/recorder.ts';
import type { MissionSummary } from '../mission/summary.ts';
import { fail, ok, type Result } from '../../core/result.ts';

export interface Stamped<T> {
  /** Recorder receive time, µs of the mission clock. */
  recvUs: number;
  /** Index in the recording (ties on recvUs keep this order). */
  index: number;
  msg: T;
}

export interface RecordedPlan extends Stamped<Plan> {
  uavId: number;
  /** The payload exactly as published. */
  payload: Uint8Array;
}

export interface RunRecording {
  twins: Stamped<TwinState>[];
  tasks: Stamped<TaskRequest>[];
  acks: Stamped<PlanAck>[];
  completions: Stamped<TaskCompletion>[];
  events: Stamped<Event & { uavId: number }>[];
  /** The controller's own events (e.g. its planning inputs, `PLANNING_INPUTS_CODE`). */
  controllerEvents: Stamped<Event>[];
  plans: RecordedPlan[];
  fleet: Stamped<FleetState>[];
  /** The controller core's inputs per planning step (replayed through the core: core-replay.ts). */
  planningInputs: Stamped<PlanningInputs>[];
  /**
   * The messages a controller core consumes (twin states, task requests, acks, completions), by
   * `refKey(topic, sender, seq)`: what a PlanningInputs entry names. The first copy wins.
   */
  byRef: Map<string, { kind: MessageEvent['kind']; topic: string; msg: MessageEvent['msg'] }>;
  /** Agents' health reports (link states, outbox depth, drops), by topic UAV. */
  health?: Stamped<Health & { uavId: number }>[];
  /** Messages the controller's bus would have dropped (undecodable/invalid), by topic key. */
  rejected: Record<string, number>;
  truncated: boolean;
}

export interface RunFolder {
  dir: string;
  recording: RunRecording;
  summary: MissionSummary;
}

/** Splits recorded messages by topic; invalid ones are counted and left out, as the controller's bus drops them. */
export function parseRecording(messages: readonly RecordedMessage[], truncated = false): RunRecording {
  const r: RunRecording = { twins: [], tasks: [], acks: [], completions: [], events: [], controllerEvents: [], plans: [], fleet: [], health: [], planningInputs: [], byRef: new Map(), rejected: {}, truncated };
  messages.forEach((m, index) => {
    const t = matchTopic(m.topic);
    if (!t) return;
    const d = decode(t.spec.type as MessageName, m.payload);
    if (!d.ok) {
      r.rejected[t.spec.key] = (r.rejected[t.spec.key] ?? 0) + 1;
      return;
    }
    const base = { recvUs: m.recv_t_us, index };
    const uav = t.params.uav ?? 0;
    const kind = CORE_INPUT_KINDS[t.spec.key];
    if (kind) {
      const h = (d.value as { header?: { sender: string; seq: number } }).header!;
      const key = refKey(m.topic, h.sender, h.seq);
      if (!r.byRef.has(key)) r.byRef.set(key, { kind, topic: m.topic, msg: d.value as MessageEvent['msg'] });
    }
    switch (t.spec.key) {
      case 'twin': {
        const msg = d.value as TwinState;
        // The controller ignores twin states published under another UAV's topic.
        if (msg.uav_id === uav) r.twins.push({ ...base, msg });
        break;
      }
      case 'task': r.tasks.push({ ...base, msg: d.value as TaskRequest }); break;
      case 'ack': r.acks.push({ ...base, msg: d.value as PlanAck }); break;
      case 'uavCompletion':
      case 'userCompletion': r.completions.push({ ...base, msg: d.value as TaskCompletion }); break;
      case 'uavEvent': r.events.push({ ...base, msg: { ...(d.value as Event), uavId: uav } }); break;
      case 'controllerEvent': r.controllerEvents.push({ ...base, msg: d.value as Event }); break;
      case 'plan': r.plans.push({ ...base, msg: d.value as Plan, uavId: uav, payload: m.payload }); break;
      case 'fleet': r.fleet.push({ ...base, msg: d.value as FleetState }); break;
      case 'planningInputs': r.planningInputs.push({ ...base, msg: d.value as PlanningInputs }); break;
      case 'health': r.health!.push({ ...base, msg: { ...(d.value as Health), uavId: uav } }); break;
      default: break;
    }
  });
  return r;
}

/** Which core input each topic's messages are (apps/controller/core/inputs.ts). */
const CORE_INPUT_KINDS: Partial<Record<string, MessageEvent['kind']>> = { twin: 'twin', task: 'task', ack: 'ack', uavCompletion: 'completion', userCompletion: 'completion' };

/** How a PlanningInputs entry names a message: topic, header sender and seq. */
export const refKey = (topic: string, sender: string, seq: number): string => `${topic}\u0000${sender}\u0000${seq}`;

/**
 * Reads a run folder (summary.json + mqtt.rec). A recording that is cut short or corrupt — a
 * partial or undecodable record, or fewer records than the summary counted — is refused: a replay
 * of part of a mission would report part of its plans as if they were all.
 */
export function loadRun(dir: string): Result<RunFolder, 'not_found' | 'bad_summary' | 'bad_recording'> {
  const rec = path.join(dir, 'mqtt.rec');
  const sum = path.join(dir, 'summary.json');
  if (!fs.existsSync(rec)) return fail('not_found', `${rec} does not exist`);
  if (!fs.existsSync(sum)) return fail('not_found', `${sum} does not exist (the run did not finish?)`);
  let summary: MissionSummary;
  try {
    summary = JSON.parse(fs.readFileSync(sum, 'utf8')) as MissionSummary;
  } catch (e) {
    return fail('bad_summary', `${sum}: ${(e as Error).message}`);
  }
  const { messages, truncated, problem } = readRecording(rec);
  if (truncated) return fail('bad_recording', `${rec} is truncated or corrupt (${problem}); ${messages.length} records read before it. Replay needs the whole recording`);
  const counted = summary.recording?.messages;
  if (typeof counted === 'number' && messages.length < counted) {
    return fail('bad_recording', `${rec} holds ${messages.length} records but the run recorded ${counted} (summary.json): it was cut short. Replay needs the whole recording`);
  }
  if (messages.length === 0) return fail('bad_recording', `${rec} holds no records`);
  return ok({ dir, recording: parseRecording(messages, false), summary });
}

/**
 * Why a run several controllers planned is refused when its PlanningInputs do not name their
 * cores (recorded before core_id): after a takeover the new leader plans from its own core — a
 * standby's twin warmed from the bus, its own pending tasks — and each shard from its own part,
 * so one input stream per core is needed, and such a recording does not say which step is whose.
 */
export const FAILOVER_WHY = 'several controllers planned it, each from its own core state, and its PlanningInputs do not say which core made which step (recorded before they carried core_id); replay needs one input stream per core';

/** `uavmec mission --controllers/--chaos` summaries (apps/mission/failover). */
const isFailoverSummary = (s: unknown): boolean => typeof s === 'object' && s !== null && 'chaos' in s && 'continuity' in s;

/**
 * Why the failover run in `dir` cannot be replayed (one recorded before failover missions kept a
 * recording), or undefined. Reads summary.json only.
 */
export function failoverRefusal(dir: string): string | undefined {
  try {
    const s: unknown = JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8'));
    if (isFailoverSummary(s) && !('recording' in (s as object))) return `${dir} is a failover run recorded before failover missions kept a recording (mqtt.rec): nothing to replay`;
  } catch {
    return undefined; // loadRun reports a missing or bad summary
  }
  return undefined;
}

/**
 * More than one controller planned the recorded mission: plans of several leadership epochs, or
 * planning inputs whose sequence restarts (a second controller process). Returns what was seen.
 */
export function severalControllers(r: RunRecording): string | undefined {
  const epochs = new Set(r.plans.map((p) => Number(p.msg.leader_epoch ?? 0)).filter((e) => e > 0));
  if (epochs.size > 1) return `${epochs.size} leadership epochs`;
  let last = 0;
  for (const pi of r.planningInputs) {
    const seq = Number(pi.msg.header?.seq ?? 0);
    if (seq <= last) return 'more than one controller (planning inputs restart at seq ' + seq + ')';
    last = seq;
  }
  return undefined;
}
