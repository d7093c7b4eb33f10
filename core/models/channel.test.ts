import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../rng.ts';
import {
  a2aRate, coverageRadius, covers, dbmToW, elevationDeg, fsplDb, g2aPathLossDb, g2aRate, losProbability, m2uGain, m2uRate,
  ricianPowerGain, s1UserRate, s2Gain, wToDbm, type S3ChannelParams,
} from './channel.ts';

const s3: S3ChannelParams = { carrierHz: 2e9, losA: 9.61, losB: 0.16, etaLosDb: 1, etaNlosDb: 20, noiseG2AW: 1e-10, noiseA2AW: 1e-10, thetaMaxDeg: 60 };
const close = (a: number, b: number, rel = 1e-9) => assert.ok(Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b), 1e-300), `${a} vs ${b}`);

void test('dBm ↔ W', () => {
  close(dbmToW(30), 1);
  close(dbmToW(-70), 1e-10);
  close(dbmToW(0), 1e-3);
  for (const w of [1e-13, 0.05, 1, 7.3]) close(dbmToW(wToDbm(w)), w);
});

void test('free-space path loss matches the textbook value (2 GHz, 1 km ≈ 98.46 dB)', () => {
  close(fsplDb(2e9, 1000), 20 * Math.log10(4 * Math.PI * 2e9 * 1000 / 299792458));
  assert.ok(Math.abs(fsplDb(2e9, 1000) - 98.46) < 0.01);
  close(fsplDb(2e9, 2000) - fsplDb(2e9, 1000), 20 * Math.log10(2));
});

void test('LoS probability rises with elevation and path loss lies between the LoS and NLoS bounds', () => {
  let prev = 0;
  for (let th = 0; th <= 90; th += 5) {
    const p = losProbability(th, 9.61, 0.16);
    assert.ok(p > prev && p < 1);
    prev = p;
  }
  const user = [0, 0, 0] as const;
  for (const uav of [[10, 0, 10], [0, 0, 20], [40, 5, 10]] as const) {
    const d = Math.hypot(uav[0], uav[1], uav[2]);
    const pl = g2aPathLossDb(s3, user, uav);
    assert.ok(pl >= fsplDb(2e9, d) + 1 && pl <= fsplDb(2e9, d) + 20);
  }
  close(elevationDeg([0, 0, 0], [10, 0, 10]), 45);
});

void test('G2A and A2A rates are linear in bandwidth and fall with distance', () => {
  const r1 = g2aRate(s3, [0, 0, 0], [0, 0, 15], 1, 1e6);
  close(g2aRate(s3, [0, 0, 0], [0, 0, 15], 1, 3e6), 3 * r1);
  assert.ok(g2aRate(s3, [0, 0, 0], [20, 0, 15], 1, 1e6) < r1);
  assert.ok(a2aRate(s3, [0, 0, 15], [10, 0, 15], 5, 1e6) > a2aRate(s3, [0, 0, 15], [40, 0, 15], 5, 1e6));
});

void test('coverage cone: R = H tan θ_max, boundary included', () => {
  close(coverageRadius(10, 60), 10 * Math.sqrt(3));
  assert.equal(coverageRadius(-5, 60), 0);
  assert.ok(covers([0, 0, 10], [17.3, 0, 0], 60));
  assert.ok(!covers([0, 0, 10], [17.4, 0, 0], 60));
  assert.ok(covers([0, 0, 20], [0, 17.4, 0], 60));
});

void test('S0 M2U: mean gain d^-γ, Rayleigh samples average to it', () => {
  close(m2uGain(100), 1e-8);
  close(m2uRate(1e6, 100, 0.1, 1e-14), 1e6 * Math.log2(1 + 1e-8 * 0.1 / 1e-14));
  const rng = createRng(7);
  let s = 0;
  const N = 200_000;
  for (let i = 0; i < N; i++) s += m2uGain(100, 4, rng);
  assert.ok(Math.abs(s / N / 1e-8 - 1) < 0.01, `mean ${s / N}`);
});

void test('Rician: E|h|² equals the large-scale gain; K → ∞ is deterministic', () => {
  const rng = createRng(11);
  for (const k of [0, 1, 10]) {
    let s = 0;
    const N = 200_000;
    for (let i = 0; i < N; i++) s += ricianPowerGain(k, 2e-5, rng);
    assert.ok(Math.abs(s / N / 2e-5 - 1) < 0.01, `K=${k}: ${s / N}`);
  }
  close(ricianPowerGain(1e12, 3e-6, createRng(1)), 3e-6, 1e-5);
  close(s2Gain({ beta0: 1e-3, chi: 2, gamma: 3 }, 10), 1e-5);
});

void test('S1 user rate grows with the bandwidth share and is 0 at share 0', () => {
  assert.equal(s1UserRate(0, 1e6, 0.1, 1e-7, 1e-13), 0);
  assert.ok(s1UserRate(0.5, 1e6, 0.1, 1e-7, 1e-13) < s1UserRate(1, 1e6, 0.1, 1e-7, 1e-13));
});
