/** Appends tlog records to a file. Writes are buffered by the stream; `close` flushes. */
import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { encodeTlogRecord } from './format.ts';

export interface TlogSink {
  /** Records one raw frame at `tUs` (µs since the Unix epoch). */
  write(tUs: number, frame: Uint8Array): void;
}

export class TlogWriter implements TlogSink {
  private readonly stream: WriteStream;
  private failed: Error | undefined;
  private count = 0;

  /** Opens `path` for appending (created if missing). */
  constructor(readonly path: string) {
    this.stream = createWriteStream(path, { flags: 'a' });
    this.stream.on('error', (e) => (this.failed = e));
  }

  write(tUs: number, frame: Uint8Array): void {
    if (this.failed) return;
    this.stream.write(encodeTlogRecord(tUs, frame));
    this.count++;
  }

  /** Records written so far. */
  get records(): number {
    return this.count;
  }

  /** The first write error, if any (writing stops after it). */
  get error(): Error | undefined {
    return this.failed;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.stream.closed || this.stream.destroyed) return resolve();
      this.stream.end(() => resolve());
    });
  }
}

/** In-memory sink (tests, short captures). */
export class MemoryTlog implements TlogSink {
  readonly chunks: Buffer[] = [];
  write(tUs: number, frame: Uint8Array): void {
    this.chunks.push(encodeTlogRecord(tUs, frame));
  }
  toBuffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}
