/**
 * A TCP proxy in front of a real MQTT broker that can act out what a clustered broker does while
 * it re-elects after a node's death (deploy/cluster/README.md): it takes QoS 1 publishes but does
 * not acknowledge them (`stall`: PUBACKs from the broker are dropped on their way to the client),
 * and it closes client connections (`closeAll`), as nats-server does to a connection stuck behind
 * JetStream. Everything else passes through unchanged, byte for byte. For tests.
 */
import net from 'node:net';

const PUBACK = 0x4;

/** Splits an MQTT byte stream into whole packets (fixed header + remaining length). */
class Framer {
  private buf = Buffer.alloc(0);
  push(chunk: Buffer): Buffer[] {
    this.buf = Buffer.concat([this.buf, chunk]);
    const out: Buffer[] = [];
    for (;;) {
      let len = 0;
      let mul = 1;
      let i = 1;
      for (; i < this.buf.length && i <= 4; i++) {
        const b = this.buf[i]!;
        len += (b & 0x7f) * mul;
        mul *= 128;
        if ((b & 0x80) === 0) break;
      }
      if (i >= this.buf.length || this.buf.length < i + 1 + len) return out;
      out.push(this.buf.subarray(0, i + 1 + len));
      this.buf = this.buf.subarray(i + 1 + len);
    }
  }
}

export class StallProxy {
  /** Drop the broker's PUBACKs (the client's QoS 1 publishes stay unacknowledged). */
  stall = false;
  /** PUBACKs dropped so far. */
  dropped = 0;
  private server: net.Server | undefined;
  private readonly pairs = new Set<[net.Socket, net.Socket]>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.server = net.createServer({ noDelay: true }, (client) => {
      const upstream = net.connect({ ...this.target, noDelay: true });
      const pair: [net.Socket, net.Socket] = [client, upstream];
      this.pairs.add(pair);
      const framer = new Framer();
      client.on('data', (d) => upstream.write(d));
      upstream.on('data', (d) => {
        for (const p of framer.push(d)) {
          if (this.stall && p[0]! >> 4 === PUBACK) this.dropped++;
          else client.write(p);
        }
      });
      const end = () => {
        this.pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      client.on('close', end).on('error', end);
      upstream.on('close', end).on('error', end);
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  /** Closes every client connection (the broker side sees the client gone without DISCONNECT). */
  closeAll(): void {
    for (const [c, u] of this.pairs) {
      c.destroy();
      u.destroy();
    }
    this.pairs.clear();
  }

  get connections(): number {
    return this.pairs.size;
  }

  async stop(): Promise<void> {
    this.closeAll();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
