/**
 * MAVLink 2 encoder for one link (MAVLINK.md §0, §7, §8). Differences from node-mavlink's
 * `MavLinkProtocolV2.serialize`/`send`, each fixing a verified pitfall:
 * - always v2, with this encoder's own sysid/compid and its own 8-bit sequence counter
 *   (node-mavlink's `send` defaults to v1 with a module-global counter: pitfall 1);
 * - trailing zero bytes are truncated but the first payload byte never is, so an all-zero
 *   payload goes out with len 1 (pitfall 4);
 * - signing timestamps come from the injected clock and strictly increase per link even when
 *   several packets are signed within one 10 µs tick (pitfall 5).
 */
import type { MavLinkData } from 'node-mavlink';
import type { Clock } from '../../core/clock.ts';
import type { Result } from '../../core/result.ts';
import { ok, fail } from '../../core/result.ts';
import { frameCrc } from './crc.ts';
import { writePayload, MavlinkEncodeError } from './fields.ts';
import type { MessageClass } from './registry.ts';
import {
  checkKey,
  IFLAG_SIGNED,
  MAX_SIGNING_TIMESTAMP,
  SIGNATURE_LENGTH,
  signingTimestampFromUnixUs,
  writeSignatureAfterKey,
} from './signing.ts';

export interface SigningConfig {
  /** 32-byte secret. */
  key: Buffer;
  /** 0–255; identifies this link in the receiver's replay table. */
  linkId: number;
  /** Source of the signing timestamp (µs since the Unix epoch). */
  clock: Pick<Clock, 'nowUs'>;
  /** Lower bound for the first timestamp (e.g. restored from storage), signing units. */
  initialTimestamp?: number;
}

export interface EncoderOptions {
  sysid: number;
  compid: number;
  signing?: SigningConfig;
}

const HEADER_LEN = 10;
/** The frame starts here in the scratch buffer; the signing key sits in front of it. */
const F = 32;

export class MavlinkEncoder {
  readonly sysid: number;
  readonly compid: number;
  private seqNext = 0;
  private signing: SigningConfig | undefined;
  private lastTimestamp = 0;
  /**
   * key (32 bytes, when signing) ‖ the frame being built: the frame is written once, hashed in
   * place for its signature (one SHA-256 over key ‖ frame, no copies, no hash object) and copied
   * once into the Buffer returned (issue 20).
   */
  private scratch = Buffer.alloc(F + HEADER_LEN + 255 + 2 + SIGNATURE_LENGTH);

  constructor(opts: EncoderOptions) {
    for (const [k, v] of [
      ['sysid', opts.sysid],
      ['compid', opts.compid],
    ] as const) {
      if (!Number.isInteger(v) || v < 0 || v > 255) throw new RangeError(`${k} must be an integer 0–255, got ${v}`);
    }
    this.sysid = opts.sysid;
    this.compid = opts.compid;
    this.setSigning(opts.signing);
  }

  /** Enables, changes or (with undefined) disables signing on this link. */
  setSigning(signing: SigningConfig | undefined): void {
    if (signing) {
      checkKey(signing.key);
      if (!Number.isInteger(signing.linkId) || signing.linkId < 0 || signing.linkId > 255)
        throw new RangeError(`linkId must be an integer 0–255, got ${signing.linkId}`);
      this.lastTimestamp = Math.max(this.lastTimestamp, (signing.initialTimestamp ?? 0) - 1);
      signing.key.copy(this.scratch, 0, 0, 32);
    }
    this.signing = signing;
  }

  /** Sequence number the next packet will carry. */
  get nextSeq(): number {
    return this.seqNext;
  }

  /** Last signing timestamp used (signing units), 0 before the first signed packet. */
  get lastSigningTimestamp(): number {
    return this.lastTimestamp;
  }

  /**
   * Serialises `msg` into a fresh Buffer (one frame). Throws `MavlinkEncodeError` when a field
   * value does not fit its wire type; see `tryEncode` for a Result.
   */
  encode(msg: MavLinkData): Buffer {
    const clazz = msg.constructor as unknown as MessageClass;
    if (typeof clazz.MSG_ID !== 'number' || !Array.isArray(clazz.FIELDS))
      throw new MavlinkEncodeError(String(clazz.name), '', 'not a MAVLink message class');
    const buf = this.scratch;
    const P = F + HEADER_LEN;
    buf.fill(0, P, P + clazz.PAYLOAD_LENGTH);
    writePayload(msg, buf, P);
    let len = clazz.PAYLOAD_LENGTH;
    while (len > 1 && buf[P + len - 1] === 0) len--;
    if (len === 0) len = 1; // zero-length messages do not exist in MAVLink; keep the rule anyway
    const signing = this.signing;
    const total = HEADER_LEN + len + 2 + (signing ? SIGNATURE_LENGTH : 0);
    buf[F] = 0xfd;
    buf[F + 1] = len;
    buf[F + 2] = signing ? IFLAG_SIGNED : 0;
    buf[F + 3] = 0;
    buf[F + 4] = this.seqNext;
    buf[F + 5] = this.sysid;
    buf[F + 6] = this.compid;
    buf[F + 7] = clazz.MSG_ID & 0xff;
    buf[F + 8] = (clazz.MSG_ID >>> 8) & 0xff;
    buf[F + 9] = (clazz.MSG_ID >>> 16) & 0xff;
    const crc = frameCrc(buf, F + 1, P + len, clazz.MAGIC_NUMBER);
    buf[P + len] = crc & 0xff;
    buf[P + len + 1] = crc >>> 8;
    if (signing) {
      const fromClock = signingTimestampFromUnixUs(signing.clock.nowUs());
      const ts = Math.min(MAX_SIGNING_TIMESTAMP, Math.max(this.lastTimestamp + 1, fromClock));
      this.lastTimestamp = ts;
      writeSignatureAfterKey(buf, P + len + 2, signing.linkId, ts);
    }
    const out = Buffer.allocUnsafe(total);
    for (let i = 0; i < total; i++) out[i] = buf[F + i]!;
    this.seqNext = (this.seqNext + 1) & 0xff;
    return out;
  }

  tryEncode(msg: MavLinkData): Result<Buffer, 'encode_error'> {
    try {
      return ok(this.encode(msg));
    } catch (e) {
      return fail('encode_error', e instanceof Error ? e.message : String(e));
    }
  }
}
