/**
 * Stream/datagram MAVLink decoder (MAVLINK.md §0, §7). Feed it bytes in any chunking; it returns
 * every valid frame (v1 or v2). It never throws on input: junk is skipped, frames with a bad CRC,
 * unknown incompat flags, oversize payloads, a bad signature, a replayed timestamp or a refused
 * unsigned message are dropped and counted in `stats`.
 *
 * CRC_EXTRA for the msgid must be known to check a frame's CRC. Frames whose msgid is unknown to
 * every dialect mavlink-mappings ships are dropped (counted `unknownCrcExtra`) unless
 * `unknownMessages: 'emit'`, in which case they are emitted with `crcChecked: false` (for
 * routers and log tools; such frames can be junk that happens to look like a header).
 */
import type { MavLinkData } from 'node-mavlink';
import { frameCrc } from './crc.ts';
import { readPayload } from './fields.ts';
import { crcExtraOf, messageClass } from './registry.ts';
import { checkKey, IFLAG_SIGNED, NEW_STREAM_MAX_LAG, SIGNATURE_LENGTH, signatureMatches } from './signing.ts';

export interface DecodedPacket {
  protocol: 1 | 2;
  sysid: number;
  compid: number;
  msgid: number;
  seq: number;
  signed: boolean;
  /** True when the signature was checked against a key (and matched). */
  signatureVerified: boolean;
  linkId?: number;
  /** Signing units (10 µs since 2015-01-01). */
  signatureTimestamp?: number;
  /** False only for unknown msgids emitted under `unknownMessages: 'emit'`. */
  crcChecked: boolean;
  /** The decoded node-mavlink object; undefined when no class is registered for msgid. */
  message?: MavLinkData;
  name?: string;
  /** The whole frame as received (a copy, safe to keep). */
  raw: Buffer;
}

export type UnsignedPolicy = 'accept' | 'reject' | { acceptMsgids: readonly number[] };

export interface DecoderSigning {
  key: Buffer;
  /** What to do with unsigned packets (MAVLINK.md §7: local policy). Default 'reject'. */
  /** Also applied to MAVLink 1 frames, which cannot be signed. */
  unsigned?: UnsignedPolicy;
}

export interface DecoderOptions {
  /** When set, signed packets are verified and unsigned ones filtered by policy. */
  signing?: DecoderSigning;
  unknownMessages?: 'drop' | 'emit';
  /**
   * Replay state; pass one table to several decoders of the same link (e.g. one decoder per TCP
   * client) so a frame replayed from another peer is still caught. Default: a private table.
   */
  replayTable?: ReplayTable;
}

/**
 * Signed-stream timestamps per (sysid, compid, link_id), the C library's replay rule
 * (MAVLINK.md §7): a known stream must strictly increase; a new stream more than one minute
 * behind the newest timestamp seen is rejected; at most `maxStreams` streams (default 256).
 */
export class ReplayTable {
  private readonly streams = new Map<string, number>();
  private newest = 0;
  constructor(private readonly maxStreams = 256) {}

  /** Returns the drop reason, or undefined after recording an accepted timestamp. */
  check(sysid: number, compid: number, linkId: number, ts: number): 'replay' | 'staleStream' | 'tooManyStreams' | undefined {
    const key = (sysid << 16) | (compid << 8) | linkId;
    const last = this.streams.get(String(key));
    if (last === undefined) {
      if (this.streams.size >= this.maxStreams) return 'tooManyStreams';
      if (ts + NEW_STREAM_MAX_LAG < this.newest) return 'staleStream';
    } else if (ts <= last) {
      return 'replay';
    }
    this.streams.set(String(key), ts);
    if (ts > this.newest) this.newest = ts;
    return undefined;
  }
}

export interface DecoderStats {
  packets: number;
  bytes: number;
  junkBytes: number;
  badCrc: number;
  unknownCrcExtra: number;
  badIncompatFlags: number;
  badLength: number;
  badSignature: number;
  replay: number;
  staleStream: number;
  tooManyStreams: number;
  unsignedRejected: number;
  /** Incomplete frames discarded at the end of a datagram. */
  truncated: number;
  decodeErrors: number;
}

