/**
 * Serial transport (serial:///dev/ttyX:baud) over npm `serialport`. `portFactory` lets tests use
 * serialport's `SerialPortMock`; by default the native `SerialPort` is loaded on first use.
 */
import type { Duplex } from 'node:stream';
import { TransportBase } from './base.ts';

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

export class SerialTransport extends TransportBase {
  override readonly datagram = false;

  private constructor(
    opts: SerialOptions,
    private readonly port: SerialPortLike,
  ) {
    super(opts.url);
    port.on('data', (b: Buffer) => this.deliver(b));
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

  override send(buf: Uint8Array): void {
    if (this.admit(!this.closed && this.port.isOpen, buf)) this.port.write(buf);
  }

  protected override async shutdown(): Promise<void> {
    if (!this.port.isOpen) return;
    await new Promise<void>((resolve) => this.port.close(() => resolve()));
  }
}
