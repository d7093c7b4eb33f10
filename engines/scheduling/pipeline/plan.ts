import type { Result } from '../../../core/result.ts';
import { fail, ok } from '../../../core/result.ts';
import type { Rng } from '../../../core/rng.ts';
import type { User } from '../dag/types.ts';
import type { MergedDag } from '../merge/merge.ts';
import { mergeTasks } from '../merge/merge.ts';
import type { PoolParams, UavSpec } from '../model/params.ts';
import { uavRateBps } from '../model/params.ts';
import { associateUsers, dataBalancedAssociation, regionAssociation } from '../association/kmeans.ts';
import type { CollectionPlan, UserLoad } from '../association/collect.ts';
import { planCollection } from '../association/collect.ts';
import { planTour } from '../association/tour.ts';
import type { Assignment, Schedule, SchedulingProblem } from '../schedule/problem.ts';
import { compileProblem } from '../schedule/problem.ts';
import { Decoder } from '../schedule/decode.ts';
import { localSchedule, queueSchedule } from '../schedule/heuristics.ts';
import type { GaOptions } from '../schedule/ga.ts';
import { runGa } from '../schedule/ga.ts';

/**
 * The whole computing-power-pool plan (SPEC §5.3, S1 Algorithm S3): merge → P1 (association,
 * tours, collection) → P2 (subtask placement + frequencies), and S1's four baselines (§5.1):
 *
 * | method     | association                         | visit order        | P2 scheduler            |
 * |------------|-------------------------------------|--------------------|-------------------------|
 * | proposed   | weighted K-means++ + P1/P2 rounds   | NN + 2-opt         | GA (HEFT-seeded)        |
 * | queue      | request order, next free UAV        | request order      | FIFO to next free UAV   |
 * | region     | nearest start (geometric split)     | NN + 2-opt         | local (own region only) |
 * | distance   | plain K-means++                     | NN + 2-opt         | GA                      |
 * | data       | balance uploaded bits (LPT)         | NN + 2-opt         | GA                      |
 *
 * P1/P2 alternation (proposed only): after a full plan, move one user of the UAV with the largest
 * objective to the UAV with the smallest, re-plan P1 and P2 (the GA seeded with the previous
 * placement), keep the move if the max objective drops; stop after `alternations` rounds or when
 * no candidate helps.
 */
export type Method = 'proposed' | 'queue' | 'region' | 'distance' | 'data';
export const METHODS: readonly Method[] = ['proposed', 'queue', 'region', 'distance', 'data'];

export interface PlanInput {
  readonly users: readonly User[];
  readonly uavs: readonly UavSpec[];
  readonly params: PoolParams;
  readonly method: Method;
  /** false: every user's subtasks computed separately (S1 Figs. 6–9 "without merging"). */
  readonly merge: boolean;
  readonly ga?: Partial<GaOptions>;
  /** P1/P2 alternation rounds (proposed only). */
  readonly alternations?: number;
  /** Candidate users tried per round. */
  readonly candidates?: number;
}

export interface PlanMetrics {
  /** Σ_n (E_move + E_c) (J), S1 Fig. 3 "total energy". */
  readonly totalEnergyJ: number;
  /** The objective max_n (γ E_move + E_c) (J). */
  readonly maxObjectiveJ: number;
  readonly moveEnergyJ: number;
  readonly computeEnergyJ: number;
  /** SSC (s). */
  readonly collectionTimeS: number;
  /** Compute-stage length max_n SFC_n − SSC (s). */
  readonly computeTimeS: number;
  /** SSC + compute time (s), S1 Fig. 4. */
  readonly totalTimeS: number;
  /** Σ_n (SSC − CFT_n): UAVs waiting for each other after collecting (s), S1 Fig. 5. */
  readonly collectWaitS: number;
  /** Σ_n idle hover inside the compute stage (s). */
  readonly computeWaitS: number;
  readonly feasible: boolean;
  readonly minSeparationM: number;
  readonly mergedNodes: number;
  readonly originalSubtasks: number;
}

