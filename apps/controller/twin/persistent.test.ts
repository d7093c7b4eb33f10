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

test('branches: setting keys on old versions (after newer ones added others) never disturbs any version', () => {
  const rng = createRng(13);
  const versions: [PersistentIntMap<number>, Map<number, number>][] = [[PersistentIntMap.empty<number>(), new Map()]];
  for (let i = 0; i < 4000; i++) {
    // Mostly the newest version (the twin's case), now and then an older one (a branch).
    const from = rng.next() < 0.8 ? versions.length - 1 : rng.int(0, versions.length - 1);
    const [p, ref] = versions[from]!;
    const k = rng.int(1, 300);
    versions.push([p.set(k, i), new Map(ref).set(k, i)]);
  }
  for (const [p, ref] of versions.filter((_, i) => i % 37 === 0 || i > 3990)) {
    assert.equal(p.size, ref.size);
    assert.deepEqual([...p], [...ref]);
    for (const k of [1, 150, 300, 301]) assert.equal(p.has(k), ref.has(k));
  }
});