const emptyStats = (): DecoderStats => ({
  packets: 0,
  bytes: 0,
  junkBytes: 0,
  badCrc: 0,
  unknownCrcExtra: 0,
  badIncompatFlags: 0,
  badLength: 0,
  badSignature: 0,
  replay: 0,
  staleStream: 0,
  tooManyStreams: 0,
  unsignedRejected: 0,
  truncated: 0,
  decodeErrors: 0,
});

const V1 = 0xfe;
const V2 = 0xfd;

/** Outcome of looking at the bytes from one STX. */
type Step =
  | { kind: 'need' }
  | { kind: 'skip'; reason: keyof DecoderStats }
  | { kind: 'frame'; len: number; packet?: DecodedPacket; dropped?: keyof DecoderStats };

export class MavlinkDecoder {
  private buf: Buffer = Buffer.alloc(0);
  private readonly st = emptyStats();
  private readonly replay: ReplayTable;
  private readonly signing: DecoderSigning | undefined;
  private readonly unsignedAccept: (msgid: number) => boolean;
  private readonly unknownMessages: 'drop' | 'emit';

  constructor(opts: DecoderOptions = {}) {
    if (opts.signing) checkKey(opts.signing.key);
    this.signing = opts.signing;
    const pol = opts.signing?.unsigned ?? 'reject';
    if (!opts.signing || pol === 'accept') this.unsignedAccept = () => true;
    else if (pol === 'reject') this.unsignedAccept = () => false;
    else {
      const set = new Set(pol.acceptMsgids);
      this.unsignedAccept = (id) => set.has(id);
    }
    this.unknownMessages = opts.unknownMessages ?? 'drop';
    this.replay = opts.replayTable ?? new ReplayTable();
  }

  /** Counters since construction (a copy). */
  get stats(): DecoderStats {
    return { ...this.st };
  }

  /** Bytes held waiting for the rest of a frame. */
  get pending(): number {
    return this.buf.length;
  }

