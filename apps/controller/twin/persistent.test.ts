import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng } from '../../../core/rng.ts';
import { PersistentIntMap } from './persistent.ts';

test('behaves like a Map (get, has, size, insertion-order iteration) across 5 000 random sets, old versions intact', () => {
  const rng = createRng(7);
  let p = PersistentIntMap.empty<number>();
  const ref = new Map<number, number>();
  const snapshots: [PersistentIntMap<number>, [number, number][]][] = [];
  for (let i = 0; i < 5000; i++) {
    const k = rng.int(1, 1500);
    p = p.set(k, i);
    ref.set(k, i);
    if (i % 500 === 0) snapshots.push([p, [...ref]]);
  }
  assert.equal(p.size, ref.size);
  assert.deepEqual([...p], [...ref]);
  assert.deepEqual([...p.keys()], [...ref.keys()]);
  assert.deepEqual([...p.values()], [...ref.values()]);
  for (const k of [0, 1, 700, 1500, 1501]) {
    assert.equal(p.get(k), ref.get(k));
    assert.equal(p.has(k), ref.has(k));
  }
  const seen: [number, number][] = [];
  p.forEach((v, k) => seen.push([k, v]));
  assert.deepEqual(seen, [...ref]);
  for (const [snap, entries] of snapshots) assert.deepEqual([...snap], entries);
});

test('set leaves the map it was called on unchanged', () => {
  const a = PersistentIntMap.empty<string>().set(1, 'a').set(2, 'b');
  const b = a.set(1, 'c');
  assert.equal(a.get(1), 'a');
  assert.equal(b.get(1), 'c');
  assert.equal(b.get(2), 'b');
  assert.equal(a.set(3, 'x').size, 3);
  assert.equal(a.size, 2);
});
