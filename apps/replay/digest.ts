/**
 * Byte-level digests of a run's files for "same seed → identical recordings, compared by hash".
 * Unlike `hashRecording` (semantic, per stream, drops clock readings), these keep every byte of
 * every record — receive time, topic, payload with its header (sender, t_us, seq) — and
 * canonicalise only two things:
 * 1. the order of records that carry the same timestamp (see below);
 * 2. in `health` messages, the agent process's own resource readings (`rss_bytes`, `cpu_pct`,
 *    and the ONNX inference latency `inference_p50_us`/`_p99_us` where present) are zeroed: they measure the host machine, not the simulated system, and differ run to run
 *    on any clock. Everything else in Health (links up, outbox depth, drops) is kept.
 *
 * - `recordingSha256`: SHA-256 of the `mqtt.rec` records re-encoded in canonical order
 *   (`compareRecords`: receive time, then topic, then payload bytes; a stable sort), health
 *   readings zeroed. A recorder in canonical mode (deterministic missions) writes that order
 *   already, so the files of two runs differ at most in those health readings.
 * - `tlogSha256`: SHA-256 of the .tlog records (8-byte timestamp + MAVLink frame, bytes as
 *   logged) sorted by timestamp, then record bytes. Within one virtual instant a link's frames in
 *   and out may interleave differently; their content is what is compared.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { decode, encode, matchTopic } from '../../proto/index.ts';
import { compareRecords, encodeRecord, readRecording, type RecordedMessage } from '../common/recorder.ts';
import { frameLengthAt, TLOG_TS_BYTES } from '../../firmware-bridge/tlog/format.ts';

export function recordingDigest(messages: readonly RecordedMessage[]): string {
  const h = createHash('sha256');
  for (const m of messages.map(withoutHostReadings).sort(compareRecords)) h.update(encodeRecord(m));
  return h.digest('hex');
}

/** Canonicalisation 2: a health message with its host readings zeroed (others unchanged; undecodable ones kept as they are). */
export function withoutHostReadings(m: RecordedMessage): RecordedMessage {
  if (matchTopic(m.topic)?.spec.key !== 'health') return m;
  const d = decode('Health', m.payload);
  if (!d.ok) return m;
  const v = d.value;
  // Inference latency is wall time of the host's onnxruntime: zeroed where present (presence is kept).
  const inference = {
    ...(v.inference_p50_us !== undefined ? { inference_p50_us: 0 } : {}),
    ...(v.inference_p99_us !== undefined ? { inference_p99_us: 0 } : {}),
  };
  return { ...m, payload: encode('Health', { ...v, rss_bytes: 0, cpu_pct: 0, ...inference } as never) };
}

export function recordingSha256(file: string): string {
  return recordingDigest(readRecording(file).messages);
}

/** Splits a .tlog into records; bytes that do not parse as a record end the list (counted in `trailing`). */
export function tlogRecords(buf: Buffer): { records: Buffer[]; trailing: number } {
  const records: Buffer[] = [];
  let p = 0;
  while (p + TLOG_TS_BYTES < buf.length) {
    const len = frameLengthAt(buf, p + TLOG_TS_BYTES);
    if (len === undefined || p + TLOG_TS_BYTES + len > buf.length) break;
    records.push(buf.subarray(p, p + TLOG_TS_BYTES + len));
    p += TLOG_TS_BYTES + len;
  }
  return { records, trailing: buf.length - p };
}

export function tlogDigest(buf: Buffer): string {
  const { records, trailing } = tlogRecords(buf);
  const h = createHash('sha256');
  // The timestamp is the record's first 8 bytes, big-endian: byte order is time order.
  for (const r of records.sort(Buffer.compare)) h.update(r);
  if (trailing > 0) h.update(buf.subarray(buf.length - trailing));
  return h.digest('hex');
}

export function tlogSha256(file: string): string {
  return tlogDigest(fs.readFileSync(file));
}
