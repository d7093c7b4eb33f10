/**
 * A bounded on-disk FIFO for messages the agent must publish when the broker is reachable
 * (telemetry, job completions). Survives process restarts and power loss.
 *
 * Layout in `dir`: append-only segment files `seg-<n>.log` (records: record.ts) and a `head`
 * file holding the highest acknowledged seq, replaced atomically (write tmp, fsync, rename,
 * fsync dir). Every message has a seq, increasing; delivery is in seq order; `ack(seq)`
 * acknowledges everything up to seq.
 *
 * Bound and drop policy: the *queued* messages are kept within `maxMessages` and `maxBytes`
 * (topic + payload bytes). To make room, the oldest **telemetry** is dropped first (a tombstone
 * record makes the drop durable). Completions are never dropped: if only completions remain, a
 * new telemetry message is itself dropped, and a new completion is still accepted up to
 * `hardMaxBytes`, beyond which `append` fails with 'full' (the caller must stop taking jobs).
 * Every drop is counted (`stats().dropped`).
 *
 * Disk: fully-delivered segments are deleted oldest-first; when the files grow past
 * 2·hardMaxBytes + segmentBytes (dropped telemetry still on disk), the live messages are
 * rewritten into a fresh segment and the old ones deleted (compaction). A crash in between
 * leaves duplicates that the scan removes by seq.
 *
 * Recovery: on open every segment is scanned; a torn or corrupted tail (bad length/CRC) ends that
 * segment's good data — the last segment is truncated there, and the damage is counted.
 *
 * Durability: with `fsync: true` (default) `append` resolves after the record is on disk.
 * Single writer: one process owns `dir`.
 */
