/**
 * Dependent tasks for the computing power pool (SPEC §5.3, paper S1) in a mission scenario.
 * In `taskModel: 'dag'` every `poolEverySlots`-th slot starts a pool round: each user releases
 * one DAG task drawn with the scheduling engine's seeded generators (a shared library per round,
 * so identical subtasks repeat across users and can be merged). Pure: scenario, slot and `Rng` in.
 *
 * Sizes are S1's (§5.1: subtask data 1–8 Mb, dependent data 150–300 kb; 500–1000 cycles/bit,
 * see `DEFAULT_DAG_GEN`): at the mission's 10 GHz UAV CPU a subtask takes 0.05–1.6 s, which fits
 * the 2 s slots; what is scaled to the mission is the geometry — users where the world's users
 * stand, the UAVs at the cruise altitude and speed, the scenario's bandwidth (`poolParams`).
 */
import type { Rng } from '../../core/rng.ts';
import { DEFAULT_DAG_GEN, DEFAULT_POOL_PARAMS, generateSharedLibrary, generateUserTask, type DagGenOptions, type PoolParams, type UserTask } from '../../engines/scheduling/index.ts';
import type { Scenario } from './scenario.ts';
import { taskId, type UserDevice } from './users.ts';

export type TaskModel = 'independent' | 'dag';

export interface DagTaskSpec {
  taskId: number;
  userId: number;
  userPos: [number, number, number];
  localCpuHz: number;
  txPowerW: number;
  releaseUs: number;
  /** The DAG; private content ids are unique to the task, shared ones to the round. */
  task: UserTask;
}

/** CPU energy coefficient κ of the mission's UAVs (SPEC §4 [choice] 1e-28…1e-27): agents charge it, the pool plans with it. */
export const UAV_KAPPA = 1e-28;

/** Default pool round period, slots. */
export const DEFAULT_POOL_EVERY_SLOTS = 30;

export function taskModelOf(s: Scenario): TaskModel {
  return s.taskModel ?? 'independent';
}

/** Whether `slot` starts a pool round (dag mode only). */
export function isPoolSlot(s: Scenario, slot: number): boolean {
  return taskModelOf(s) === 'dag' && slot % Math.max(1, s.poolEverySlots ?? DEFAULT_POOL_EVERY_SLOTS) === 0;
}

export function dagGenOptions(s: Scenario): DagGenOptions {
  return { ...DEFAULT_DAG_GEN, ...s.dagGen };
}

/**
 * S1's physical parameters (SPEC §5.3) for this mission: height = cruise altitude, cruise speed =
 * the planned speed, V_max = 1.5 × it (the envelope's limit), B_max = the UAV bandwidth; the rest
 * are the engine's defaults. The controller plans and the agents time UAV-to-UAV transfers with it.
 * d_min = 0: S1's horizontal separation (kept by holding UAVs on the ground) does not apply to a
 * fleet that launches 6 m apart and cruises on altitude layers 4 m apart; separation in the air is
 * the layers' and the agents' safety envelope's job. With S1's 10 m the planner would hold UAVs
 * for minutes at the start.
 */
export function poolParams(s: Scenario): PoolParams {
  return { ...DEFAULT_POOL_PARAMS, heightM: s.cruiseAltM, cruiseMS: s.uavSpeedMS, vMaxMS: 1.5 * s.uavSpeedMS, dMinM: 0, bandwidthHz: s.uav.bandwidthHz };
}

/** Every user's DAG task of the round starting at `slot`. */
export function poolRoundTasks(users: readonly UserDevice[], s: Scenario, slot: number, releaseUs: number, rng: Rng): DagTaskSpec[] {
  const o = dagGenOptions(s);
  const library = generateSharedLibrary(rng.fork(), o);
  // Library content ids (c0…) are per round: a task left over from another round must not merge.
  const round = (c: string) => (c.startsWith('t') ? c : `r${slot}/${c}`);
  return users.map((u) => {
    const id = taskId(slot, u.id);
    const t = generateUserTask(rng, `t${id}`, library, o);
    return {
      taskId: id,
      userId: u.id,
      userPos: u.pos,
      localCpuHz: u.localCpuHz,
      txPowerW: u.txPowerW,
      releaseUs,
      task: { ...t, subtasks: t.subtasks.map((x) => ({ ...x, contentId: round(x.contentId) })) },
    };
  });
}

/** The controller's pool configuration for this scenario (`ControllerConfig.pool`), or undefined outside dag mode. */
export function poolConfigFor(s: Scenario): { params: PoolParams; kappa: number; cruiseAltM: number; speedMS: number; seed: number } | undefined {
  return taskModelOf(s) === 'dag' ? { params: poolParams(s), kappa: UAV_KAPPA, cruiseAltM: s.cruiseAltM, speedMS: s.uavSpeedMS, seed: s.seed } : undefined;
}

/** CLI help for `--tasks` / `--pool-every` (mission, world, controller). */
export const TASK_MODEL_HELP = `Task model:
  --tasks MODEL      independent (one task per user per slot, S3) or dag (dependent tasks for the
                     computing power pool, S1 / SPEC §5.3) (default independent)
  --pool-every K     dag: a pool round every K slots; a round starts once the last one is done
                     (default ${DEFAULT_POOL_EVERY_SLOTS})`;
