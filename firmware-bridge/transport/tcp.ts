/**
 * TCP transports.
 * - `TcpClientTransport` (tcp://host:port): connects and reconnects after `reconnectMs` whenever
 *   the connection drops or is refused (ArduPilot SITL on 5760 restarts, serial-to-TCP bridges).
 *   Bytes sent while disconnected are dropped and counted, never queued: stale MAVLink is harmful.
 * - `TcpServerTransport` (tcpin://[host]:port): accepts clients; `send` goes to all of them.
 */
import net from 'node:net';
import { Listeners } from './listeners.ts';
import { emptyTransportStats, peerKey } from './types.ts';
import type { MultiPeerTransport, Peer, Transport, TransportStats } from './types.ts';

export interface TcpClientOptions {
  url: string;
  host: string;
  port: number;
  /** Delay before reconnecting, wall ms. Default 1000. */
  reconnectMs?: number;
}

export class TcpClientTransport implements Transport {
  readonly datagram = false;
  readonly url: string;
  private sock: net.Socket | undefined;
  private isConnected = false;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly data = new Listeners<[Buffer]>((e) => this.fail(e));
  private readonly errors = new Listeners<[Error]>();
  private readonly connects = new Listeners<[boolean]>();
  private readonly st: TransportStats = emptyTransportStats();
  private attempts = 0;

  constructor(private readonly opts: TcpClientOptions) {
    this.url = opts.url;
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

  private fail(e: unknown): void {
    this.st.errors++;
    this.errors.emit(e instanceof Error ? e : new Error(String(e)));
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
    s.on('data', (b: Buffer) => {
      this.st.bytesIn += b.length;
      this.st.chunksIn++;
      this.data.emit(b);
    });
    s.on('error', (e) => this.fail(e));
    s.on('close', () => {
      const was = this.isConnected;
      this.isConnected = false;
      if (was) this.connects.emit(false);
      if (!this.closed) this.timer = setTimeout(() => this.connect(), this.opts.reconnectMs ?? 1000);
    });
  }

  send(buf: Uint8Array): void {
    if (!this.isConnected || !this.sock) {
      this.st.sendDropped++;
      return;
    }
    this.st.bytesOut += buf.length;
    this.st.chunksOut++;
    this.sock.write(buf);
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

export class TcpServerTransport implements MultiPeerTransport {
  readonly datagram = false;
  readonly url: string;
  private readonly clients = new Map<string, { peer: Peer; sock: net.Socket }>();
  private readonly data = new Listeners<[Buffer]>((e) => this.fail(e));
  private readonly dataFrom = new Listeners<[Buffer, Peer]>((e) => this.fail(e));
  private readonly errors = new Listeners<[Error]>();
  private readonly st: TransportStats = emptyTransportStats();
  private closed = false;

  private constructor(
    opts: TcpServerOptions,
    private readonly server: net.Server,
  ) {
    this.url = opts.url;
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

  private fail(e: unknown): void {
    this.st.errors++;
    this.errors.emit(e instanceof Error ? e : new Error(String(e)));
  }

  private accept(sock: net.Socket): void {
    sock.setNoDelay(true);
    const peer: Peer = { kind: 'tcp', address: sock.remoteAddress ?? '?', port: sock.remotePort ?? 0 };
    const k = peerKey(peer);
    this.clients.set(k, { peer, sock });
    sock.on('data', (b: Buffer) => {
      this.st.bytesIn += b.length;
      this.st.chunksIn++;
      this.data.emit(b);
      this.dataFrom.emit(b, peer);
    });
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

  send(buf: Uint8Array): void {
    if (this.clients.size === 0) {
      this.st.sendDropped++;
      return;
    }
    for (const c of this.clients.values()) this.sendTo(buf, c.peer);
  }

  sendTo(buf: Uint8Array, peer: Peer): void {
    const c = this.clients.get(peerKey(peer));
    if (!c || this.closed) {
      this.st.sendDropped++;
      return;
    }
    this.st.bytesOut += buf.length;
    this.st.chunksOut++;
    c.sock.write(buf);
  }

  onData(fn: (buf: Buffer) => void): () => void {
    return this.data.add(fn);
  }

  onDataFrom(fn: (buf: Buffer, peer: Peer) => void): () => void {
    return this.dataFrom.add(fn);
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
    for (const c of this.clients.values()) c.sock.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
