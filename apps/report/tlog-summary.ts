/**
 * What a ground station's .tlog says about a flight: message counts per type, the flight modes
 * each vehicle reported, flight time and maximum altitude. Pure: records in, summary out (the
 * reading is `firmware-bridge/tlog`'s `TlogReader`, which tolerates unknown ids and junk).
 *
 * Which heartbeats count as a vehicle's: those whose MAV_TYPE is not a GCS (6) and whose
 * autopilot is not MAV_AUTOPILOT_INVALID (8) — ground stations and companion software send those.
 */
import { arduFirmware, decodeMode, flavourOf } from '../../firmware-bridge/bridge/modes.ts';
import type { TlogRecord, TlogSummary as ReaderSummary } from '../../firmware-bridge/tlog/index.ts';

const MAV_TYPE_GCS = 6;
const MAV_AUTOPILOT_INVALID = 8;
const MAV_MODE_FLAG_SAFETY_ARMED = 128;
/** MAV_LANDED_STATE: IN_AIR 2, TAKEOFF 3, LANDING 4 count as airborne. */
const AIRBORNE_STATES = new Set([2, 3, 4]);

export interface VehicleFlight {
  sysid: number;
  flavour: string;
  /** HEARTBEAT.type (MAV_TYPE) last reported; undefined when no heartbeat was seen. */
  mavType?: number;
  /** Mode names in the order first seen (the autopilot's own names, e.g. GUIDED, AUTO.LOITER). */
  modes: string[];
  /** Time between heartbeats that said "armed", s. */
  armedS: number;
  /** Time airborne by EXTENDED_SYS_STATE landed_state, else by relative altitude > 1 m; s. */
  flightS: number;
  flightTimeSource: 'landed_state' | 'relative_alt' | 'armed' | 'none';
  /** Highest GLOBAL_POSITION_INT.relative_alt (above home), m; undefined when never reported. */
  maxRelAltM?: number;
  /** Highest GLOBAL_POSITION_INT.alt (AMSL), m. */
  maxAmslM?: number;
}

export interface TlogFlightSummary {
  records: number;
  firstUs?: number;
  lastUs?: number;
  durationS: number;
  /** Messages per type name (`MSGID_<n>` for ids no dialect defines), most frequent first. */
  counts: [string, number][];
  /** Senders seen as "sysid/compid". */
  senders: string[];
  vehicles: VehicleFlight[];
  reader: ReaderSummary;
}

interface Track {
  flavour: string;
  vehicleType?: number;
  modes: string[];
  armed: { tUs: number; on: boolean }[];
  landed: { tUs: number; on: boolean }[];
  relAlt: { tUs: number; on: boolean }[];
  maxRel?: number;
  maxAmsl?: number;
}

type Fields = Record<string, unknown>;
const n = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : NaN);

/** Time during which `on` held, from a step signal sampled at the given instants. */
function onTimeS(samples: { tUs: number; on: boolean }[]): number {
  let us = 0;
  for (let i = 0; i + 1 < samples.length; i++) if (samples[i]!.on) us += samples[i + 1]!.tUs - samples[i]!.tUs;
  return us / 1e6;
}

