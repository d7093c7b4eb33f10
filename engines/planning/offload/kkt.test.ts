/**
 * The KKT closed forms (kkt.ts) against an independent optimiser: equality-constrained Newton's
 * method on each pool, with the pool terms a_i/x_i read off the channel and compute models at unit
 * resource (not from prepare.ts) — no closed form involved.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng, type Rng } from '../../../core/rng.ts';
import { a2aRate, g2aRate } from '../../../core/models/channel.ts';
import { computeTimeS, localDelayS } from '../../../core/models/compute.ts';
import { allocate, generateS3Instance, kktShares, type Choice, type OffloadInstance } from './index.ts';
import { optionsOf, prepare } from './prepare.ts';

/** min Σ a_i/x_i s.t. Σ x_i = X, x > 0, by Newton's method with feasible start and backtracking. */
function newtonPool(a: number[], X: number): number[] {
  const n = a.length;
  let x = a.map(() => X / n);
  const f = (v: number[]) => v.reduce((s, xi, i) => s + a[i]! / xi, 0);
  for (let it = 0; it < 500; it++) {
    const g = x.map((xi, i) => -a[i]! / (xi * xi));
    const hinv = x.map((xi, i) => (xi * xi * xi) / (2 * a[i]!));
    const nu = -g.reduce((s, gi, i) => s + gi * hinv[i]!, 0) / hinv.reduce((s, h) => s + h, 0);
    const dx = g.map((gi, i) => -hinv[i]! * (gi + nu));
    const decrement = -dx.reduce((s, d, i) => s + d * g[i]!, 0);
    if (decrement <= 1e-26 * f(x)) break;
    let t = 1;
    while (x.some((xi, i) => xi + t * dx[i]! <= 0)) t *= 0.5;
    const f0 = f(x);
    while (f(x.map((xi, i) => xi + t * dx[i]!)) > f0 - 0.25 * t * decrement && t > 1e-20) t *= 0.5;
    x = x.map((xi, i) => xi + t * dx[i]!);
    // Re-project onto Σ x = X to remove round-off drift.
    const s = x.reduce((p, q) => p + q, 0);
    x = x.map((xi) => (xi * X) / s);
  }
  return x;
}

function randomInstance(rng: Rng): OffloadInstance {
  const users = rng.int(1, 12);
  const uavs = rng.int(1, 4);
  return generateS3Instance(rng, {
    users,
    uavs,
    areaM: rng.uniform(20, 200),
    altitudeM: [10, 60],
    dataBits: [1e4, 5e6],
    cyclesPerBit: [50, 2000],
    fLocalHz: [1e8, 3e9],
    uavCpuHz: rng.uniform(1e9, 20e9),
    uavBandwidthHz: rng.uniform(1e6, 40e6),
    params: { a2aBandwidthHz: rng.uniform(1e6, 40e6) },
  });
}

function randomChoices(rng: Rng, inst: OffloadInstance): Choice[] {
  const prep = prepare(inst);
  return inst.users.map((_, i) => {
    const opts = optionsOf(prep, i);
    if (opts.length === 0 || rng.next() < 0.2) return { mode: 'local' } as const;
    const o = rng.pick(opts);
    return { mode: 'edge', accessUav: inst.uavs[o.access]!.id, execUav: inst.uavs[o.exec]!.id } as const;
  });
}

const relErr = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));

void test('kktShares: proportional to √a, sums to the capacity, zero weights get nothing', () => {
  const x = kktShares([1, 4, 9, 0], 12);
  assert.deepEqual(x, [2, 4, 6, 0]);
  assert.deepEqual(kktShares([0, 0], 5), [0, 0]);
});

void test('KKT allocation equals Newton on every pool, 1000 seeded random instances, within 1e-6 relative', (t) => {
  const rng = createRng(20240501);
  let pools = 0;
  let worst = 0;
  for (let trial = 0; trial < 1000; trial++) {
    const inst = randomInstance(rng);
    const choices = randomChoices(rng, inst);
    const plan = allocate(inst, choices);
    // Group (user, term coefficient, KKT value) by pool, reading a_i off the models at unit resource.
    const groups = new Map<string, { a: number[]; kkt: number[]; cap: number }>();
    const add = (key: string, cap: number, a: number, kkt: number) => {
      const g = groups.get(key) ?? { a: [], kkt: [], cap };
      g.a.push(a);
      g.kkt.push(kkt);
      groups.set(key, g);
    };
    let dorModel = 0;
    inst.users.forEach((u, i) => {
      const d = plan.decisions[i]!;
      const tl = localDelayS(u.dataBits, u.cyclesPerBit, u.fLocalHz);
      if (d.mode === 'local') return;
      const w = 1 / tl;
      const acc = inst.uavs.find((v) => v.id === d.accessUav)!;
      const exe = inst.uavs.find((v) => v.id === d.execUav)!;
      add(`bw:${acc.id}`, acc.bandwidthHz, (w * u.dataBits) / g2aRate(inst.params, u.pos, acc.pos, u.txPowerW, 1), d.bandwidthHz);
      add(`cpu:${exe.id}`, exe.cpuHz, w * u.dataBits * computeTimeS(u.cyclesPerBit, 1), d.cpuHz);
      let t = u.dataBits / g2aRate(inst.params, u.pos, acc.pos, u.txPowerW, d.bandwidthHz) + computeTimeS(u.dataBits * u.cyclesPerBit, d.cpuHz);
      if (acc.id !== exe.id) {
        add('a2a', inst.params.a2aBandwidthHz, (w * u.dataBits) / a2aRate(inst.params, acc.pos, exe.pos, acc.txPowerW, 1), d.relayBandwidthHz);
        t += u.dataBits / a2aRate(inst.params, acc.pos, exe.pos, acc.txPowerW, d.relayBandwidthHz);
      }
      dorModel += 1 - t / tl;
    });
    assert.ok(relErr(plan.dor, dorModel) < 1e-9 || Math.abs(plan.dor - dorModel) < 1e-9, `trial ${trial}: DOR ${plan.dor} vs model ${dorModel}`);
    for (const [key, g] of groups) {
      const ref = newtonPool(g.a, g.cap);
      pools++;
      g.kkt.forEach((x, j) => {
        const e = relErr(x, ref[j]!);
        worst = Math.max(worst, e);
        assert.ok(e <= 1e-6, `trial ${trial} pool ${key} user ${j}: KKT ${x} vs Newton ${ref[j]}`);
      });
      const objK = g.a.reduce((s, a, j) => s + a / g.kkt[j]!, 0);
      const objN = g.a.reduce((s, a, j) => s + a / ref[j]!, 0);
      assert.ok(objK <= objN * (1 + 1e-9), `trial ${trial} pool ${key}: KKT objective ${objK} > Newton ${objN}`);
    }
  }
  assert.ok(pools > 2000, `only ${pools} pools exercised`);
  t.diagnostic(`KKT vs Newton: ${pools} pools, worst relative allocation error ${worst.toExponential(2)}`);
});
