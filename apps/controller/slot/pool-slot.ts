/**
 * A computing-power-pool round (SPEC §5.3, paper S1) turned into per-UAV plans. The round's DAG
 * tasks and the twin go into the scheduling engine's `planPool` (method 'proposed', merging on,
 * seeded): users where they stood at release, UAVs where the twin says they are with their
 * planned CPU (`plannedCpuHz`, SPEC §2) as the top of S1's four frequency levels. Each UAV gets
 * - FLIGHT_MODE_WAYPOINTS: its collection tour (the users it serves, in visit order) at its
 *   altitude layer, ending at its pool position (the last user; S1 keeps it there to compute);
 * - `schedule`: its merged subtasks in execution order with the planned CPU, start/end, the
 *   members served and each predecessor's key, source UAV (0 = itself), result size and predicted
 *   arrival — everything the agent's schedule runner needs to wait for dependencies.
 * Times in the plan are seconds after `valid_from_t_us` = the planning instant (the engine's t = 0).
 * Pure: the same inputs give the same plans.
 */
import { createRng } from '../../../core/rng.ts';
import { fail, ok, type Result } from '../../../core/result.ts';
import { FlightMode } from '../../../proto/index.ts';
import { compileProblem, Decoder, heft, planPool, rotaryWingMotion, type GaOptions, type Method, type Plan as PoolPlan, type PlanMetrics, type PoolParams, type Schedule, type Subtask, type TaskEdge, type UavSpec, type User } from '../../../engines/scheduling/index.ts';
import { plannedCpuHz, type Twin } from '../twin/index.ts';
import type { Point2 } from './hover.ts';
import { canServe, layerAltitude, type PlanBody } from './plan-slot.ts';

/** A DAG task as the controller received it (TaskRequest with subtasks). */
export interface PoolTask {
  taskId: number;
  userId: number;
  pos: [number, number, number];
  releaseUs: number;
  subtasks: readonly Subtask[];
  edges: readonly TaskEdge[];
}

export interface PoolSlotInput {
  slot: number;
  nowUs: number;
  twin: Twin;
  tasks: readonly PoolTask[];
  params: PoolParams;
  cruiseAltM: number;
  speedMS: number;
  /** CPU energy coefficient κ the agents charge (SPEC §4). */
  kappa: number;
  seed: number;
  layerSpacingM?: number;
  ga?: Partial<GaOptions>;
  /** P1/P2 alternation rounds (default 4). */
  alternations?: number;
  /** Plans stay valid for max(minValidS, slack × predicted total time), s (defaults 60, 3). */
  minValidS?: number;
  validSlack?: number;
  /** S1's method (SPEC §5.3; default 'proposed', the controller's). The others are S1's baselines, for what-if replays. */
  method?: Method;
  /**
   * P2 scheduler (default 'ga', the method's own). 'heft': the method's plan — its P1 association,
   * tours and collection, after any P1/P2 alternation — with its P2 replaced by HEFT on the same
   * scheduling problem. Like for like with the GA (which is HEFT-seeded with elitism, so its
   * objective is never above HEFT's on that problem).
   */
  scheduler?: 'ga' | 'heft';
}

/** One merged node of the round: who computes it, whom it serves, what was predicted. */
export interface PoolNode {
  key: string;
  uavId: number;
  /** "<taskId>/<subtaskId>" of every original subtask it stands for. */
  members: string[];
  taskIds: number[];
  cycles: number;
  /** Planned CPU, Hz. */
  cpuHz: number;
  predictedStartS: number;
  predictedEndS: number;
}

export interface PoolRoundPlan {
  plans: Map<number, PlanBody>;
  nodes: Map<string, PoolNode>;
  /** Per task id: the node keys whose results it needs (its task completes with the last). */
  taskNodes: Map<number, string[]>;
  /** The engine's prediction (energy in J, times in s after valid_from). */
  predicted: PlanMetrics;
  /** Each UAV's pool position (where it computes), for the next slots' hover targets. */
  targets: Map<number, Point2>;
  validFromUs: number;
  expiresUs: number;
  /** The engine's whole plan (reports, tests). */
  engine: PoolPlan;
}

/** S1 §5.1's frequency levels 1.5/2/2.5/3 GHz, as fractions of the top level. */
export const POOL_FREQ_FRACTIONS = [0.5, 2 / 3, 5 / 6, 1] as const;

export const memberKey = (taskId: number | string, subtaskId: string): string => `${taskId}/${subtaskId}`;