  /** Feeds a stream chunk; returns the frames completed by it, in order. */
  push(chunk: Uint8Array): DecodedPacket[] {
    const out: DecodedPacket[] = [];
    try {
      this.st.bytes += chunk.length;
      this.buf = this.buf.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buf, chunk]);
      this.drain(out);
    } catch {
      // Unreachable by construction; guarantees the never-throw contract regardless.
      this.st.decodeErrors++;
      this.buf = Buffer.alloc(0);
    }
    return out;
  }

  /** Feeds one whole datagram: like `push`, then discards any incomplete tail. */
  pushDatagram(datagram: Uint8Array): DecodedPacket[] {
    const out = this.push(datagram);
    if (this.buf.length > 0) {
      this.st.truncated++;
      this.buf = Buffer.alloc(0);
    }
    return out;
  }

  /** Forgets buffered bytes (not the replay table). */
  reset(): void {
    this.buf = Buffer.alloc(0);
  }

  private drain(out: DecodedPacket[]): void {
    const b = this.buf;
    let pos = 0;
    while (pos < b.length) {
      const c = b[pos]!;
      if (c !== V1 && c !== V2) {
        pos++;
        this.st.junkBytes++;
        continue;
      }
      const step = c === V2 ? this.tryV2(b, pos) : this.tryV1(b, pos);
      if (step.kind === 'need') break;
      if (step.kind === 'skip') {
        this.st[step.reason]++;
        this.st.junkBytes++;
        pos++;
        continue;
      }
      if (step.dropped) this.st[step.dropped]++;
      if (step.packet) {
        out.push(step.packet);
        this.st.packets++;
      }
      pos += step.len;
    }
    this.buf = pos >= b.length ? Buffer.alloc(0) : b.subarray(pos);
  }

  private tryV1(b: Buffer, p: number): Step {
    if (b.length - p < 6) return { kind: 'need' };
    const len = b[p + 1]!;
    const total = 6 + len + 2;
    if (b.length - p < total) return { kind: 'need' };
    const msgid = b[p + 5]!;
    const extra = crcExtraOf(msgid);
    const crcOk = extra !== undefined && frameCrc(b, p + 1, p + 6 + len, extra) === b.readUInt16LE(p + 6 + len);
    if (extra === undefined && this.unknownMessages === 'drop') return { kind: 'skip', reason: 'unknownCrcExtra' };
    if (extra !== undefined && !crcOk) return { kind: 'skip', reason: 'badCrc' };
    const clazz = messageClass(msgid);
    if (clazz && len > clazz.PAYLOAD_LENGTH) return { kind: 'frame', len: total, dropped: 'badLength' };
    if (this.signing && !this.unsignedAccept(msgid)) return { kind: 'frame', len: total, dropped: 'unsignedRejected' };
    const raw = Buffer.from(b.subarray(p, p + total));
    return {
      kind: 'frame',
      len: total,
      packet: this.build(1, raw, raw[2]!, raw[3]!, raw[4]!, msgid, raw.subarray(6, 6 + len), extra !== undefined),
    };
  }

  private tryV2(b: Buffer, p: number): Step {
    if (b.length - p < 10) return { kind: 'need' };
    const len = b[p + 1]!;
    const incompat = b[p + 2]!;
    if ((incompat & ~IFLAG_SIGNED) !== 0) return { kind: 'skip', reason: 'badIncompatFlags' };
    const signed = (incompat & IFLAG_SIGNED) !== 0;
    const total = 10 + len + 2 + (signed ? SIGNATURE_LENGTH : 0);
    if (b.length - p < total) return { kind: 'need' };
    const msgid = b.readUIntLE(p + 7, 3);
    const extra = crcExtraOf(msgid);
    if (extra === undefined && this.unknownMessages === 'drop') return { kind: 'skip', reason: 'unknownCrcExtra' };
    if (extra !== undefined && frameCrc(b, p + 1, p + 10 + len, extra) !== b.readUInt16LE(p + 10 + len))
      return { kind: 'skip', reason: 'badCrc' };
    const clazz = messageClass(msgid);
    if (clazz && len > clazz.PAYLOAD_LENGTH) return { kind: 'frame', len: total, dropped: 'badLength' };
    const raw = Buffer.from(b.subarray(p, p + total));
    const sysid = raw[5]!;
    const compid = raw[6]!;
    let linkId: number | undefined;
    let ts: number | undefined;
    let verified = false;
    if (signed) {
      const sigStart = 10 + len + 2;
      linkId = raw[sigStart]!;
      ts = raw.readUIntLE(sigStart + 1, 6);
      if (this.signing) {
        if (!signatureMatches(this.signing.key, raw, sigStart)) return { kind: 'frame', len: total, dropped: 'badSignature' };
        const verdict = this.replay.check(sysid, compid, linkId, ts);
        if (verdict) return { kind: 'frame', len: total, dropped: verdict };
        verified = true;
      }
    } else if (this.signing && !this.unsignedAccept(msgid)) {
      return { kind: 'frame', len: total, dropped: 'unsignedRejected' };
    }
    const pkt = this.build(2, raw, raw[4]!, sysid, compid, msgid, raw.subarray(10, 10 + len), extra !== undefined);
    pkt.signed = signed;
    pkt.signatureVerified = verified;
    if (linkId !== undefined) pkt.linkId = linkId;
    if (ts !== undefined) pkt.signatureTimestamp = ts;
    return { kind: 'frame', len: total, packet: pkt };
  }

  private build(
    protocol: 1 | 2,
    raw: Buffer,
    seq: number,
    sysid: number,
    compid: number,
    msgid: number,
    payload: Buffer,
    crcChecked: boolean,
  ): DecodedPacket {
    const pkt: DecodedPacket = { protocol, sysid, compid, msgid, seq, signed: false, signatureVerified: false, crcChecked, raw };
    const clazz = messageClass(msgid);
    if (clazz) {
      pkt.name = clazz.MSG_NAME;
      try {
        pkt.message = readPayload(clazz, payload);
      } catch {
        this.st.decodeErrors++;
      }
    }
    return pkt;
  }
}
