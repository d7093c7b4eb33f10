/** Frames packed into datagrams (batch.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FrameBatch } from './batch.ts';

test('FrameBatch: frames leave together up to the size limit, in order, one alone as it is', () => {
  const sent: Buffer[] = [];
  const b = new FrameBatch((d) => sent.push(d), 100);
  const f = (n: number, byte: number) => Buffer.alloc(n, byte);
  const one = f(40, 1);
  b.queue(one);
  b.flush();
  assert.equal(sent[0], one, 'a single frame is sent as it is');
  b.queue(f(40, 2));
  b.queue(f(40, 3));
  b.queue(f(40, 4)); // 120 > 100: the first two leave
  b.queue(f(60, 5)); // 100: fits
  b.flush();
  b.flush(); // nothing queued: nothing sent
  assert.deepEqual(sent.map((d) => d.length), [40, 80, 100]);
  assert.deepEqual([...sent[1]!.subarray(38, 42)], [2, 2, 3, 3]);
  assert.deepEqual([...sent[2]!.subarray(38, 42)], [4, 4, 5, 5]);
});
