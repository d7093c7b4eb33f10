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
  writeSignature,
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

export class MavlinkEncoder {
  readonly sysid: number;
  readonly compid: number;
  private seqNext = 0;
  private signing: SigningConfig | undefined;
  private lastTimestamp = 0;
  private scratch = Buffer.alloc(HEADER_LEN + 255 + 2);

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
    buf.fill(0, 0, HEADER_LEN + clazz.PAYLOAD_LENGTH);
    writePayload(msg, buf, HEADER_LEN);
    let len = clazz.PAYLOAD_LENGTH;
    while (len > 1 && buf[HEADER_LEN + len - 1] === 0) len--;
    if (len === 0) len = 1; // zero-length messages do not exist in MAVLink; keep the rule anyway
    const signing = this.signing;
    const total = HEADER_LEN + len + 2 + (signing ? SIGNATURE_LENGTH : 0);
    const out = Buffer.allocUnsafe(total);
    out[0] = 0xfd;
    out[1] = len;
    out[2] = signing ? IFLAG_SIGNED : 0;
    out[3] = 0;
    out[4] = this.seqNext;
    out[5] = this.sysid;
    out[6] = this.compid;
    out.writeUIntLE(clazz.MSG_ID, 7, 3);
    buf.copy(out, HEADER_LEN, HEADER_LEN, HEADER_LEN + len);
    out.writeUInt16LE(frameCrc(out, 1, HEADER_LEN + len, clazz.MAGIC_NUMBER), HEADER_LEN + len);
    if (signing) {
      const fromClock = signingTimestampFromUnixUs(signing.clock.nowUs());
      const ts = Math.min(MAX_SIGNING_TIMESTAMP, Math.max(this.lastTimestamp + 1, fromClock));
      this.lastTimestamp = ts;
      writeSignature(signing.key, out, HEADER_LEN + len + 2, signing.linkId, ts);
    }
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
