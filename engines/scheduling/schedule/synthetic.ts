import type { Rng } from '../../../core/rng.ts';
import type { UserTask } from '../dag/types.ts';
import { mergeTasks } from '../merge/merge.ts';
import { DEFAULT_POOL_PARAMS, rotaryWingMotion, uavRateBps } from '../model/params.ts';
import type { SchedulingProblem } from './problem.ts';

/**
 * Seeded stand-alone P2 instances with exactly `tasks` subtasks (for tests and `bench/scheduler.ts`):
 * users of ≤ `perUser` subtasks with random forward edges (fan-in ≤ 2), S1 sizes (1–8 Mb input,
 * 150–300 kb output), UAVs hovering at random points of a 1 km square, each node's input held by
 * a random UAV, random pre-pool movement energy.
 */
export interface SyntheticOptions {
  readonly tasks: number;
  readonly uavs: number;
  readonly levels?: readonly number[];
  readonly perUser?: number;
  readonly cyclesPerBit?: readonly [number, number];
  readonly energyBudgetJ?: number;
  /** Range of the fixed (pre-pool) movement energy per UAV (J); default 20–60 kJ. */
  readonly fixedMoveJ?: readonly [number, number];
}

export function syntheticProblem(rng: Rng, o: SyntheticOptions): SchedulingProblem {
  const perUser = o.perUser ?? 8;
  const cpb = o.cyclesPerBit ?? [100, 300];
  const tasks: UserTask[] = [];
  for (let u = 0, left = o.tasks; left > 0; u++) {
    const n = Math.min(perUser, left);
    left -= n;
    const subtasks = Array.from({ length: n }, (_, i) => {
      const inputBits = Math.round(rng.uniform(1e6, 8e6));
      return { id: `s${i}`, contentId: `u${u}/s${i}`, inputBits, cycles: Math.round(inputBits * rng.uniform(cpb[0], cpb[1])), outputBits: Math.round(rng.uniform(150e3, 300e3)) };
    });
    const edges = [];
    for (let j = 1; j < n; j++) {
      const k = rng.int(0, Math.min(2, j));
      const froms = rng.shuffle(Array.from({ length: j }, (_, i) => i)).slice(0, k);
      for (const i of froms) edges.push({ from: `s${i}`, to: `s${j}` });
    }
    tasks.push({ userId: `u${u}`, subtasks, edges });
  }
  const r = mergeTasks(tasks, { merge: false });
  if (!r.ok) throw new Error(`synthetic DAG invalid: ${r.detail}`);
  const dag = r.value;
  const motion = rotaryWingMotion();
  const pts = Array.from({ length: o.uavs }, () => [rng.uniform(0, 1000), rng.uniform(0, 1000)] as const);
  const uavs = pts.map(([x, y], n) => ({
    id: `uav${n}`,
    x,
    y,
    z: DEFAULT_POOL_PARAMS.heightM,
    freqLevelsHz: o.levels ?? [1.5e9, 2e9, 2.5e9, 3e9],
    kappa: 1e-27,
    hoverPowerW: motion.hoverPowerW,
    energyBudgetJ: o.energyBudgetJ ?? 5e5,
    moveEnergyFixedJ: rng.uniform(o.fixedMoveJ?.[0] ?? 2e4, o.fixedMoveJ?.[1] ?? 6e4),
    collectDoneS: 0,
  }));
  const rateBps = pts.map(([x1, y1]) => pts.map(([x2, y2]) => uavRateBps(DEFAULT_POOL_PARAMS, Math.hypot(x1 - x2, y1 - y2))));
  const inputHolder = dag.nodes.map((nd) => (nd.kind === 'task' ? rng.int(0, o.uavs - 1) : -1));
  return { dag, uavs, poolStartS: 300, gamma: DEFAULT_POOL_PARAMS.gamma, rateBps, inputHolder };
}
