/**
 * What a file that does not read as a .tlog is: a raw MAVLink stream (frames back to back, no
 * timestamps — what a serial capture or `mavlink-router` dump holds), nothing, or something else.
 * Pure: bytes in, verdict out. Used to refuse non-tlogs with a message that says what to do.
 */
import { frameLengthAt } from './format.ts';

export type NotTlog = { kind: 'empty' } | { kind: 'raw_mavlink'; frames: number } | { kind: 'other' };

/** Frames parsed back to back from the start, and the bytes they cover. */
function rawFrames(buf: Buffer): { frames: number; bytes: number } {
  let p = 0;
  let frames = 0;
  for (;;) {
    const len = frameLengthAt(buf, p);
    if (len === undefined || p + len > buf.length) break;
    p += len;
    frames++;
  }
  return { frames, bytes: p };
}

export function sniffNotTlog(buf: Buffer): NotTlog {
  if (buf.length === 0) return { kind: 'empty' };
  const r = rawFrames(buf);
  // A raw stream: at least 3 frames back to back covering most of the bytes (a cut tail allowed).
  if (r.frames >= 3 && r.bytes >= 0.9 * buf.length - 280) return { kind: 'raw_mavlink', frames: r.frames };
  return { kind: 'other' };
}
