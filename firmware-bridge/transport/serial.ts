/**
 * Serial transport (serial:///dev/ttyX:baud) over npm `serialport`. `portFactory` lets tests use
 * serialport's `SerialPortMock`; by default the native `SerialPort` is loaded on first use.
 */
import type { Duplex } from 'node:stream';
import { Listeners } from './listeners.ts';
import { emptyTransportStats } from './types.ts';
import type { Transport, TransportStats } from './types.ts';

/** What we need of a serialport instance (SerialPort and SerialPortMock both fit). */
export type SerialPortLike = Duplex & {
  open(cb: (err: Error | null) => void): void;
  close(cb: (err: Error | null) => void): void;
  readonly isOpen: boolean;
};

export type SerialPortFactory = (opts: { path: string; baudRate: number; autoOpen: false }) => SerialPortLike;

export interface SerialOptions {
  url: string;
  path: string;
  baudRate: number;
  portFactory?: SerialPortFactory;
}

export class SerialTransport implements Transport {
  readonly datagram = false;
  readonly url: string;
  private readonly data = new Listeners<[Buffer]>((e) => this.fail(e));
  private readonly errors = new Listeners<[Error]>();
  private readonly st: TransportStats = emptyTransportStats();
  private closed = false;

  private constructor(
    opts: SerialOptions,
    private readonly port: SerialPortLike,
  ) {
    this.url = opts.url;
    port.on('data', (b: Buffer) => {
      this.st.bytesIn += b.length;
      this.st.chunksIn++;
      this.data.emit(b);
    });
    port.on('error', (e: Error) => this.fail(e));
  }

  static async open(opts: SerialOptions): Promise<SerialTransport> {
    let factory = opts.portFactory;
    if (!factory) {
      const { SerialPort } = await import('serialport');
      factory = (o) => new SerialPort(o) as unknown as SerialPortLike;
    }
    const port = factory({ path: opts.path, baudRate: opts.baudRate, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    return new SerialTransport(opts, port);
  }

  private fail(e: unknown): void {
    this.st.errors++;
    this.errors.emit(e instanceof Error ? e : new Error(String(e)));
  }

  send(buf: Uint8Array): void {
    if (this.closed || !this.port.isOpen) {
      this.st.sendDropped++;
      return;
    }
    this.st.bytesOut += buf.length;
    this.st.chunksOut++;
    this.port.write(buf);
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
    if (!this.port.isOpen) return;
    await new Promise<void>((resolve) => this.port.close(() => resolve()));
  }
}