import { open as fsOpen, mkdir, readdir, readFile, rename, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { fail, ok, type Result } from '../../../core/result.ts';
import { decodeRecord, encodeRecord, type MessageClass } from './record.ts';

export interface OutboxLimits {
  maxMessages: number;
  maxBytes: number;
  /** Completions may exceed maxBytes up to this; default 2·maxBytes. */
  hardMaxBytes?: number;
  /** Start a new segment file after this many bytes; default 1 MiB. */
  segmentBytes?: number;
  /** fsync every append (default true). */
  fsync?: boolean;
}

export interface OutboxMessage {
  seq: number;
  topic: string;
  payload: Uint8Array;
  cls: MessageClass;
}

export interface OutboxStats {
  messages: number;
  bytes: number;
  /** Messages dropped by the bound since open, plus drops recorded on disk from before. */
  dropped: number;
  /** Damaged records/tails found on open. */
  corrupt: number;
  segments: number;
  diskBytes: number;
}

export type AppendFailure = 'full' | 'too_large' | 'io_error' | 'closed';

export interface Outbox {
  append(topic: string, payload: Uint8Array, cls?: MessageClass): Promise<Result<{ seq: number; dropped: number[] }, AppendFailure>>;
  /** Up to `max` queued messages, oldest first. */
  peek(max?: number): OutboxMessage[];
  /** Acknowledges every message with seq ≤ `seq`; durable when it resolves. */
  ack(seq: number): Promise<void>;
  /**
   * Sends queued messages in order until `send` returns false or throws (broker gone again),
   * acking each one sent. Resolves with how many were sent.
   */
  drain(send: (m: OutboxMessage) => Promise<boolean>): Promise<number>;
  stats(): OutboxStats;
  close(): Promise<void>;
}

const SEG_RE = /^seg-(\d{12})\.log$/;
const segName = (n: number) => `seg-${String(n).padStart(12, '0')}.log`;

interface Segment {
  n: number;
  bytes: number;
  /** Highest message seq in it (−1 if none). */
  maxSeq: number;
}

export async function openOutbox(dir: string, limits: OutboxLimits): Promise<Result<Outbox, 'invalid_limits' | 'io_error'>> {
  const hard = limits.hardMaxBytes ?? 2 * limits.maxBytes;
  const segBytes = limits.segmentBytes ?? 1 << 20;
  if (!(limits.maxMessages >= 1) || !(limits.maxBytes > 0) || !(hard >= limits.maxBytes) || !(segBytes > 0)) {
    return fail('invalid_limits', 'need maxMessages ≥ 1, maxBytes > 0, hardMaxBytes ≥ maxBytes, segmentBytes > 0');
  }
  try {
    return ok(await OutboxImpl.load(dir, { ...limits, hardMaxBytes: hard, segmentBytes: segBytes, fsync: limits.fsync ?? true }));
  } catch (e) {
    return fail('io_error', (e as Error).message);
  }
}

type Resolved = Required<OutboxLimits>;
const msgBytes = (m: OutboxMessage) => Buffer.byteLength(m.topic) + m.payload.length;

class OutboxImpl implements Outbox {
  private queue: OutboxMessage[] = [];
  private bytes = 0;
  private dropped = 0;
  private corrupt = 0;
  private segments: Segment[] = [];
  private fh: FileHandle | undefined;
  private closed = false;
  /** Serialises every disk operation (appends, acks, compaction). */
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly dir: string,
    private readonly lim: Resolved,
    private acked: number,
    private nextSeq: number,
  ) {}

  static async load(dir: string, lim: Resolved): Promise<OutboxImpl> {
    await mkdir(dir, { recursive: true });
    let acked = -1;
    try {
      const h = JSON.parse(await readFile(join(dir, 'head'), 'utf8')) as { ackedSeq?: unknown };
      if (typeof h.ackedSeq === 'number' && Number.isInteger(h.ackedSeq)) acked = h.ackedSeq;
    } catch {
      // No head yet (fresh outbox) or an unreadable one: nothing is known acknowledged.
    }
    const names = (await readdir(dir)).filter((f) => SEG_RE.test(f)).sort();
    const byseq = new Map<number, OutboxMessage>();
    const tomb = new Set<number>();
    const segments: Segment[] = [];
    let corrupt = 0;
    let maxSeen = acked;
    for (const [i, name] of names.entries()) {
      const n = Number(SEG_RE.exec(name)![1]);
      const buf = await readFile(join(dir, name));
      let off = 0;
      let maxSeq = -1;
      while (off < buf.length) {
        const r = decodeRecord(buf, off);
        if (!r) break;
        off += r.size;
        maxSeen = Math.max(maxSeen, r.seq);
        if (r.type === 'tombstone') tomb.add(r.seq);
        else {
          maxSeq = Math.max(maxSeq, r.seq);
          byseq.set(r.seq, { seq: r.seq, topic: r.topic, payload: r.payload, cls: r.cls });
        }
      }
      if (off < buf.length) {
        corrupt++;
        if (i === names.length - 1) {
          // Torn tail of the segment being written at the crash: cut it so appends continue cleanly.
          const fh = await fsOpen(join(dir, name), 'r+');
          await fh.truncate(off);
          await fh.sync();
          await fh.close();
        }
      }
      segments.push({ n, bytes: off, maxSeq });
    }
    const ob = new OutboxImpl(dir, lim, acked, maxSeen + 1);
    ob.corrupt = corrupt;
    ob.dropped = [...tomb].filter((s) => s > acked).length;
    ob.queue = [...byseq.values()].filter((m) => m.seq > acked && !tomb.has(m.seq)).sort((a, b) => a.seq - b.seq);
    ob.bytes = ob.queue.reduce((s, m) => s + msgBytes(m), 0);
    ob.segments = segments;
    await ob.openActive();
    return ob;
  }

  private async openActive(): Promise<void> {
    const last = this.segments.at(-1);
    if (!last || last.bytes >= this.lim.segmentBytes) {
      const n = (last?.n ?? 0) + 1;
      this.segments.push({ n, bytes: 0, maxSeq: -1 });
    }
    this.fh = await fsOpen(join(this.dir, segName(this.segments.at(-1)!.n)), 'a');
    await this.syncDir();
  }

  private async syncDir(): Promise<void> {
    if (!this.lim.fsync) return;
    const d = await fsOpen(this.dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.chain.then(fn, fn);
    this.chain = p.catch(() => undefined);
    return p;
  }

  private async write(buf: Buffer, maxSeq: number): Promise<void> {
    const seg = this.segments.at(-1)!;
    if (seg.bytes >= this.lim.segmentBytes) {
      await this.fh!.close();
      this.segments.push({ n: seg.n + 1, bytes: 0, maxSeq: -1 });
      this.fh = await fsOpen(join(this.dir, segName(seg.n + 1)), 'a');
      await this.syncDir();
    }
    const cur = this.segments.at(-1)!;
    await this.fh!.write(buf);
    if (this.lim.fsync) await this.fh!.datasync();
    cur.bytes += buf.length;
    cur.maxSeq = Math.max(cur.maxSeq, maxSeq);
  }

  append(topic: string, payload: Uint8Array, cls: MessageClass = 'telemetry'): Promise<Result<{ seq: number; dropped: number[] }, AppendFailure>> {
    return this.serial(async () => {
      if (this.closed) return fail('closed');
      const m: OutboxMessage = { seq: this.nextSeq, topic, payload: new Uint8Array(payload), cls };
      const size = msgBytes(m);
      if (size > this.lim.maxBytes || Buffer.byteLength(topic) > 0xffff) return fail('too_large', `${size} bytes > maxBytes ${this.lim.maxBytes}`);
      // Choose victims: oldest telemetry first, until the new message fits the soft bounds.
      const victims: OutboxMessage[] = [];
      let bytes = this.bytes + size;
      let count = this.queue.length + 1;
      for (const q of this.queue) {
        if (bytes <= this.lim.maxBytes && count <= this.lim.maxMessages) break;
        if (q.cls !== 'telemetry') continue;
        victims.push(q);
        bytes -= msgBytes(q);
        count--;
      }
      const fits = bytes <= this.lim.maxBytes && count <= this.lim.maxMessages;
      if (!fits) {
        if (cls === 'telemetry') {
          // Only completions left to drop, and those are never dropped: the newcomer goes.
          this.dropped++;
          return ok({ seq: -1, dropped: [m.seq] });
        }
        if (bytes > this.lim.hardMaxBytes) return fail('full', `completions alone fill ${bytes} bytes > hardMaxBytes`);
      }
      try {
        const parts = victims.map((v) => encodeRecord({ type: 'tombstone', seq: v.seq }));
        parts.push(encodeRecord({ type: 'message', seq: m.seq, cls, topic, payload: m.payload }));
        await this.write(Buffer.concat(parts), m.seq);
      } catch (e) {
        return fail('io_error', (e as Error).message);
      }
      this.nextSeq++;
      const gone = new Set(victims.map((v) => v.seq));
      if (gone.size > 0) this.queue = this.queue.filter((q) => !gone.has(q.seq));
      this.queue.push(m);
      this.bytes = bytes;
      this.dropped += victims.length;
      await this.maybeCompact();
      return ok({ seq: m.seq, dropped: [...gone] });
    });
  }

  peek(max = Infinity): OutboxMessage[] {
    return this.queue.slice(0, max);
  }

  ack(seq: number): Promise<void> {
    return this.serial(async () => {
      if (seq <= this.acked) return;
      this.acked = seq;
      const tmp = join(this.dir, 'head.tmp');
      const fh = await fsOpen(tmp, 'w');
      await fh.writeFile(JSON.stringify({ ackedSeq: seq }));
      if (this.lim.fsync) await fh.sync();
      await fh.close();
      await rename(tmp, join(this.dir, 'head'));
      await this.syncDir();
      while (this.queue.length > 0 && this.queue[0]!.seq <= seq) this.bytes -= msgBytes(this.queue.shift()!);
      // Delete fully delivered segments, oldest first (never the active one). In-order deletion
      // keeps every tombstone at least as long as the message it cancels.
      while (this.segments.length > 1 && this.segments[0]!.maxSeq <= seq) {
        await unlink(join(this.dir, segName(this.segments.shift()!.n)));
      }
    });
  }

  async drain(send: (m: OutboxMessage) => Promise<boolean>): Promise<number> {
    let sent = 0;
    for (;;) {
      const m = this.queue[0];
      if (!m || this.closed) return sent;
      let okSend = false;
      try {
        okSend = await send(m);
      } catch {
        okSend = false;
      }
      if (!okSend) return sent;
      await this.ack(m.seq);
      sent++;
    }
  }

  /** Rewrites the live messages into a fresh segment when dead data dominates the disk. */
  private async maybeCompact(): Promise<void> {
    const disk = this.segments.reduce((s, g) => s + g.bytes, 0);
    if (disk <= 2 * this.lim.hardMaxBytes + this.lim.segmentBytes) return;
    const n = this.segments.at(-1)!.n + 1;
    const buf = Buffer.concat(this.queue.map((m) => encodeRecord({ type: 'message', ...m })));
    const fh = await fsOpen(join(this.dir, segName(n)), 'w');
    await fh.write(buf);
    await fh.sync();
    await fh.close();
    await this.syncDir();
    await this.fh!.close();
    for (const g of this.segments) await unlink(join(this.dir, segName(g.n)));
    await this.syncDir();
    this.segments = [{ n, bytes: buf.length, maxSeq: this.queue.at(-1)?.seq ?? -1 }];
    this.fh = await fsOpen(join(this.dir, segName(n)), 'a');
  }

  stats(): OutboxStats {
    return {
      messages: this.queue.length,
      bytes: this.bytes,
      dropped: this.dropped,
      corrupt: this.corrupt,
      segments: this.segments.length,
      diskBytes: this.segments.reduce((s, g) => s + g.bytes, 0),
    };
  }

  close(): Promise<void> {
    return this.serial(async () => {
      if (this.closed) return;
      this.closed = true;
      await this.fh?.close();
    });
  }
}

