/**
 * .tlog records (MAVLINK.md §6): [8-byte big-endian uint64 µs since the Unix epoch][raw MAVLink
 * frame], repeated, no file header. Frame length comes from the frame's own header.
 */
export const TLOG_TS_BYTES = 8;

export function encodeTlogRecord(tUs: number, frame: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(TLOG_TS_BYTES + frame.length);
  out.writeBigUInt64BE(BigInt(Math.max(0, Math.round(tUs))), 0);
  out.set(frame, TLOG_TS_BYTES);
  return out;
}

/** Total frame length from its header at `p`, or undefined when `p` is no STX / too few bytes. */
export function frameLengthAt(buf: Buffer, p: number): number | undefined {
  const stx = buf[p];
  if (stx === 0xfd) {
    if (buf.length - p < 3) return undefined;
    return 10 + buf[p + 1]! + 2 + (buf[p + 2]! & 0x01 ? 13 : 0);
  }
  if (stx === 0xfe) {
    if (buf.length - p < 2) return undefined;
    return 6 + buf[p + 1]! + 2;
  }
  return undefined;
}

/** Timestamps we believe: 2000-01-01 .. 2100-01-01, µs. */
export function plausibleTimestampUs(tUs: bigint): boolean {
  return tUs >= 946_684_800_000_000n && tUs < 4_102_444_800_000_000n;
}
