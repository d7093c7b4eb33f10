/**
 * The telemetry streams' schedule, pure apart from updating the table it is given: the default
 * streams with a per-vehicle phase, which are due at a tick, and what SET_MESSAGE_INTERVAL /
 * REQUEST_DATA_STREAM make of an interval.
 */
import { BUILDERS, DEFAULT_RATES_HZ, MSG } from './telemetry/index.ts';

export interface Stream {
  id: number;
  /** µs between messages; ≤ 0: stopped. */
  intervalUs: number;
  nextUs: number;
}

export type StreamTable = Map<number, Stream>;

const MAX_DEFAULT_HZ = Math.max(...Object.values(DEFAULT_RATES_HZ));

/**
 * The default streams. Their phases are staggered per vehicle (golden-ratio offsets), so a fleet
 * does not send every stream in the same tick and overflow a shared GCS socket's buffer; within a
 * vehicle the streams share one phase, so the frames due together leave in one datagram.
 */
export function defaultStreams(sysid: number, nowUs: number): StreamTable {
  const phase = ((sysid * 0.618034) % 1) * (1e6 / MAX_DEFAULT_HZ);
  const t: StreamTable = new Map();
  for (const [id, hz] of Object.entries(DEFAULT_RATES_HZ)) t.set(Number(id), { id: Number(id), intervalUs: 1e6 / hz, nextUs: nowUs + phase });
  return t;
}

/**
 * The streams due at `nowUs`, in table order, each rescheduled: one interval on, but not more than
 * half an interval behind now (a stream faster than the tick rate is sent at most once per tick).
 */
export function dueStreams(t: StreamTable, nowUs: number): number[] {
  const due: number[] = [];
  for (const s of t.values()) {
    if (s.intervalUs <= 0 || nowUs < s.nextUs) continue;
    s.nextUs = Math.max(s.nextUs + s.intervalUs, nowUs - s.intervalUs / 2);
    if (s.nextUs <= nowUs) s.nextUs = nowUs + s.intervalUs;
    due.push(s.id);
  }
  return due;
}

/**
 * Sets message `msgid`'s interval from now: −1 disables, 0 restores the default, > 0 sets it (µs).
 * False for a message that is no stream (unknown, or one sent only on request).
 */
export function setStreamInterval(t: StreamTable, msgid: number, intervalUs: number, nowUs: number): boolean {
  if (!BUILDERS[msgid] || msgid === MSG.AUTOPILOT_VERSION || msgid === MSG.PROTOCOL_VERSION) return false;
  const def = DEFAULT_RATES_HZ[msgid];
  const us = intervalUs === 0 ? (def ? 1e6 / def : -1) : intervalUs < 0 ? -1 : intervalUs;
  t.set(msgid, { id: msgid, intervalUs: us, nextUs: nowUs });
  return true;
}