export function summariseTlog(records: readonly TlogRecord[], reader: ReaderSummary): TlogFlightSummary {
  const counts = new Map<string, number>();
  const senders = new Set<string>();
  const tracks = new Map<number, Track>();
  const track = (sysid: number): Track => {
    let t = tracks.get(sysid);
    if (!t) tracks.set(sysid, (t = { flavour: 'unknown', modes: [], armed: [], landed: [], relAlt: [] }));
    return t;
  };
  for (const r of records) {
    const p = r.packet;
    const name = p.message && p.name ? p.name : `MSGID_${p.msgid}`;
    counts.set(name, (counts.get(name) ?? 0) + 1);
    senders.add(`${p.sysid}/${p.compid}`);
    if (!p.message) continue;
    const m = p.message as unknown as Fields;
    if (p.name === 'HEARTBEAT') {
      if (n(m.type) === MAV_TYPE_GCS || n(m.autopilot) === MAV_AUTOPILOT_INVALID) continue;
      const t = track(p.sysid);
      t.flavour = flavourOf(n(m.autopilot));
      // Modes by vehicle: ArduPilot's numbers differ per firmware, told by HEARTBEAT.type (MAV_TYPE).
      const mode = decodeMode(t.flavour as Parameters<typeof decodeMode>[0], n(m.baseMode), n(m.customMode), n(m.type)).raw;
      t.vehicleType = n(m.type);
      if (!t.modes.includes(mode)) t.modes.push(mode);
      t.armed.push({ tUs: r.tUs, on: (n(m.baseMode) & MAV_MODE_FLAG_SAFETY_ARMED) !== 0 });
    } else if (p.name === 'EXTENDED_SYS_STATE') {
      track(p.sysid).landed.push({ tUs: r.tUs, on: AIRBORNE_STATES.has(n(m.landedState)) });
    } else if (p.name === 'GLOBAL_POSITION_INT') {
      const t = track(p.sysid);
      const rel = n(m.relativeAlt) / 1000;
      const amsl = n(m.alt) / 1000;
      t.relAlt.push({ tUs: r.tUs, on: rel > 1 });
      if (Number.isFinite(rel)) t.maxRel = Math.max(t.maxRel ?? -Infinity, rel);
      if (Number.isFinite(amsl)) t.maxAmsl = Math.max(t.maxAmsl ?? -Infinity, amsl);
    }
  }
  const vehicles: VehicleFlight[] = [...tracks.entries()]
    .filter(([, t]) => t.armed.length > 0 || t.relAlt.length > 0)
    .sort(([a], [b]) => a - b)
    .map(([sysid, t]) => {
      const armedS = onTimeS(t.armed);
      const [flightS, src]: [number, VehicleFlight['flightTimeSource']] = t.landed.length > 1
        ? [onTimeS(t.landed), 'landed_state']
        : t.relAlt.length > 1 ? [onTimeS(t.relAlt), 'relative_alt'] : t.armed.length > 1 ? [armedS, 'armed'] : [0, 'none'];
      return {
        sysid, flavour: t.flavour, ...(t.vehicleType !== undefined ? { mavType: t.vehicleType } : {}), modes: t.modes, armedS, flightS, flightTimeSource: src,
        ...(t.maxRel !== undefined ? { maxRelAltM: t.maxRel } : {}),
        ...(t.maxAmsl !== undefined ? { maxAmslM: t.maxAmsl } : {}),
      };
    });
  const firstUs = records[0]?.tUs;
  const lastUs = records[records.length - 1]?.tUs;
  return {
    records: records.length,
    ...(firstUs !== undefined ? { firstUs } : {}),
    ...(lastUs !== undefined ? { lastUs } : {}),
    durationS: firstUs !== undefined && lastUs !== undefined ? (lastUs - firstUs) / 1e6 : 0,
    counts: [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
    senders: [...senders].sort(),
    vehicles,
    reader,
  };
}

const f1 = (v: number | undefined) => (v === undefined ? '—' : v.toFixed(1));

export function formatTlogSummary(file: string, s: TlogFlightSummary): string {
  const out = [`${file}: ${s.records} messages over ${s.durationS.toFixed(1)} s from ${s.senders.join(', ') || 'nobody'}`];
  if (s.firstUs !== undefined) out.push(`  from ${new Date(s.firstUs / 1000).toISOString()} to ${new Date(s.lastUs! / 1000).toISOString()}`);
  const r = s.reader;
  if (r.unknownMsgid || r.skippedBytes || r.truncatedTailBytes) {
    out.push(`  reader: ${r.unknownMsgid} messages with unknown ids, ${r.skippedBytes} junk bytes skipped in ${r.skipRuns} places, ${r.truncatedTailBytes} bytes of truncated tail`);
  }
  out.push('', 'Messages per type:');
  const w = Math.max(4, ...s.counts.map(([k]) => k.length));
  for (const [k, c] of s.counts) out.push(`  ${k.padEnd(w)}  ${String(c).padStart(7)}`);
  out.push('');
  if (s.vehicles.length === 0) out.push('No vehicle heartbeats or positions: no flight to summarise.');
  for (const v of s.vehicles) {
    out.push(`Vehicle ${v.sysid} (${v.flavour}${v.mavType !== undefined ? `, MAV_TYPE ${v.mavType}${v.flavour === 'ardupilot' ? ` = ${arduFirmware(v.mavType)}` : ''}` : ''}):`);
    out.push(`  modes seen:     ${v.modes.join(', ') || '—'}`);
    out.push(`  flight time:    ${v.flightS.toFixed(1)} s (by ${v.flightTimeSource}); armed ${v.armedS.toFixed(1)} s`);
    out.push(`  max altitude:   ${f1(v.maxRelAltM)} m above home (${f1(v.maxAmslM)} m AMSL)`);
  }
  return out.join('\n');
}
