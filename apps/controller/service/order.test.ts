/** The canonical order of one instant's messages (order.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng } from '../../../core/rng.ts';
import type { MessageEvent } from '../core/index.ts';
import { canonicalOrder } from './order.ts';

const ev = (topic: string, sender: string, seq: number): MessageEvent => ({ kind: 'ack', topic, recvUs: 7, msg: { header: { version: 1, sender, t_us: 0, seq }, uav_id: 1, plan_seq: 1, accepted: true, reason: 0, detail: '' } });
const key = (e: MessageEvent) => `${e.topic}|${e.msg.header!.sender}|${e.msg.header!.seq}`;

test('canonicalOrder: topic, then sender, then seq (numerically)', () => {
  const sorted = [ev('a/1', 'uav-2', 9), ev('a/1', 'uav-1', 10), ev('a/1', 'uav-1', 2), ev('a/0', 'uav-3', 1)].sort(canonicalOrder).map(key);
  assert.deepEqual(sorted, ['a/0|uav-3|1', 'a/1|uav-1|2', 'a/1|uav-1|10', 'a/1|uav-2|9']);
});

test('canonicalOrder: every arrival order of one instant gives the same sequence', () => {
  const rng = createRng(11);
  const all = ['uavmec/v1/uav/1/twin', 'uavmec/v1/uav/2/twin', 'uavmec/v1/task'].flatMap((t) => ['uav-1', 'uav-2', 'world'].flatMap((s) => [1, 2, 12].map((q) => ev(t, s, q))));
  const want = [...all].sort(canonicalOrder).map(key);
  for (let k = 0; k < 20; k++) {
    const shuffled = [...all];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(rng.uniform(0, i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    assert.deepEqual(shuffled.sort(canonicalOrder).map(key), want);
  }
});