export function planPoolSlot(inp: PoolSlotInput): Result<PoolRoundPlan, string> {
  const uavs = [...inp.twin.values()].filter((u) => u.pos !== undefined).sort((a, b) => a.id - b.id);
  const serving = uavs.filter(canServe);
  if (serving.length === 0) return fail('no-uavs', 'no UAV is airborne and linked');
  if (inp.tasks.length === 0) return fail('no-users', 'no DAG task pending');
  const specs: UavSpec[] = serving.map((u) => ({
    id: String(u.id),
    startX: u.pos![0],
    startY: u.pos![1],
    freqLevelsHz: POOL_FREQ_FRACTIONS.map((k) => k * plannedCpuHz(u)),
    kappa: inp.kappa,
    energyBudgetJ: u.batteryJ ?? Infinity,
    motion: rotaryWingMotion(),
  }));
  const byUser = new Map(inp.tasks.map((t) => [`t${t.taskId}`, t]));
  const users: User[] = inp.tasks.map((t) => ({ id: `t${t.taskId}`, x: t.pos[0], y: t.pos[1], requestS: 0, task: { userId: `t${t.taskId}`, subtasks: t.subtasks, edges: t.edges } }));
  const r = planPool(createRng(inp.seed * 7907 + inp.slot), { users, uavs: specs, params: inp.params, method: inp.method ?? 'proposed', merge: true, alternations: inp.alternations ?? 4, ...(inp.ga ? { ga: inp.ga } : {}) });
  if (!r.ok) return fail(r.reason, r.detail);
  const plan = inp.scheduler === 'heft' ? withSchedule(r.value, heftSchedule(r.value)) : r.value;
  const dag = plan.dag;
  const taskOf = (userId: string) => byUser.get(userId)!;
  const keyOf = (node: number) => {
    const m = dag.nodes[node]!.members[0]!;
    return memberKey(taskOf(m.userId).taskId, m.subtaskId);
  };
  const twinId = (n: number) => serving[n]!.id;

  const nodes = new Map<string, PoolNode>();
  const schedules = new Map<number, NonNullable<PlanBody['schedule']>>();
  plan.schedule.perUav.forEach((us, n) => {
    const list: NonNullable<PlanBody['schedule']> = [];
    for (const e of us.entries) {
      const nd = dag.nodes[e.node]!;
      const key = keyOf(e.node);
      const first = taskOf(nd.members[0]!.userId);
      const members = nd.members.map((m) => memberKey(taskOf(m.userId).taskId, m.subtaskId));
      nodes.set(key, { key, uavId: twinId(n), members, taskIds: [...new Set(nd.members.map((m) => taskOf(m.userId).taskId))], cycles: nd.cycles, cpuHz: e.fHz, predictedStartS: e.startS, predictedEndS: e.endS });
      list.push({
        task_id: first.taskId,
        subtask_id: nd.members[0]!.subtaskId,
        node_key: key,
        serves: members,
        cycles: nd.cycles,
        cpu_hz: e.fHz,
        start_s: e.startS,
        end_s: e.endS,
        output_bits: nd.outputBits,
        user_id: first.userId,
        release_t_us: first.releaseUs,
        predecessor_ids: e.predecessors.map((p) => keyOf(p.node)),
        predecessor_uav_ids: e.predecessors.map((p) => (p.uav === n ? 0 : twinId(p.uav))),
        predecessor_ready_s: e.predecessors.map((p) => p.arriveS),
        predecessor_output_bits: e.predecessors.map((p) => dag.nodes[p.node]!.outputBits),
      });
    }
    schedules.set(twinId(n), list);
  });
  const taskNodes = new Map<number, string[]>();
  for (const [userId, idx] of dag.userNodes) taskNodes.set(taskOf(userId).taskId, idx.map(keyOf));

  const nowUs = Math.round(inp.nowUs);
  const validS = Math.max(inp.minValidS ?? 60, (inp.validSlack ?? 3) * plan.metrics.totalTimeS);
  const expiresUs = nowUs + Math.round(validS * 1e6);
  const plans = new Map<number, PlanBody>();
  const targets = new Map<number, Point2>();
  for (const [i, u] of uavs.entries()) {
    const alt = layerAltitude(inp.cruiseAltM, i, uavs.length, inp.layerSpacingM ?? 4);
    const n = serving.indexOf(u);
    const c = n >= 0 ? plan.collection.perUav[n]! : undefined;
    const tour = c ? c.visits.map((m) => [users[m]!.x, users[m]!.y] as Point2) : [];
    const end: Point2 = c ? [c.poolPosition.x, c.poolPosition.y] : [u.pos![0], u.pos![1]];
    if (tour.length === 0) tour.push(end);
    targets.set(u.id, end);
    plans.set(u.id, {
      uav_id: u.id,
      plan_seq: Math.floor(nowUs / 1000),
      slot: inp.slot,
      valid_from_t_us: nowUs,
      expires_t_us: expiresUs,
      flight: { mode: FlightMode.FLIGHT_MODE_WAYPOINTS, waypoints: tour.map(([x, y]) => ({ x_east_m: x, y_north_m: y, alt_m: alt })), speed_m_s: inp.speedMS },
      schedule: schedules.get(u.id) ?? [],
      planner: 'pool',
      objective: plan.metrics.maxObjectiveJ,
    });
  }
  return ok({ plans, nodes, taskNodes, predicted: plan.metrics, targets, validFromUs: nowUs, expiresUs, engine: plan });
}

/** HEFT (S1's P2 baseline) on a plan's own scheduling problem. */
function heftSchedule(p: PoolPlan): Schedule {
  const cp = compileProblem(p.problem);
  return new Decoder(cp).schedule(heft(cp));
}

/** The plan with another P2 schedule on the same problem; metrics as the engine's `planPool` computes them (SPEC §5.3). */
function withSchedule(p: PoolPlan, s: Schedule): PoolPlan {
  const sm = s.metrics;
  const ssc = p.collection.poolStartS;
  return {
    ...p,
    schedule: s,
    metrics: {
      ...p.metrics,
      totalEnergyJ: sm.totalEnergyJ,
      maxObjectiveJ: sm.maxObjectiveJ,
      moveEnergyJ: s.perUav.reduce((a, u) => a + u.moveEnergyJ, 0),
      computeEnergyJ: s.perUav.reduce((a, u) => a + u.computeEnergyJ, 0),
      computeTimeS: sm.makespanS,
      totalTimeS: ssc + sm.makespanS,
      computeWaitS: sm.computeWaitingS,
      feasible: sm.feasible,
    },
  };
}
