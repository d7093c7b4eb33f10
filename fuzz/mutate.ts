/**
 * Byte-level mutation for fuzzing (seeded; no Math.random): bit flips, random bytes, insertions,
 * deletions, truncation, duplication, splicing with another input, and protobuf/MAVLink-flavoured
 * edits (huge varints, length bytes set to extremes).
 */
import type { Rng } from '../core/rng.ts';

export function randomBytes(rng: Rng, maxLen: number): Uint8Array {
  const n = rng.int(0, maxLen);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.int(0, 255);
  return out;
}

const INTERESTING = [0x00, 0x01, 0x7f, 0x80, 0xfe, 0xfd, 0xff, 0x08, 0x0a, 0x12];

/** One to four random edits of `input` (a fresh array; `input` is not touched). */
export function mutate(input: Uint8Array, rng: Rng, other?: Uint8Array): Uint8Array {
  let b: Uint8Array = Uint8Array.from(input);
  const edits = rng.int(1, 4);
  for (let e = 0; e < edits; e++) {
    const at = b.length === 0 ? 0 : rng.int(0, b.length - 1);
    switch (rng.int(0, 9)) {
      case 0: // bit flip
        if (b.length) b[at]! ^= 1 << rng.int(0, 7);
        break;
      case 1: // random byte
        if (b.length) b[at] = rng.int(0, 255);
        break;
      case 2: // interesting byte
        if (b.length) b[at] = rng.pick(INTERESTING);
        break;
      case 3: { // insert random bytes
        const ins = randomBytes(rng, 8);
        b = concat(b.subarray(0, at), ins, b.subarray(at));
        break;
      }
      case 4: { // delete a range
        const len = rng.int(1, 8);
        b = concat(b.subarray(0, at), b.subarray(Math.min(b.length, at + len)));
        break;
      }
      case 5: // truncate
        b = b.subarray(0, at);
        break;
      case 6: { // duplicate a slice
        const len = rng.int(1, 16);
        b = concat(b.subarray(0, at), b.subarray(at, at + len), b.subarray(at));
        break;
      }
      case 7: // splice with another input
        if (other && other.length) {
          const o = rng.int(0, other.length - 1);
          b = concat(b.subarray(0, at), other.subarray(o));
        } else if (b.length) b[at] = rng.int(0, 255);
        break;
      case 8: { // a maximal varint (10 bytes of 0xff…0x01) — protobuf lengths and tags
        const v = new Uint8Array(rng.int(1, 10)).fill(0xff);
        v[v.length - 1] = rng.int(0, 1);
        b = concat(b.subarray(0, at), v, b.subarray(at));
        break;
      }
      default: { // add/subtract a small number
        if (b.length) b[at] = (b[at]! + rng.int(-16, 16)) & 0xff;
      }
    }
  }
  return b;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
