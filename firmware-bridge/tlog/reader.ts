/**
 * Reads .tlog files from any GCS (QGC, MAVProxy, Mission Planner). Copes with: unknown msgids
 * (emitted with `message` undefined when the record structure around them is consistent), junk
 * or corrupted records (skipped byte by byte until a record re-synchronises), and a truncated
 * tail. `summary` says what was skipped.
 */
import { createReadStream } from 'node:fs';
import { MavlinkDecoder } from '../mavlink/decoder.ts';
import type { DecodedPacket } from '../mavlink/decoder.ts';
import { frameLengthAt, plausibleTimestampUs, TLOG_TS_BYTES } from './format.ts';

export interface TlogRecord {
  /** µs since the Unix epoch, as logged. */
  tUs: number;
  packet: DecodedPacket;
}

export interface TlogSummary {
  records: number;
  /** Records whose msgid no known dialect defines (CRC could not be checked). */
  unknownMsgid: number;
  /** Bytes skipped while re-synchronising (junk, corrupted records). */
  skippedBytes: number;
  /** Places where skipping began. */
  skipRuns: number;
  /** Bytes of an incomplete record at the end of the file. */
  truncatedTailBytes: number;
}

export class TlogReader implements AsyncIterable<TlogRecord> {
  readonly summary: TlogSummary = { records: 0, unknownMsgid: 0, skippedBytes: 0, skipRuns: 0, truncatedTailBytes: 0 };
  private readonly dec = new MavlinkDecoder({ unknownMessages: 'emit' });

  /** `source`: a file path or any async iterable of byte chunks. */
  constructor(private readonly source: string | AsyncIterable<Uint8Array>) {}

  async *[Symbol.asyncIterator](): AsyncGenerator<TlogRecord> {
    const src: AsyncIterable<Uint8Array> = typeof this.source === 'string' ? createReadStream(this.source) : this.source;
    let buf = Buffer.alloc(0);
    let skipping = false;
    const skip = (n: number) => {
      if (!skipping) this.summary.skipRuns++;
      skipping = true;
      this.summary.skippedBytes += n;
    };
    for await (const chunk of src) {
      buf = buf.length ? Buffer.concat([buf, chunk]) : Buffer.from(chunk);
      let pos = 0;
      for (;;) {
        const r = this.tryRecord(buf, pos, false);
        if (r === 'need') break;
        if (r === 'bad') {
          skip(1);
          pos++;
          continue;
        }
        skipping = false;
        pos += r.len;
        yield r.rec;
      }
      buf = buf.subarray(pos);
    }
    // End of input: the rest may hold complete records (an unknown-msgid one with no successor
    // to vouch for it, records behind a corrupted length byte) and then an incomplete tail.
    let pos = 0;
    let pending = 0;
    while (pos < buf.length) {
      const r = this.tryRecord(buf, pos, true);
      if (r === 'need' || r === 'bad') {
        pending++;
        pos++;
        continue;
      }
      if (pending) skip(pending);
      pending = 0;
      skipping = false;
      pos += r.len;
      yield r.rec;
    }
    this.summary.truncatedTailBytes += pending;
  }

  private tryRecord(buf: Buffer, pos: number, atEnd: boolean): 'need' | 'bad' | { len: number; rec: TlogRecord } {
    if (buf.length - pos < TLOG_TS_BYTES + 3) return 'need';
    const ts = buf.readBigUInt64BE(pos);
    const fp = pos + TLOG_TS_BYTES;
    const flen = frameLengthAt(buf, fp);
    if (flen === undefined || !plausibleTimestampUs(ts)) return 'bad';
    if (buf.length - fp < flen) return 'need';
    const pkts = this.dec.pushDatagram(buf.subarray(fp, fp + flen));
    const p = pkts[0];
    if (pkts.length !== 1 || !p || p.raw.length !== flen) return 'bad';
    if (!p.crcChecked) {
      // Unknown msgid: accept only when the next record starts right after it (or at EOF).
      const next = fp + flen;
      if (buf.length - next < TLOG_TS_BYTES + 3) {
        if (!atEnd) return 'need';
      } else if (!plausibleTimestampUs(buf.readBigUInt64BE(next)) || frameLengthAt(buf, next + TLOG_TS_BYTES) === undefined) {
        return 'bad';
      }
      this.summary.unknownMsgid++;
    }
    this.summary.records++;
    return { len: TLOG_TS_BYTES + flen, rec: { tUs: Number(ts), packet: p } };
  }
}

/** Convenience: all records of a tlog plus the summary. */
export async function readTlogFile(source: string | AsyncIterable<Uint8Array>): Promise<{ records: TlogRecord[]; summary: TlogSummary }> {
  const r = new TlogReader(source);
  const records: TlogRecord[] = [];
  for await (const rec of r) records.push(rec);
  return { records, summary: r.summary };
}
