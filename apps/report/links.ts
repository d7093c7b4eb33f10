/**
 * Per-UAV flight-mode timeline and link health, from the recording (pure). The timeline is the
 * autopilot's mode (and the agent's flight state) as the twin states reported it, in segments;
 * link health is what reached the ground: twin states received, lost (gaps in the per-topic
 * header sequence), the longest silence between two, time with the autopilot link down, and —
 * where the agents' health reports were recorded — broker-link drops, outbox backlog and drops.
 */
import type { RunRecording } from '../replay/recording.ts';

const FLIGHT = ['unknown', 'on ground', 'taking off', 'flying', 'holding', 'returning', 'landing'];

export interface ModeSegment {
  fromS: number;
  toS: number;
  /** Autopilot mode name ("GUIDED", "RTL", …; "?" when not reported). */
  mode: string;
  /** The agent's flight state in that segment. */
  flight: string;
}

export interface LinkHealthRow {
  uavId: number;
  received: number;
  /** Twin states missing from the header sequence. */
  lost: number;
  lossPct: number;
  /** Mean twin-state rate, Hz of mission time. */
  rateHz: number;
  /** Longest gap between two twin states, s. */
  maxGapS: number;
  /** Time the twin states said the autopilot link was down, s. */
  autopilotDownS: number;
  /** Health reports with the broker link down; max outbox depth; max messages dropped (undefined: no health recorded). */
  brokerDownReports?: number;
  maxOutbox?: number;
  dropped?: number;
}

export function modeTimelines(rec: RunRecording, t0Us: number, endS: number): Record<number, ModeSegment[]> {
  const out: Record<number, ModeSegment[]> = {};
  for (const t of rec.twins) {
    const segs = (out[t.msg.uav_id] ??= []);
    const mode = t.msg.autopilot_mode || '?';
    const flight = FLIGHT[t.msg.flight_state] ?? String(t.msg.flight_state);
    const tS = (t.recvUs - t0Us) / 1e6;
    const last = segs[segs.length - 1];
    if (last && last.mode === mode && last.flight === flight) continue;
    if (last) last.toS = tS;
    segs.push({ fromS: tS, toS: tS, mode, flight });
  }
  for (const segs of Object.values(out)) segs[segs.length - 1]!.toS = Math.max(segs[segs.length - 1]!.fromS, endS);
  return out;
}

export function linkHealth(rec: RunRecording): LinkHealthRow[] {
  const rows = new Map<number, LinkHealthRow & { lastSeq: number; lastUs: number; firstUs: number; downSinceUs?: number }>();
  for (const t of rec.twins) {
    const id = t.msg.uav_id;
    let r = rows.get(id);
    if (!r) rows.set(id, (r = { uavId: id, received: 0, lost: 0, lossPct: 0, rateHz: 0, maxGapS: 0, autopilotDownS: 0, lastSeq: 0, lastUs: t.recvUs, firstUs: t.recvUs }));
    const seq = t.msg.header?.seq ?? 0;
    if (r.lastSeq && seq > r.lastSeq + 1) r.lost += seq - r.lastSeq - 1;
    if (seq) r.lastSeq = seq;
    if (r.received) r.maxGapS = Math.max(r.maxGapS, (t.recvUs - r.lastUs) / 1e6);
    if (r.downSinceUs !== undefined) r.autopilotDownS += (t.recvUs - r.lastUs) / 1e6;
    r.downSinceUs = t.msg.autopilot_link_up ? undefined : t.recvUs;
    r.received++;
    r.lastUs = t.recvUs;
  }
  for (const h of rec.health ?? []) {
    const r = rows.get(h.msg.uavId);
    if (!r) continue;
    r.brokerDownReports = (r.brokerDownReports ?? 0) + (h.msg.broker_link_up ? 0 : 1);
    r.maxOutbox = Math.max(r.maxOutbox ?? 0, h.msg.outbox_depth);
    r.dropped = Math.max(r.dropped ?? 0, h.msg.dropped_messages);
  }
  return [...rows.values()].sort((a, b) => a.uavId - b.uavId).map(({ lastSeq: _s, lastUs, firstUs, downSinceUs: _d, ...r }) => ({
    ...r,
    lossPct: r.received + r.lost ? (100 * r.lost) / (r.received + r.lost) : 0,
    rateHz: lastUs > firstUs ? ((r.received - 1) * 1e6) / (lastUs - firstUs) : 0,
  }));
}
