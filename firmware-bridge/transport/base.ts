/**
 * Plumbing every transport shares: data and error listeners, the counters, the closed flag and an
 * idempotent `close`. A transport keeps only how its bytes get in and out and how it shuts down.
 * [choice] An abstract base rather than composition: the four transports expose the same listener
 * and stats surface, and a base keeps that surface in one place without forwarding methods.
 */
import { Listeners } from './listeners.ts';
import { emptyTransportStats } from './types.ts';
import type { Peer, Transport, TransportStats } from './types.ts';

export abstract class TransportBase implements Transport {
  abstract readonly datagram: boolean;
  readonly url: string;
  protected readonly data = new Listeners<[Buffer]>((e) => this.fail(e));
  protected readonly errors = new Listeners<[Error]>();
  protected readonly st: TransportStats = emptyTransportStats();
  protected closed = false;

  protected constructor(url: string) {
    this.url = url;
  }

  abstract send(buf: Uint8Array): void;

  /** Releases the underlying port or socket; called once, by the first `close`. */
  protected abstract shutdown(): Promise<void>;

  /** Counts an error and tells the error listeners (a listener that throws counts as one). */
  protected fail(e: unknown): void {
    this.st.errors++;
    this.errors.emit(e instanceof Error ? e : new Error(String(e)));
  }

  /** Counts an incoming chunk and hands it to the data listeners. */
  protected deliver(b: Buffer): void {
    this.st.bytesIn += b.length;
    this.st.chunksIn++;
    this.data.emit(b);
  }

  /** Counts an outgoing chunk; returns false (counted as dropped) when `ok` is false. */
  protected admit(ok: boolean, buf: Uint8Array): boolean {
    if (!ok) {
      this.st.sendDropped++;
      return false;
    }
    this.st.bytesOut += buf.length;
    this.st.chunksOut++;
    return true;
  }

  onData(fn: (buf: Buffer) => void): () => void {
    return this.data.add(fn);
  }

  onError(fn: (err: Error) => void): () => void {
    return this.errors.add(fn);
  }

  stats(): TransportStats {
    return { ...this.st };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.shutdown();
  }
}

/** A transport with several peers: also tells which peer sent each chunk (`onDataFrom`). */
export abstract class MultiPeerTransportBase extends TransportBase {
  protected readonly dataFrom = new Listeners<[Buffer, Peer]>((e) => this.fail(e));

  /** Counts an incoming chunk from `peer`; data listeners first, then per-peer listeners. */
  protected deliverFrom(b: Buffer, peer: Peer): void {
    this.deliver(b);
    this.dataFrom.emit(b, peer);
  }

  onDataFrom(fn: (buf: Buffer, peer: Peer) => void): () => void {
    return this.dataFrom.add(fn);
  }
}
