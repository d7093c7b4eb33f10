import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeTimeS, cpuEnergyFromTimeJ, cpuEnergyJ, cpuPowerW, localDelayS, taskCycles } from './compute.ts';

void test('compute time is cycles / f; zero work takes no time; no CPU is infinite', () => {
  assert.equal(computeTimeS(1e9, 2e9), 0.5);
  assert.equal(computeTimeS(0, 0), 0);
  assert.equal(computeTimeS(5, 0), Infinity);
  assert.equal(localDelayS(1e5, 1000, 1e9), 0.1);
  assert.equal(taskCycles(10, 3), 30);
});

void test('κ f² · cycles equals κ f³ · t and power × time', () => {
  const kappa = 1e-28;
  for (const [f, cycles] of [[1e9, 1e8], [4e9, 3e10], [7.5e9, 12345]] as const) {
    const t = computeTimeS(cycles, f);
    const e = cpuEnergyJ(kappa, f, cycles);
    assert.ok(Math.abs(e - cpuEnergyFromTimeJ(kappa, f, t)) <= 1e-12 * e);
    assert.ok(Math.abs(e - cpuPowerW(kappa, f) * t) <= 1e-12 * e);
  }
  // Halving the frequency quarters the energy for the same work.
  assert.ok(Math.abs(cpuEnergyJ(kappa, 2e9, 1e9) / cpuEnergyJ(kappa, 1e9, 1e9) - 4) < 1e-12);
});
