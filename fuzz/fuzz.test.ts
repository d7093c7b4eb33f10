/** The short version of `npm run fuzz`: every type, fewer inputs, a fixed seed; zero crashes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../core/rng.ts';
import { fuzzMavlinkType, MAVLINK_FUZZ_MSGIDS } from './mavlink-fuzz.ts';
import { fuzzProtoType, protoMessageNames } from './proto-fuzz.ts';
import { mutate } from './mutate.ts';
import { decode } from '../proto/index.ts';

void test('fuzz (short): every contract message type through decode/validate, 1500 inputs each, no crash', () => {
  for (const [i, name] of protoMessageNames().entries()) {
    const r = fuzzProtoType(name, 1500, createRng(77 + i));
    assert.equal(r.inputs, 1500);
    assert.deepEqual(r.crashes, [], name);
    // The mix must reach both sides of the decoder: some refused, and (for top-level types with
    // generators that can satisfy them) some accepted.
    assert.ok(Object.values(r.refused).reduce((a, b) => a + b, 0) > 100, `${name}: too few refusals`);
  }
});

void test('fuzz (short): the MAVLink decoder, 600 inputs per message type, no crash, CRC and signature oracles hold', () => {
  let accepted = 0;
  for (const id of MAVLINK_FUZZ_MSGIDS) {
    const r = fuzzMavlinkType(id, 600, createRng(5000 + id));
    assert.deepEqual(r.crashes, [], r.type);
    accepted += r.accepted;
  }
  assert.ok(accepted > MAVLINK_FUZZ_MSGIDS.length * 100, `only ${accepted} frames got through; the generator is broken`);
});

void test('fuzz oracles can fail: a decoder that throws is reported as a crash', () => {
  // The mutator is deterministic per seed and produces changes.
  const a = mutate(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), createRng(3));
  const b = mutate(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), createRng(3));
  assert.deepEqual(a, b);
  let changed = 0;
  const rng = createRng(4);
  for (let i = 0; i < 200; i++) if (Buffer.compare(Buffer.from(mutate(new Uint8Array(16), rng)), Buffer.alloc(16)) !== 0) changed++;
  assert.ok(changed > 150);
  assert.throws(() => fuzzMavlinkType(99999, 1, createRng(1)), RangeError);
  const throwing = ((name: 'Plan', bytes: Uint8Array) => {
    if (bytes.length % 7 === 3) throw new Error('boom');
    return decode(name, bytes);
  }) as typeof decode;
  const r = fuzzProtoType('Plan', 300, createRng(5), throwing);
  assert.ok(r.crashes.length > 0 && r.crashes[0]!.kind === 'throw');
  const liar = (() => ({ ok: false, reason: 'weird' })) as unknown as typeof decode;
  assert.ok(fuzzProtoType('Plan', 50, createRng(5), liar).crashes.some((c) => c.kind === 'bad_result'));
});
