import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createRng } from '../../../core/rng.ts';
import { defaultChannelParams } from '../../../engines/planning/offload/index.ts';
import { applyTwinState, emptyTwin } from '../twin/index.ts';
import { assignTargets, kMeans, type Point2 } from './hover.ts';
import { layerAltitude, planSlot, type SlotTask } from './plan-slot.ts';

test('k-means never leaves a centroid without users, even from a bad warm start', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 6, max: 40 }), fc.integer(), (k, n, seed) => {
      const rng = createRng(seed);
      const pts: Point2[] = Array.from({ length: n }, () => [rng.uniform(50, 150), rng.uniform(50, 150)]);
      const far: Point2[] = Array.from({ length: k }, (_, i) => [-1000 - i, -1000]);
      const c = kMeans(pts, k, rng, far);
      for (const centre of c) assert.ok(centre[0] >= 50 && centre[0] <= 150 && centre[1] >= 50 && centre[1] <= 150, `centre ${centre} inside the users' hull box`);
    }),
    { numRuns: 200, seed: 3 },
  );
});

test('targets are assigned with the least total distance (checked against brute force)', () => {
  const uavs: Point2[] = [[0, 0], [100, 0], [0, 100]];
  const targets: Point2[] = [[90, 10], [5, 95], [10, 5]];
  assert.deepEqual(assignTargets(uavs, targets), [2, 0, 1]);
});

test('altitude layers are spaced and centred on the cruise altitude', () => {
  assert.deepEqual([0, 1, 2, 3].map((i) => layerAltitude(25, i, 4, 4)), [19, 23, 27, 31]);
  assert.equal(layerAltitude(25, 0, 1, 4), 25);
});

test('a slot plan offloads covered users, splits no pool beyond capacity, and gives every UAV a plan', () => {
  let twin = emptyTwin();
  for (const [id, x, y] of [[1, 40, 40], [2, 110, 110]] as const) {
    twin = applyTwinState(twin, { uav_id: id, cpu_hz_available: 10e9, compute_energy_used_j: 0, bandwidth_hz: 20e6, cache_bits_available: 1e6, flight_state: 3, plan_seq: 0, autopilot_link_up: true, autopilot_mode: 'GUIDED', armed: true, tasks_in_progress: 0, position: { x_east_m: x, y_north_m: y, alt_m: 25 } }, 0);
  }
  const rng = createRng(5);
  const tasks: SlotTask[] = Array.from({ length: 12 }, (_, i) => {
    const [cx, cy] = i % 2 ? [40, 40] : [110, 110];
    return { taskId: i + 1, userId: i + 1, pos: [cx + rng.uniform(-10, 10), cy + rng.uniform(-10, 10), 0], dataBits: 120e3, cyclesPerBit: 800, localCpuHz: 0.9e9, txPowerW: 1, deadlineS: 2, releaseUs: 1e15 };
  });
  const input = { slot: 0, nowUs: 1e15, slotS: 2, twin, tasks, channel: defaultChannelParams(), cruiseAltM: 25, speedMS: 8, uavTxPowerW: 5, prevTargets: new Map(), validSlots: 2, seed: 1, planner: 'x' };
  const out = planSlot({ ...input, algo: 'cd-kkt' });
  const ao = planSlot({ ...input, algo: 'ao' });
  assert.equal(out.plans.size, 2);
  assert.ok(out.predictedDor > 0.3 * tasks.length, `DOR ${out.predictedDor}`);
  assert.ok(out.predictedDor >= ao.predictedDor - 1e-9, 'CD+KKT ≥ AO');
  for (const [id, p] of out.plans) {
    const cpu = (p.assignments ?? []).filter((a) => a.exec_uav_id === id).reduce((s, a) => s + (a.cpu_hz ?? 0), 0);
    const bw = (p.assignments ?? []).filter((a) => a.access_uav_id === id).reduce((s, a) => s + (a.bandwidth_hz ?? 0), 0);
    assert.ok(cpu <= 10e9 * (1 + 1e-9) && bw <= 20e6 * (1 + 1e-9), `UAV ${id} pools within capacity`);
    assert.ok(p.expires_t_us! > p.valid_from_t_us!);
  }
});
