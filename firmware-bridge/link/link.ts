/**
 * A MAVLink link = transport + encoder + decoder(s) (+ optional tlog of every frame in and out).
 * Stream transports with several peers (tcpin://) get one decoder per peer, sharing one replay
 * table; datagram transports decode each datagram on its own. This is what the bridge and the
 * SITL servers sit on.
 */
import type { MavLinkData } from 'node-mavlink';
import type { Clock } from '../../core/clock.ts';
import type { Result } from '../../core/result.ts';
import { ok, fail } from '../../core/result.ts';
import { MavlinkEncoder } from '../mavlink/encoder.ts';
import type { EncoderOptions } from '../mavlink/encoder.ts';
import { MavlinkDecoder, ReplayTable } from '../mavlink/decoder.ts';
import type { DecodedPacket, DecoderOptions, DecoderStats } from '../mavlink/decoder.ts';
import type { MultiPeerTransport, Peer, Transport } from '../transport/types.ts';
import { peerKey } from '../transport/types.ts';
import type { TlogSink } from '../tlog/writer.ts';
import { Listeners } from '../transport/listeners.ts';

export interface LinkOptions {
  /** Our identity on this link (and signing, if any), or a ready encoder. */
  encoder: MavlinkEncoder | EncoderOptions;
  decoder?: Omit<DecoderOptions, 'replayTable'>;
  /** Records every frame received and sent. */
  tlog?: TlogSink;
  /** Time for tlog stamps (µs since the Unix epoch); default wall clock. */
  clock?: Pick<Clock, 'nowUs'>;
}

export type PacketHandler = (pkt: DecodedPacket, peer: Peer | undefined) => void;

const isMulti = (t: Transport): t is MultiPeerTransport => typeof (t as MultiPeerTransport).onDataFrom === 'function';

export class MavlinkLink {
  readonly encoder: MavlinkEncoder;
  private readonly replay = new ReplayTable();
  private readonly decoders = new Map<string, MavlinkDecoder>();
  private readonly handlers = new Listeners<[DecodedPacket, Peer | undefined]>();
  private readonly unsubscribe: () => void;
  private readonly nowUs: () => number;

  constructor(
    readonly transport: Transport,
    private readonly opts: LinkOptions,
  ) {
    this.encoder = opts.encoder instanceof MavlinkEncoder ? opts.encoder : new MavlinkEncoder(opts.encoder);
    this.nowUs = opts.clock ? () => opts.clock!.nowUs() : () => Date.now() * 1000;
    if (isMulti(transport)) this.unsubscribe = transport.onDataFrom((b, p) => this.ingest(b, p));
    else this.unsubscribe = transport.onData((b) => this.ingest(b, undefined));
  }

  private decoderFor(peer: Peer | undefined): MavlinkDecoder {
    const k = peer && !this.transport.datagram ? peerKey(peer) : '';
    let d = this.decoders.get(k);
    if (!d) {
      d = new MavlinkDecoder({ ...this.opts.decoder, replayTable: this.replay });
      this.decoders.set(k, d);
    }
    return d;
  }

  private ingest(buf: Buffer, peer: Peer | undefined): void {
    const d = this.decoderFor(peer);
    const pkts = this.transport.datagram ? d.pushDatagram(buf) : d.push(buf);
    for (const p of pkts) {
      this.opts.tlog?.write(this.nowUs(), p.raw);
      this.handlers.emit(p, peer);
    }
  }

  /** Subscribes to decoded packets (with the peer they came from on multi-peer transports). */
  onPacket(fn: PacketHandler): () => void {
    return this.handlers.add(fn);
  }

  /** Encodes and sends `msg` to the transport's destination(s). */
  send(msg: MavLinkData): Result<Buffer, 'encode_error'> {
    const r = this.encoder.tryEncode(msg);
    if (r.ok) this.sendRaw(r.value);
    return r;
  }

  /** Encodes and sends to one peer (multi-peer transports only). */
  sendTo(msg: MavLinkData, peer: Peer): Result<Buffer, 'encode_error' | 'not_multi_peer'> {
    if (!isMulti(this.transport)) return fail('not_multi_peer', `${this.transport.url} has a single destination`);
    const r = this.encoder.tryEncode(msg);
    if (!r.ok) return r;
    this.opts.tlog?.write(this.nowUs(), r.value);
    this.transport.sendTo(r.value, peer);
    return ok(r.value);
  }

  /** Sends an already-encoded frame (e.g. forwarding). */
  sendRaw(frame: Buffer): void {
    this.opts.tlog?.write(this.nowUs(), frame);
    this.transport.send(frame);
  }

  /** Sum of all decoders' counters. */
  decoderStats(): DecoderStats {
    const sum = new MavlinkDecoder().stats;
    for (const d of this.decoders.values()) {
      const s = d.stats;
      for (const k of Object.keys(sum) as Array<keyof DecoderStats>) sum[k] += s[k];
    }
    return sum;
  }

  /** Detaches from the transport; closes it too unless `keepTransport`. */
  async close(keepTransport = false): Promise<void> {
    this.unsubscribe();
    if (!keepTransport) await this.transport.close();
  }
}
