/**
 * A recorded run, decoded: the MQTT recording (`mqtt.rec`) split into the typed streams the
 * controller consumed (twin states, task requests, acks, completions, events) and what it
 * published (plans, fleet states), each with the recorder's receive time; plus the run's
 * summary.json (scenario and measured metrics). `parseRecording` is pure; `loadRun` reads files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { decode, matchTopic, type Event, type FleetState, type Health, type MessageName, type Plan, type PlanAck, type TaskCompletion, type TaskRequest, type TwinState } from '../../proto/index.ts';
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
  const r: RunRecording = { twins: [], tasks: [], acks: [], completions: [], events: [], controllerEvents: [], plans: [], fleet: [], health: [], rejected: {}, truncated };
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
      case 'health': r.health!.push({ ...base, msg: { ...(d.value as Health), uavId: uav } }); break;
      default: break;
    }
  });
  return r;
}

/** Reads a run folder (summary.json + mqtt.rec). */
export function loadRun(dir: string): Result<RunFolder, 'not_found' | 'bad_summary'> {
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
  const { messages, truncated } = readRecording(rec);
  return ok({ dir, recording: parseRecording(messages, truncated), summary });
}
