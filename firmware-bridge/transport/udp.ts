/**
 * UDP transports.
 * - 'last-peer' (udp://, udpin://): bound socket; `send` answers the last peer heard (MAVProxy
 *   `udpin` behaviour; one GCS or one agent per socket).
 * - 'all-peers' (udpserver://): bound socket; `send` goes to the fixed peers plus every peer heard
 *   within `peerTimeoutMs`; `sendTo` addresses one peer.
 * - 'fixed' (udpout://): ephemeral socket sending to one configured peer; receives replies.
 *
 * On a clock with an activity tracker (`VirtualClock`) the socket registers `udp:<localPort>`;
 * a datagram sent to a registered port begins that key and the receiver ends it after its
 * listeners ran, so the clock does not advance while a datagram is in flight. (Keys are by port:
 * a deterministic run is one process on loopback.)
 */
import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { ActivityTracker, Clock } from '../../core/clock.ts';
import { MultiPeerTransportBase } from './base.ts';
import { peerKey } from './types.ts';
import type { MultiPeerTransport, Peer } from './types.ts';

export type UdpMode = 'last-peer' | 'all-peers' | 'fixed';

export interface UdpOptions {
  url: string;
  mode: UdpMode;
  /** Address to bind ('0.0.0.0' for any); ignored for 'fixed'. */
  host: string;
  /** Port to bind (0 = ephemeral); for 'fixed' the destination port. */
  port: number;
  /** Time source for peer expiry; default wall time. Its `activity` tracker, if any, is told about datagrams. */
  clock?: Pick<Clock, 'nowUs' | 'activity'>;
  /** 'all-peers': forget peers not heard from for this long. Default 10 000 ms. */
  peerTimeoutMs?: number;
  /** Allow sending to broadcast addresses. Default false. */
  broadcast?: boolean;
}

export class UdpTransport extends MultiPeerTransportBase implements MultiPeerTransport {
  override readonly datagram = true;
  private readonly sock: dgram.Socket;
  private readonly mode: UdpMode;
  private readonly fixed: Peer[] = [];
  private readonly heard = new Map<string, { peer: Peer; lastUs: number }>();
  private last: Peer | undefined;
  private readonly nowUs: () => number;
  private readonly peerTimeoutUs: number;
  private readonly activity: ActivityTracker | undefined;
  private readonly endpoint: string | undefined;

  private constructor(opts: UdpOptions, sock: dgram.Socket) {
    super(opts.url);
    this.mode = opts.mode;
    this.sock = sock;
    this.nowUs = opts.clock ? () => opts.clock!.nowUs() : () => performance.now() * 1000;
    this.peerTimeoutUs = (opts.peerTimeoutMs ?? 10_000) * 1000;
    this.activity = opts.clock?.activity;
    if (this.activity) {
      this.endpoint = `udp:${sock.address().port}`;
      this.activity.register(this.endpoint);
    }
    sock.on('message', (msg, rinfo) => this.onMessage(msg, rinfo));
    sock.on('error', (e) => this.fail(e));
  }

  /** Binds (or, for 'fixed', opens an ephemeral socket); rejects on bind errors (EADDRINUSE…). */
  static async open(opts: UdpOptions): Promise<UdpTransport> {
    const v6 = isIPv6(opts.host);
    const sock = dgram.createSocket({ type: v6 ? 'udp6' : 'udp4', reuseAddr: false });
    await new Promise<void>((resolve, reject) => {
      sock.once('error', reject);
      const done = () => {
        sock.off('error', reject);
        resolve();
      };
      if (opts.mode === 'fixed') sock.bind(0, done);
      else sock.bind(opts.port, opts.host, done);
    });
    if (opts.broadcast) sock.setBroadcast(true);
    const t = new UdpTransport(opts, sock);
    if (opts.mode === 'fixed') t.fixed.push({ kind: 'udp', address: opts.host, port: opts.port });
    return t;
  }

  get localPort(): number {
    return this.sock.address().port;
  }

  private onMessage(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    const peer: Peer = { kind: 'udp', address: rinfo.address, port: rinfo.port };
    this.last = peer;
    const k = peerKey(peer);
    this.heard.delete(k); // re-insert to keep most recent last
    this.heard.set(k, { peer, lastUs: this.nowUs() });
    try {
      this.deliverFrom(msg, peer);
    } finally {
      if (this.endpoint) this.activity!.end(this.endpoint);
    }
  }

  peers(): Peer[] {
    this.expire();
    const seen = new Set(this.fixed.map(peerKey));
    return [...this.fixed, ...[...this.heard.values()].map((h) => h.peer).filter((p) => !seen.has(peerKey(p)))];
  }

  addFixedPeer(peer: Peer): void {
    if (!this.fixed.some((p) => peerKey(p) === peerKey(peer))) this.fixed.push(peer);
  }

  private expire(): void {
    const now = this.nowUs();
    for (const [k, h] of this.heard) if (now - h.lastUs > this.peerTimeoutUs) this.heard.delete(k);
  }

  override send(buf: Uint8Array): void {
    if (this.closed) {
      this.st.sendDropped++;
      return;
    }
    if (this.mode === 'all-peers') return this.sendAllPeers(buf);
    let targets: Peer[];
    if (this.mode === 'last-peer') targets = this.last ? [this.last, ...this.fixed] : [...this.fixed];
    else targets = this.fixed;
    if (targets.length === 0) {
      this.st.sendDropped++;
      return;
    }
    for (const p of targets) this.sendTo(buf, p);
  }

  /** `send` to `peers()` without building the list: a SITL vehicle sends this 18 times a second (issue 20). */
  private sendAllPeers(buf: Uint8Array): void {
    this.expire();
    let sent = 0;
    for (const p of this.fixed) {
      this.sendTo(buf, p);
      sent++;
    }
    for (const h of this.heard.values()) {
      if (this.fixed.length > 0 && this.fixed.some((f) => f.port === h.peer.port && f.address === h.peer.address && f.kind === h.peer.kind)) continue;
      this.sendTo(buf, h.peer);
      sent++;
    }
    if (sent === 0) this.st.sendDropped++;
  }

  sendTo(buf: Uint8Array, peer: Peer): void {
    if (!this.admit(!this.closed, buf)) return;
    const key = this.activity?.tracks(`udp:${peer.port}`) ? `udp:${peer.port}` : undefined;
    if (key) this.activity!.begin(key);
    try {
      this.sock.send(buf, peer.port, peer.address, (err) => {
        if (err) {
          if (key) this.activity!.end(key);
          this.st.sendDropped++;
          this.fail(err);
        }
      });
    } catch (e) {
      if (key) this.activity!.end(key);
      this.st.sendDropped++;
      this.fail(e);
    }
  }

  protected override async shutdown(): Promise<void> {
    if (this.endpoint) this.activity!.unregister(this.endpoint);
    await new Promise<void>((resolve) => this.sock.close(() => resolve()));
  }
}
