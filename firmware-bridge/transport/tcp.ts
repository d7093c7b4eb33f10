/**
 * TCP transports.
 * - `TcpClientTransport` (tcp://host:port): connects and reconnects after `reconnectMs` whenever
 *   the connection drops or is refused (ArduPilot SITL on 5760 restarts, serial-to-TCP bridges).
 *   Bytes sent while disconnected are dropped and counted, never queued: stale MAVLink is harmful.
 * - `TcpServerTransport` (tcpin://[host]:port): accepts clients; `send` goes to all of them.
 */
import net from 'node:net';
import { MultiPeerTransportBase, TransportBase } from './base.ts';
import { Listeners } from './listeners.ts';
import { peerKey } from './types.ts';
import type { MultiPeerTransport, Peer } from './types.ts';

export interface TcpClientOptions {
  url: string;
  host: string;
  port: number;
  /** Delay before reconnecting, wall ms. Default 1000. */
  reconnectMs?: number;
}

export class TcpClientTransport extends TransportBase {
  override readonly datagram = false;
  private sock: net.Socket | undefined;
  private isConnected = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly connects = new Listeners<[boolean]>();
  private attempts = 0;

  constructor(private readonly opts: TcpClientOptions) {
    super(opts.url);
    this.connect();
  }

  get connected(): boolean {
    return this.isConnected;
  }

  /** Called with true on every (re)connection and false on every disconnection. */
  onConnection(fn: (up: boolean) => void): () => void {
    return this.connects.add(fn);
  }

  /** Resolves true once connected, false after `timeoutMs` (wall) or on close. */
  waitConnected(timeoutMs: number): Promise<boolean> {
    if (this.isConnected) return Promise.resolve(true);
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        off();
        resolve(false);
      }, timeoutMs);
      const off = this.connects.add((up) => {
        if (!up) return;
        clearTimeout(t);
        off();
        resolve(true);
      });
    });
  }

  private connect(): void {
    if (this.closed) return;
    if (this.attempts++ > 0) this.st.reconnects++;
    const s = net.connect({ host: this.opts.host, port: this.opts.port });
    s.setNoDelay(true);
    this.sock = s;
    s.on('connect', () => {
      this.isConnected = true;
      this.connects.emit(true);
    });
    s.on('data', (b: Buffer) => this.deliver(b));
    s.on('error', (e) => this.fail(e));
    s.on('close', () => {
      const was = this.isConnected;
      this.isConnected = false;
      if (was) this.connects.emit(false);
      if (!this.closed) this.timer = setTimeout(() => this.connect(), this.opts.reconnectMs ?? 1000);
    });
  }

  override send(buf: Uint8Array): void {
    const s = this.sock;
    if (this.admit(this.isConnected && s !== undefined, buf)) s!.write(buf);
  }

  protected override async shutdown(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    const s = this.sock;
    if (!s || s.destroyed) return;
    await new Promise<void>((resolve) => {
      s.once('close', () => resolve());
      s.destroy();
    });
  }
}

export interface TcpServerOptions {
  url: string;
  host: string;
  port: number;
}

export class TcpServerTransport extends MultiPeerTransportBase implements MultiPeerTransport {
  override readonly datagram = false;
  private readonly clients = new Map<string, { peer: Peer; sock: net.Socket }>();

  private constructor(
    opts: TcpServerOptions,
    private readonly server: net.Server,
  ) {
    super(opts.url);
    server.on('connection', (s) => this.accept(s));
    server.on('error', (e) => this.fail(e));
  }

  static async open(opts: TcpServerOptions): Promise<TcpServerTransport> {
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port, opts.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new TcpServerTransport(opts, server);
  }

  get localPort(): number {
    const a = this.server.address();
    return typeof a === 'object' && a ? a.port : 0;
  }

  private accept(sock: net.Socket): void {
    sock.setNoDelay(true);
    const peer: Peer = { kind: 'tcp', address: sock.remoteAddress ?? '?', port: sock.remotePort ?? 0 };
    const k = peerKey(peer);
    this.clients.set(k, { peer, sock });
    sock.on('data', (b: Buffer) => this.deliverFrom(b, peer));
    sock.on('error', (e) => this.fail(e));
    sock.on('close', () => this.clients.delete(k));
  }

  peers(): Peer[] {
    return [...this.clients.values()].map((c) => c.peer);
  }

  /** TCP servers have no fixed peers: clients connect to us. Throws. */
  addFixedPeer(_peer: Peer): void {
    throw new Error('tcpin:// cannot add fixed peers; clients must connect');
  }

  override send(buf: Uint8Array): void {
    if (this.clients.size === 0) {
      this.st.sendDropped++;
      return;
    }
    for (const c of this.clients.values()) this.sendTo(buf, c.peer);
  }

  sendTo(buf: Uint8Array, peer: Peer): void {
    const c = this.clients.get(peerKey(peer));
    if (this.admit(c !== undefined && !this.closed, buf)) c!.sock.write(buf);
  }

  protected override async shutdown(): Promise<void> {
    for (const c of this.clients.values()) c.sock.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
