import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { createRng } from '../../core/rng.ts';
import { sha256 } from './sha256.ts';

test('sha256 equals node:crypto on every input length 0–400 (random bytes) and on FIPS 180-2 "abc"', () => {
  const rng = createRng(256);
  const out = new Uint8Array(32);
  for (let len = 0; len <= 400; len++) {
    const input = Uint8Array.from({ length: len }, () => rng.int(0, 255));
    sha256(input, len, out);
    assert.equal(Buffer.from(out).toString('hex'), createHash('sha256').update(input).digest('hex'), `length ${len}`);
  }
  sha256(Buffer.from('abc'), 3, out);
  assert.equal(Buffer.from(out).toString('hex'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

test('a prefix of the digest can be written at an offset', () => {
  const out = new Uint8Array(10).fill(9);
  sha256(Buffer.from('abc'), 3, out, 2, 6);
  assert.deepEqual([...out], [9, 9, 0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 9, 9]);
});
