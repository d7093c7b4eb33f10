import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../../core/rng.ts';
import {
  Decoder,
  compileProblem,
  fitnessOf,
  heft,
  isTopological,
  localSchedule,
  queueSchedule,
  repairOrder,
  runGa,
  solveExact,
  syntheticProblem,
} from './index.ts';
import type { Assignment, CompiledProblem, Schedule } from './index.ts';

/** Independent feasibility check of a built schedule (not via the decoder's own bookkeeping). */
function checkFeasible(cp: CompiledProblem, s: Schedule): void {
  const p = cp.source;
  const where = new Map<number, { uav: number; start: number; end: number }>();
  s.perUav.forEach((u, n) => {
    for (const e of u.entries) where.set(e.node, { uav: n, start: e.startS, end: e.endS });
    for (let k = 1; k < u.entries.length; k++) assert.ok(u.entries[k]!.startS >= u.entries[k - 1]!.endS - 1e-9, 'no overlap on a UAV');
  });
  assert.equal(where.size, cp.T, 'every task scheduled once');
  for (const [node, w] of where) {
    const nd = p.dag.nodes[node]!;
    const f = p.uavs[w.uav]!.freqLevelsHz;
    assert.ok(f.some((x) => Math.abs((w.end - w.start) * x - nd.cycles) < 1e-3 * nd.cycles), 'duration = cycles / f');
    assert.ok(w.start >= p.poolStartS - 1e-9);
    const h = p.inputHolder[node]!;
    if (h !== w.uav) assert.ok(w.start >= p.poolStartS + nd.inputBits / p.rateBps[h]![w.uav]! - 1e-9, 'input transfer');
    for (const q of nd.preds) {
      if (q === p.dag.entry) continue;
      const pw = where.get(q)!;
      const comm = pw.uav === w.uav ? 0 : p.dag.nodes[q]!.outputBits / p.rateBps[pw.uav]![w.uav]!;
      assert.ok(w.start >= pw.end + comm - 1e-9, `precedence ${q}→${node}`);
    }
  }
  assert.equal(s.metrics.feasible, s.metrics.budgetViolationJ === 0);
  // objective recomputed from the schedule
  let worst = 0;
  s.perUav.forEach((u, n) => {
    const fin = u.entries.length ? u.entries[u.entries.length - 1]!.endS : p.poolStartS;
    const move = p.uavs[n]!.moveEnergyFixedJ + p.uavs[n]!.hoverPowerW * (fin - p.poolStartS);
    const ec = u.entries.reduce((a, e) => a + p.uavs[n]!.kappa * e.fHz * e.fHz * p.dag.nodes[e.node]!.cycles, 0);
    worst = Math.max(worst, p.gamma * move + ec);
  });
  assert.ok(Math.abs(worst - s.metrics.maxObjectiveJ) < 1e-6 * worst);
}

void test('decoder, HEFT and baselines give feasible schedules on generated instances', () => {
  for (const seed of [1, 2, 3]) {
    const cp = compileProblem(syntheticProblem(createRng(seed), { tasks: 60, uavs: 3 }));
    const dec = new Decoder(cp);
    const requests = new Map([...cp.source.dag.userNodes.keys()].map((u, i) => [u, i]));
    for (const a of [heft(cp), localSchedule(cp), queueSchedule(cp, requests)]) {
      assert.ok(isTopological(cp, a.order));
      checkFeasible(cp, dec.schedule(a));
    }
  }
});

void test('repairOrder returns a topological order and leaves valid orders unchanged', () => {
  const cp = compileProblem(syntheticProblem(createRng(4), { tasks: 40, uavs: 2 }));
  const rng = createRng(9);
  for (let k = 0; k < 20; k++) {
    const prio = rng.shuffle(Array.from({ length: cp.T }, (_, t) => t));
    const o = repairOrder(cp, prio);
    assert.ok(isTopological(cp, o));
    assert.deepEqual(repairOrder(cp, o), o);
  }
  assert.ok(!isTopological(cp, Int32Array.from(cp.topo).reverse()));
});