export interface Plan {
  readonly method: Method;
  readonly dag: MergedDag;
  /** UAV index of each user. */
  readonly association: readonly number[];
  readonly collection: CollectionPlan;
  readonly problem: SchedulingProblem;
  readonly schedule: Schedule;
  readonly metrics: PlanMetrics;
}

/** Bits each user uploads: the input of every node whose uploader it is (shared data once). */
function uploadBits(dag: MergedDag, users: readonly User[]): number[] {
  const idx = new Map(users.map((u, m) => [u.id, m]));
  const bits = users.map(() => 0);
  for (const nd of dag.nodes) if (nd.kind === 'task') bits[idx.get(nd.uploader)!]! += nd.inputBits;
  return bits;
}

interface Stage {
  association: number[];
  collection: CollectionPlan;
  problem: SchedulingProblem;
  schedule: Schedule;
}

export function planPool(rng: Rng, input: PlanInput): Result<Plan, string> {
  const { users, uavs, params, method } = input;
  if (uavs.length === 0) return fail('no-uavs');
  if (users.length === 0) return fail('no-users');
  const merged = mergeTasks(
    users.map((u) => u.task),
    { merge: input.merge },
  );
  if (!merged.ok) return fail(merged.reason, merged.detail);
  const dag = merged.value;
  const bits = uploadBits(dag, users);
  const loads: UserLoad[] = users.map((u, m) => ({ x: u.x, y: u.y, bits: bits[m]!, requestS: u.requestS }));
  const starts = uavs.map((u) => ({ x: u.startX, y: u.startY }));
  const N = uavs.length;
  const byRequest = users.map((_, m) => m).sort((a, b) => users[a]!.requestS - users[b]!.requestS || a - b);

  const p1 = (association: number[]): { visits: number[][]; collection: CollectionPlan } => {
    const visits: number[][] = [];
    for (let n = 0; n < N; n++) {
      const mine = (method === 'queue' ? byRequest : users.map((_, m) => m)).filter((m) => association[m] === n);
      if (method === 'queue') visits.push(mine);
      else {
        const order = planTour(starts[n]!, mine.map((m) => loads[m]!));
        visits.push(order.map((k) => mine[k]!));
      }
    }
    return { visits, collection: planCollection(uavs, loads, visits, params) };
  };

  const p2 = (association: number[], collection: CollectionPlan, seed?: Assignment): { problem: SchedulingProblem; schedule: Schedule } => {
    const ssc = collection.poolStartS;
    const idx = new Map(users.map((u, m) => [u.id, m]));
    const problem: SchedulingProblem = {
      dag,
      poolStartS: ssc,
      gamma: params.gamma,
      uavs: uavs.map((u, n) => {
        const c = collection.perUav[n]!;
        return {
          id: u.id,
          x: c.poolPosition.x,
          y: c.poolPosition.y,
          z: params.heightM,
          freqLevelsHz: u.freqLevelsHz,
          kappa: u.kappa,
          hoverPowerW: u.motion.hoverPowerW,
          energyBudgetJ: u.energyBudgetJ,
          moveEnergyFixedJ: c.flightJ + c.returnFlightJ + c.collectHoverJ + u.motion.hoverPowerW * (ssc - c.collectDoneS),
          collectDoneS: c.collectDoneS,
        };
      }),
      rateBps: collection.perUav.map((a) => collection.perUav.map((b) => uavRateBps(params, Math.hypot(a.poolPosition.x - b.poolPosition.x, a.poolPosition.y - b.poolPosition.y)))),
      inputHolder: dag.nodes.map((nd) => (nd.kind === 'task' ? association[idx.get(nd.uploader)!]! : -1)),
    };
    const cp = compileProblem(problem);
    const dec = new Decoder(cp);
    let a: Assignment;
    if (method === 'queue') a = queueSchedule(cp, new Map(users.map((u) => [u.id, u.requestS])));
    else if (method === 'region') a = localSchedule(cp);
    else a = runGa(cp, rng.fork(), input.ga ?? {}, seed ? [seed] : []).best;
    return { problem, schedule: dec.schedule(a) };
  };

  const stage = (association: number[], seed?: Assignment): Stage => {
    const { collection } = p1(association);
    return { association, collection, ...p2(association, collection, seed) };
  };

  let association: number[];
  switch (method) {
    case 'proposed':
      association = associateUsers(rng.fork(), loads, starts, { weighted: true, iterations: 50 });
      break;
    case 'distance':
      association = associateUsers(rng.fork(), loads, starts, { weighted: false, iterations: 50 });
      break;
    case 'region':
      association = regionAssociation(loads, starts);
      break;
    case 'data':
      association = dataBalancedAssociation(bits, N);
      break;
    case 'queue': {
      // online dispatch: each request, in order, goes to the UAV that would finish it first
      association = users.map(() => 0);
      const t = new Array<number>(N).fill(0);
      const pos = starts.map((s) => ({ ...s }));
      for (const m of byRequest) {
        let best = 0;
        let bestT = Infinity;
        for (let n = 0; n < N; n++) {
          const arrive = Math.max(t[n]! + Math.hypot(loads[m]!.x - pos[n]!.x, loads[m]!.y - pos[n]!.y) / params.cruiseMS, loads[m]!.requestS);
          if (arrive < bestT) {
            bestT = arrive;
            best = n;
          }
        }
        association[m] = best;
        t[best] = bestT + loads[m]!.bits / 1e7;
        pos[best] = { x: loads[m]!.x, y: loads[m]!.y };
      }
      break;
    }
  }
  let cur = stage(association);
  if (method === 'proposed') {
    const rounds = input.alternations ?? 6;
    const cand = input.candidates ?? 3;
    for (let r = 0; r < rounds; r++) {
      const obj = cur.schedule.perUav.map((u) => u.objectiveJ);
      const hi = obj.indexOf(Math.max(...obj));
      const lo = obj.indexOf(Math.min(...obj));
      if (hi === lo) break;
      const target = cur.collection.perUav[lo]!.poolPosition;
      const movable = cur.association
        .map((n, m) => ({ n, m }))
        .filter((e) => e.n === hi)
        .map((e) => e.m)
        .sort((a, b) => Math.hypot(loads[a]!.x - target.x, loads[a]!.y - target.y) - Math.hypot(loads[b]!.x - target.x, loads[b]!.y - target.y))
        .slice(0, cand);
      let improved = false;
      for (const m of movable) {
        const next = cur.association.slice();
        next[m] = lo;
        const s = stage(next, cur.schedule.assignment);
        if (s.schedule.metrics.maxObjectiveJ < cur.schedule.metrics.maxObjectiveJ - 1e-9) {
          cur = s;
          improved = true;
          break;
        }
      }
      if (!improved) break;
    }
  }
  return ok(finish(method, dag, users, cur));
}

function finish(method: Method, dag: MergedDag, users: readonly User[], s: Stage): Plan {
  const sm = s.schedule.metrics;
  const ssc = s.collection.poolStartS;
  const move = s.schedule.perUav.reduce((a, u) => a + u.moveEnergyJ, 0);
  const comp = s.schedule.perUav.reduce((a, u) => a + u.computeEnergyJ, 0);
  return {
    method,
    dag,
    association: s.association,
    collection: s.collection,
    problem: s.problem,
    schedule: s.schedule,
    metrics: {
      totalEnergyJ: sm.totalEnergyJ,
      maxObjectiveJ: sm.maxObjectiveJ,
      moveEnergyJ: move,
      computeEnergyJ: comp,
      collectionTimeS: ssc,
      computeTimeS: sm.makespanS,
      totalTimeS: ssc + sm.makespanS,
      collectWaitS: s.collection.perUav.reduce((a, c) => a + (ssc - c.collectDoneS), 0),
      computeWaitS: sm.computeWaitingS,
      feasible: sm.feasible,
      minSeparationM: s.collection.minSeparationM,
      mergedNodes: dag.taskCount,
      originalSubtasks: users.reduce((a, u) => a + u.task.subtasks.length, 0),
    },
  };
}
