/**
 * Records every MQTT message of a mission: a file of length-delimited `uavmec.v1.RecordedMessage`
 * (receive time, topic, payload bytes as published). `readRecording` reads it back.
 */
import fs from 'node:fs';
import { decode, lookupType, matchTopic } from '../../proto/index.ts';
import type { Bus } from './bus.ts';

export interface RecordedMessage {
  recv_t_us: number;
  topic: string;
  payload: Uint8Array;
}

/**
 * Writes the recording and, as a passive monitor, validates what it records: every message on a
 * contract topic is decoded and checked like a subscriber would, and failures are counted per
 * topic key (the recording keeps the bytes either way: it records what was on the wire).
 */
export class Recorder {
  private readonly out: fs.WriteStream;
  count = 0;
  /** Invalid messages seen, by topic key ('other' for topics outside the contract). */
  readonly rejected: Record<string, number> = {};
  /** Canonical mode: the records of the current receive instant, written sorted when time moves on. */
  private instant: RecordedMessage[] = [];
  /**
   * `canonical` (for runs on a `VirtualClock`, where receive times are the discrete instants):
   * records with the same receive time are written sorted by topic, then payload bytes
   * (`compareRecords`), so the file does not depend on delivery order within an instant.
   */
  constructor(
    readonly file: string,
    private readonly opts: { canonical?: boolean } = {},
  ) {
    this.out = fs.createWriteStream(file, { flags: 'a' });
  }

  async attach(bus: Bus, filter = 'uavmec/#'): Promise<void> {
    await bus.subscribeRaw(filter, (topic, payload, recvUs) => this.write({ recv_t_us: Math.round(recvUs), topic, payload }));
  }

  write(m: RecordedMessage): void {
    const t = matchTopic(m.topic);
    if (!t) this.rejected.other = (this.rejected.other ?? 0) + 1;
    else if (!decode(t.spec.type, m.payload).ok) this.rejected[t.spec.key] = (this.rejected[t.spec.key] ?? 0) + 1;
    this.count++;
    if (!this.opts.canonical) return void this.out.write(encodeRecord(m));
    if (this.instant.length > 0 && this.instant[0]!.recv_t_us !== m.recv_t_us) this.flushInstant();
    this.instant.push({ ...m, payload: Uint8Array.from(m.payload) });
  }

  private flushInstant(): void {
    for (const r of this.instant.sort(compareRecords)) this.out.write(encodeRecord(r));
    this.instant = [];
  }

  close(): Promise<void> {
    this.flushInstant();
    return new Promise((resolve, reject) => this.out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
}

/** Canonical record order: receive time, then topic, then payload bytes. */
export function compareRecords(a: RecordedMessage, b: RecordedMessage): number {
  if (a.recv_t_us !== b.recv_t_us) return a.recv_t_us - b.recv_t_us;
  if (a.topic !== b.topic) return a.topic < b.topic ? -1 : 1;
  return Buffer.compare(a.payload, b.payload);
}

/** One length-delimited `RecordedMessage`, as the recorder writes it. */
export function encodeRecord(m: RecordedMessage): Uint8Array {
  const type = lookupType('RecordedMessage');
  return type.encodeDelimited(type.fromObject(m)).finish();
}

/**
 * Reads a recording. A truncated last record (e.g. after a crash) or bytes that do not decode as a
 * record are reported (`truncated`, with `problem` saying where), not thrown: the records before
 * them are returned.
 */
export function readRecording(file: string): { messages: RecordedMessage[]; truncated: boolean; problem?: string } {
  const type = lookupType('RecordedMessage');
  const buf = fs.readFileSync(file);
  const messages: RecordedMessage[] = [];
  let offset = 0;
  while (offset < buf.length) {
    let len = 0;
    let shift = 0;
    let p = offset;
    for (;;) {
      if (p >= buf.length || shift > 35) return { messages, truncated: true, problem: `record ${messages.length + 1} at byte ${offset}: ${p >= buf.length ? 'the file ends inside its length prefix' : 'its length prefix is not a varint'}` };
      const b = buf[p++]!;
      len += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (b < 0x80) break;
    }
    if (p + len > buf.length) return { messages, truncated: true, problem: `record ${messages.length + 1} at byte ${offset}: ${len} bytes announced, ${buf.length - p} left in the file` };
    let obj: RecordedMessage;
    try {
      obj = type.toObject(type.decode(buf.subarray(p, p + len)), { longs: Number, bytes: Uint8Array }) as RecordedMessage;
    } catch (e) {
      return { messages, truncated: true, problem: `record ${messages.length + 1} at byte ${offset} does not decode as a RecordedMessage (${(e as Error).message})` };
    }
    if (!obj.topic || !(obj.recv_t_us > 0)) return { messages, truncated: true, problem: `record ${messages.length + 1} at byte ${offset} has no topic or receive time: not a recording record` };
    messages.push(obj);
    offset = p + len;
  }
  return { messages, truncated: false };
}