void test('GA: feasible, seeded-deterministic, never worse than HEFT', () => {
  for (const seed of [5, 6, 7]) {
    const cp = compileProblem(syntheticProblem(createRng(seed), { tasks: 80, uavs: 4 }));
    const g = runGa(cp, createRng(seed), { generations: 80 });
    const again = runGa(cp, createRng(seed), { generations: 80 });
    assert.equal(g.fitness, again.fitness);
    assert.ok(isTopological(cp, g.best.order));
    const s = new Decoder(cp).schedule(g.best);
    checkFeasible(cp, s);
    const h = fitnessOf(cp, heft(cp));
    assert.ok(g.fitness <= h + 1e-9, `GA ${g.fitness} vs HEFT ${h}`);
    assert.ok(g.history.every((v, i) => i === 0 || v <= g.history[i - 1]!), 'elitism: best never worsens');
  }
});

void test('energy budget: infeasible instances are penalised and reported', () => {
  const p = syntheticProblem(createRng(8), { tasks: 20, uavs: 2, energyBudgetJ: 1e3 });
  const cp = compileProblem(p);
  const s = new Decoder(cp).schedule(runGa(cp, createRng(1), { generations: 20 }).best);
  assert.equal(s.metrics.feasible, false);
  assert.ok(s.metrics.budgetViolationJ > 0);
});

/** Exhaustive optimum over assignments × levels × topological orders with the decoder. */
function exhaustive(cp: CompiledProblem): number {
  const orders: Int32Array[] = [];
  const cur: number[] = [];
  const used = new Uint8Array(cp.T);
  const rec = () => {
    if (cur.length === cp.T) return void orders.push(Int32Array.from(cur));
    for (let t = 0; t < cp.T; t++) {
      if (used[t]) continue;
      let ok = true;
      for (let j = cp.predStart[t]!; j < cp.predStart[t + 1]!; j++) if (!used[cp.predList[j]!]) ok = false;
      if (!ok) continue;
      used[t] = 1;
      cur.push(t);
      rec();
      cur.pop();
      used[t] = 0;
    }
  };
  rec();
  const dec = new Decoder(cp);
  const G = cp.N * cp.L;
  let best = Infinity;
  const uav = new Int32Array(cp.T);
  const level = new Int32Array(cp.T);
  for (let code = 0; code < G ** cp.T; code++) {
    let c = code;
    for (let t = 0; t < cp.T; t++) {
      uav[t] = Math.floor((c % G) / cp.L);
      level[t] = c % cp.L;
      c = Math.floor(c / G);
    }
    for (const o of orders) best = Math.min(best, dec.run(o, uav, level));
  }
  return best;
}

void test('MILP (HiGHS) optimum equals exhaustive search on tiny instances', async () => {
  for (const seed of [11, 12]) {
    const cp = compileProblem(syntheticProblem(createRng(seed), { tasks: 5, uavs: 2, levels: [1.5e9, 3e9], perUser: 5, fixedMoveJ: [0, 300] }));
    const ex = await solveExact(cp);
    assert.equal(ex.status, 'Optimal');
    const brute = exhaustive(cp);
    assert.ok(Math.abs(ex.objective - brute) <= 1e-6 * brute, `MILP ${ex.objective} vs exhaustive ${brute}`);
    assert.ok(Math.abs(fitnessOf(cp, ex.assignment) - brute) <= 1e-6 * brute, 'MILP solution decodes to the optimum');
  }
});

void test('GA within 5 % of the MILP optimum (≤ 12 subtasks, 3 UAVs)', async () => {
  const gaps: number[] = [];
  for (const seed of [21, 22, 23]) {
    const cp = compileProblem(syntheticProblem(createRng(seed), { tasks: 12, uavs: 3, levels: [1.5e9, 2.25e9, 3e9], perUser: 6, fixedMoveJ: [0, 300] }));
    const ex = await solveExact(cp, 120);
    assert.equal(ex.status, 'Optimal');
    // a small instance affords a larger budget: 60 × ≤ 1000 generations, restarts (< 1 s)
    const g = runGa(cp, createRng(seed * 10 + 1), { population: 60, generations: 1000, patience: 100, restarts: 5, maxEvaluations: 1e6 });
    const gap = (g.fitness - ex.objective) / ex.objective;
    gaps.push(gap);
    assert.ok(gap >= -1e-6, `GA below the optimum? ${gap}`);
    assert.ok(gap <= 0.05, `GA gap ${(gap * 100).toFixed(2)} %`);
  }
  console.log(`GA vs MILP gaps: ${gaps.map((g) => (g * 100).toFixed(3) + ' %').join(', ')}`);
});

export type { Assignment };
