/**
 * MAVLink 2 message signing (MAVLINK.md §7): 13 bytes appended to a frame whose incompat flags
 * have bit 0x01 set: link_id (1), timestamp (6, LE, 10 µs units since 2015-01-01 00:00 UTC),
 * signature = first 6 bytes of SHA-256(key ‖ header ‖ payload ‖ CRC ‖ link_id ‖ timestamp).
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_LENGTH = 13;
export const IFLAG_SIGNED = 0x01;
/** 2015-01-01T00:00:00Z in µs since the Unix epoch. */
export const SIGNING_EPOCH_US = 1_420_070_400_000_000;
/** A new stream more than one minute (in 10 µs units) behind the newest timestamp is rejected. */
export const NEW_STREAM_MAX_LAG = 6_000_000;
/** Largest 48-bit timestamp. */
export const MAX_SIGNING_TIMESTAMP = 2 ** 48 - 1;

/** Unix µs → signing timestamp units (10 µs since 2015), floored at 0. */
export function signingTimestampFromUnixUs(us: number): number {
  return Math.max(0, Math.floor((us - SIGNING_EPOCH_US) / 10));
}

/** Signature bytes for `frame[0, sigStart + 7)` (everything up to and including the timestamp). */
export function computeSignature(key: Buffer, frame: Buffer, sigStart: number): Buffer {
  return createHash('sha256')
    .update(key)
    .update(frame.subarray(0, sigStart + 7))
    .digest()
    .subarray(0, 6);
}

/** Fills the 13 signature bytes at `sigStart` (frame must already carry the signed flag and CRC). */
export function writeSignature(key: Buffer, frame: Buffer, sigStart: number, linkId: number, timestamp: number): void {
  frame[sigStart] = linkId & 0xff;
  frame.writeUIntLE(timestamp, sigStart + 1, 6);
  computeSignature(key, frame, sigStart).copy(frame, sigStart + 7);
}

export function signatureMatches(key: Buffer, frame: Buffer, sigStart: number): boolean {
  const expect = computeSignature(key, frame, sigStart);
  return timingSafeEqual(expect, frame.subarray(sigStart + 7, sigStart + 13));
}

export function checkKey(key: Buffer): void {
  if (!Buffer.isBuffer(key) || key.length !== 32) throw new RangeError('MAVLink signing key must be a 32-byte Buffer');
}
