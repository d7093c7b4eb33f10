/**
 * SHA-256 (FIPS 180-4 §6.2) for the short inputs of MAVLink 2 signing: key (32 B) ‖ frame up to
 * the signature timestamp (≤ 274 B), i.e. 1–5 blocks. On such inputs a call into OpenSSL costs
 * 3–5 µs of fixed overhead (hash object, binding, result Buffer) while the compression itself is
 * well under a microsecond, so signing computes it here, reading whole blocks in place, with no
 * allocation.
 * `sha256.test.ts` checks it against node:crypto on every length 0–400.
 */
const K = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const H0 = Int32Array.from([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

const W = new Int32Array(64);
const H = new Int32Array(8);
/** The last one or two blocks: the input's tail, the 0x80 byte, zeros and the bit length. */
const TAIL = new Uint8Array(128);

/**
 * One compression (FIPS 180-4 §6.2.2) of the 64-byte block at `off` into H. Every sum is
 * truncated pairwise (`(x + y) | 0`) so V8 keeps it in 32-bit integer arithmetic; Ch and Maj use
 * the equivalent forms g ^ (e & (f ^ g)) and (a & b) | (c & (a | b)).
 */
function compress(block: Uint8Array, off: number): void {
  let a = H[0]!, b = H[1]!, c = H[2]!, d = H[3]!, e = H[4]!, f = H[5]!, g = H[6]!, h = H[7]!;
  for (let t = 0; t < 64; t++) {
    let w: number;
    if (t < 16) {
      const i = off + 4 * t;
      w = (block[i]! << 24) | (block[i + 1]! << 16) | (block[i + 2]! << 8) | block[i + 3]!;
    } else {
      const w15 = W[t - 15]!;
      const w2 = W[t - 2]!;
      const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
      const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
      w = (((((W[t - 16]! + s0) | 0) + W[t - 7]!) | 0) + s1) | 0;
    }
    W[t] = w;
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const ch = g ^ (e & (f ^ g));
    const t1 = (((((((h + S1) | 0) + ch) | 0) + K[t]!) | 0) + w) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const maj = (a & b) | (c & (a | b));
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + ((S0 + maj) | 0)) | 0;
  }
  H[0] = (H[0]! + a) | 0;
  H[1] = (H[1]! + b) | 0;
  H[2] = (H[2]! + c) | 0;
  H[3] = (H[3]! + d) | 0;
  H[4] = (H[4]! + e) | 0;
  H[5] = (H[5]! + f) | 0;
  H[6] = (H[6]! + g) | 0;
  H[7] = (H[7]! + h) | 0;
}

/**
 * Writes the first `outLen` (≤ 32) bytes of SHA-256(`input[0, len)`) into `out` at `outOff`.
 * Whole blocks are read from `input` in place; only the tail is copied for padding.
 */
export function sha256(input: Uint8Array, len: number, out: Uint8Array, outOff = 0, outLen = 32): void {
  H.set(H0);
  const whole = len & ~63;
  for (let off = 0; off < whole; off += 64) compress(input, off);
  const rest = len - whole;
  for (let i = 0; i < rest; i++) TAIL[i] = input[whole + i]!;
  TAIL[rest] = 0x80;
  const padded = rest + 9 <= 64 ? 64 : 128;
  TAIL.fill(0, rest + 1, padded - 4);
  // The length in bits as a 64-bit big-endian integer (inputs here are far below 2^29 bytes).
  const bits = len * 8;
  TAIL[padded - 4] = bits >>> 24;
  TAIL[padded - 3] = (bits >>> 16) & 0xff;
  TAIL[padded - 2] = (bits >>> 8) & 0xff;
  TAIL[padded - 1] = bits & 0xff;
  compress(TAIL, 0);
  if (padded === 128) compress(TAIL, 64);
  for (let i = 0; i < outLen; i++) out[outOff + i] = (H[i >>> 2]! >>> (24 - 8 * (i & 3))) & 0xff;
}
