import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng, type Rng } from '../../../core/rng.ts';
import type { TwinState } from '../../../proto/index.ts';
import { applyTwinState, emptyTwin, recordCompletion, type Twin } from './twin.ts';
import { TwinStore } from './store.ts';

function report(rng: Rng, id: number): TwinState {
  const flying = rng.next() < 0.8;
  return {
    uav_id: id,
    cpu_hz_available: rng.uniform(1e9, 1e10),
    compute_energy_used_j: rng.uniform(0, 100),
    bandwidth_hz: 20e6,
    cache_bits_available: rng.int(0, 1e6),
    flight_state: flying ? 3 : 1,
    plan_seq: rng.int(0, 50),
    autopilot_link_up: rng.next() < 0.9,
    autopilot_mode: flying ? 'GUIDED' : 'LAND',
    armed: flying,
    tasks_in_progress: 0,
    ...(rng.next() < 0.9 ? { position: { x_east_m: rng.uniform(-500, 500), y_north_m: rng.uniform(-500, 500), alt_m: rng.uniform(0, 60) } } : {}),
    ...(rng.next() < 0.7 ? { velocity: { vx_east_m_s: rng.uniform(-5, 5), vy_north_m_s: rng.uniform(-5, 5), vz_up_m_s: rng.uniform(-1, 1) } } : {}),
    ...(rng.next() < 0.5 ? { battery_remaining_j: rng.uniform(0, 1e5), battery_pct: rng.uniform(0, 100) } : {}),
  } as TwinState;
}

const plain = (t: Twin) => JSON.parse(JSON.stringify([...t])) as unknown;

test('30 000 random reports, completions, releases and snapshots: the store equals the pure functions, and every snapshot stays as it was taken', () => {
  const rng = createRng(11);
  const store = new TwinStore();
  let pure = emptyTwin();
  const snaps: [Twin, unknown][] = [];
  for (let i = 0; i < 30_000; i++) {
    const id = rng.int(1, 60);
    const r = rng.next();
    if (r < 0.8) {
      const m = report(rng, id);
      store.apply(m, i * 1000);
      pure = applyTwinState(pure, m, i * 1000);
    } else if (r < 0.97) {
      const s = { predictedS: rng.uniform(0.1, 2), actualS: rng.uniform(0.1, 2), predictedComputeS: rng.uniform(0, 1), actualComputeS: rng.uniform(0, 1) };
      store.recordCompletion(id, s);
      pure = recordCompletion(pure, id, s);
    } else if (r < 0.99) {
      assert.equal(store.release(id), pure.has(id));
      pure = new Map([...pure].filter(([k]) => k !== id));
    } else {
      const s = store.snapshot();
      assert.equal(store.snapshot(), s, 'cached until the next write');
      snaps.push([s, plain(s)]);
    }
    if (i % 997 === 0) assert.deepEqual(plain(store.peek()), plain(pure));
  }
  assert.deepEqual(plain(store.snapshot()), plain(pure));
  assert.equal(store.size, pure.size);
  assert.ok(snaps.length > 100, `${snaps.length} snapshots`);
  for (const [s, then] of snaps) assert.deepEqual(plain(s), then, 'a snapshot never changes');
});

test('reports between snapshots are written in place; the first after a snapshot makes a new entry', () => {
  const rng = createRng(3);
  const store = new TwinStore();
  store.apply(report(rng, 7), 1);
  const first = store.peek().get(7)!;
  store.apply(report(rng, 7), 2);
  assert.equal(store.peek().get(7), first, 'no snapshot holds it: written in place');
  assert.equal(first.reportedUs, 2);
  const snap = store.snapshot();
  store.apply(report(rng, 7), 3);
  const second = store.peek().get(7)!;
  assert.notEqual(second, first, 'the snapshot holds the old entry');
  assert.equal(snap.get(7)!.reportedUs, 2);
  if (second.pos && first.pos) assert.notEqual(second.pos, first.pos, 'arrays are not shared either');
  store.apply(report(rng, 7), 4);
  assert.equal(store.peek().get(7), second);
});

test('a completion after a snapshot copies the entry and its position arrays; release drops the UAV', () => {
  const store = new TwinStore();
  store.apply(report(createRng(5), 2), 1);
  const snap = store.snapshot();
  store.recordCompletion(2, { predictedS: 1, actualS: 2, predictedComputeS: 1, actualComputeS: 2 });
  assert.equal(snap.get(2)!.fidelity.samples, 0);
  assert.equal(store.peek().get(2)!.fidelity.samples, 1);
  store.recordCompletion(99, { predictedS: 1, actualS: 1, predictedComputeS: 1, actualComputeS: 1 });
  assert.equal(store.size, 1, 'unknown UAVs are ignored');
  assert.equal(store.release(2), true);
  assert.equal(store.release(2), false);
  assert.equal(store.snapshot().size, 0);
  assert.equal(snap.size, 1);
});
