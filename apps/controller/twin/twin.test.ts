import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyTwinState, emptyTwin, fidelityOf, plannedCpuHz, recordCompletion, COMPUTE_RATIO_BOUNDS } from './twin.ts';

const report = (uav: number, cpu: number) =>
  ({ uav_id: uav, cpu_hz_available: cpu, compute_energy_used_j: 0, bandwidth_hz: 20e6, cache_bits_available: 1e6, flight_state: 3, plan_seq: 1, autopilot_link_up: true, autopilot_mode: 'GUIDED', armed: true, tasks_in_progress: 0, position: { x_east_m: 1, y_north_m: 2, alt_m: 25 } }) as const;

test('fidelity follows SPEC §2: F = 1 − |Δ/true|, clamped to [0, 1]', () => {
  assert.equal(fidelityOf(10, 10), 1);
  assert.equal(fidelityOf(9, 10), 0.9);
  assert.equal(fidelityOf(12, 10), 0.8);
  assert.equal(fidelityOf(40, 10), 0);
});

test('a UAV slower than it reports gets its planned compute corrected towards the truth', () => {
  let twin = applyTwinState(emptyTwin(), report(1, 10e9), 0);
  assert.equal(plannedCpuHz(twin.get(1)!), 10e9);
  // Its executor really runs at 8 GHz: every compute takes 1.25× the prediction.
  for (let i = 0; i < 60; i++) twin = recordCompletion(twin, 1, { predictedS: 0.05, actualS: 0.0625, predictedComputeS: 0.04, actualComputeS: 0.05 });
  const u = twin.get(1)!;
  assert.ok(Math.abs(u.fidelity.computeRatio - 1.25) < 0.01, `ρ → 1.25, got ${u.fidelity.computeRatio}`);
  assert.ok(Math.abs(plannedCpuHz(u) - 8e9) / 8e9 < 0.01, 'plans with ≈ 8 GHz');
  assert.ok(Math.abs(u.fidelity.completionFidelity - 0.8) < 1e-9, 'completion fidelity 1 − 0.0125/0.0625');
  assert.equal(u.fidelity.samples, 60);
  // A fresh report keeps the learned fidelity.
  twin = applyTwinState(twin, report(1, 10e9), 1);
  assert.equal(twin.get(1)!.fidelity.samples, 60);
});

test('one wild sample cannot starve or flood a UAV; unknown UAVs leave the twin unchanged', () => {
  let twin = applyTwinState(emptyTwin(), report(2, 10e9), 0);
  for (let i = 0; i < 200; i++) twin = recordCompletion(twin, 2, { predictedS: 1, actualS: 1000, predictedComputeS: 1, actualComputeS: 1000 });
  assert.equal(twin.get(2)!.fidelity.computeRatio, COMPUTE_RATIO_BOUNDS[1]);
  assert.equal(recordCompletion(twin, 9, { predictedS: 1, actualS: 1, predictedComputeS: 1, actualComputeS: 1 }), twin);
});

test('applying a report returns a new twin and leaves the previous one as it was', () => {
  let twin = emptyTwin();
  for (let id = 1; id <= 100; id++) twin = applyTwinState(twin, report(id, 1e9), 0);
  const before = twin;
  const after = applyTwinState(twin, report(42, 5e9), 1);
  assert.equal(before.get(42)?.cpuHzAvailable, 1e9);
  assert.equal(after.get(42)?.cpuHzAvailable, 5e9);
  assert.equal(after.size, 100);
  assert.deepEqual([...after.keys()], [...before.keys()]);
});
