import { test } from 'node:test';
import assert from 'node:assert/strict';
import { S2_ROTOR, flightEnergyJ, hoverPowerW, maxEnduranceSpeedMS, maxRangeSpeedMS, propulsionPowerW } from './propulsion.ts';

test('hover power P(0) = P0 + Pi = 138.1 W', () => {
  assert.ok(Math.abs(hoverPowerW() - 138.1) < 1e-9);
  assert.ok(Math.abs(propulsionPowerW(0) - 138.1) < 1e-9);
});

test('P(10 m/s) matches a hand computation of SPEC §4 in the textbook form', () => {
  // Hand computation (written out, not the implementation's cancellation-free form):
  // blade 59.03·(1 + 300/14400) = 60.259792; induced: x = 100/25.92 = 3.858025,
  // √(1 + 14.884355) = 3.985521, difference 0.127496, √ = 0.357066, ·79.07 = 28.233;
  // parasite ½·0.6·1.225·0.05·0.503·1000 = 9.242625.  Total ≈ 97.736 W.
  const v = 10;
  const textbook =
    59.03 * (1 + (3 * v * v) / 120 ** 2) +
    79.07 * Math.sqrt(Math.sqrt(1 + v ** 4 / (4 * 3.6 ** 4)) - v * v / (2 * 3.6 ** 2)) +
    0.5 * 0.6 * 1.225 * 0.05 * 0.503 * v ** 3;
  assert.ok(Math.abs(textbook - 97.736) < 0.01, `textbook ${textbook}`);
  assert.ok(Math.abs(propulsionPowerW(10) - textbook) < 1e-9);
});

test('power first falls (induced) then rises (parasite); symmetric in sign', () => {
  assert.ok(propulsionPowerW(5) < propulsionPowerW(0));
  assert.ok(propulsionPowerW(30) > propulsionPowerW(20));
  assert.ok(propulsionPowerW(40) > propulsionPowerW(0));
  assert.equal(propulsionPowerW(-7), propulsionPowerW(7));
  // strictly increasing beyond the endurance speed, strictly decreasing before it
  const ve = maxEnduranceSpeedMS();
  for (let v = 0; v + 0.1 < ve; v += 0.1) assert.ok(propulsionPowerW(v + 0.1) < propulsionPowerW(v));
  for (let v = ve + 0.1; v < 60; v += 0.1) assert.ok(propulsionPowerW(v + 0.1) > propulsionPowerW(v));
  // stable at high speed (no cancellation): induced part stays positive and finite
  assert.ok(Number.isFinite(propulsionPowerW(1e4)));
});

test('energy helpers: E = P·d/v and optimal speeds agree with a dense grid search', () => {
  assert.equal(flightEnergyJ(0, 0), 0);
  assert.equal(flightEnergyJ(100, 0), Infinity);
  assert.ok(Math.abs(flightEnergyJ(1000, 10) - propulsionPowerW(10) * 100) < 1e-9);
  let bestR = 0;
  let bestRv = Infinity;
  let bestE = 0;
  let bestEv = Infinity;
  for (let v = 0.001; v <= 60; v += 0.001) {
    const p = propulsionPowerW(v);
    if (p / v < bestRv) [bestR, bestRv] = [v, p / v];
    if (p < bestEv) [bestE, bestEv] = [v, p];
  }
  assert.ok(Math.abs(maxRangeSpeedMS() - bestR) < 0.01, `${maxRangeSpeedMS()} vs ${bestR}`);
  assert.ok(Math.abs(maxEnduranceSpeedMS() - bestE) < 0.01, `${maxEnduranceSpeedMS()} vs ${bestE}`);
  assert.ok(maxRangeSpeedMS() > maxEnduranceSpeedMS());
  // clamped to vMax when the optimum lies beyond it
  assert.ok(Math.abs(maxRangeSpeedMS(5) - 5) < 1e-3);
  assert.ok(flightEnergyJ(1000, maxRangeSpeedMS()) <= flightEnergyJ(1000, 10) + 1e-9);
  assert.equal(S2_ROTOR.p0W, 59.03);
});
