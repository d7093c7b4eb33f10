/**
 * What the agent's stages share: its wiring (deps, config), the runners of assigned work and the
 * mutable state of one agent — the plan being flown, the flight phase, the last fleet picture, the
 * persisted state, the failsafe's last decision and the counters. No behaviour: every stage
 * (connect, plan, control, flight, report, rejoin) reads and writes it.
 */
import type { Timer } from '../../../core/clock.ts';
import type { VehicleState, Vec3 } from '../../../firmware-bridge/vehicle.ts';
import type { FleetState, MessageInput, Plan, TaskCompletion } from '../../../proto/index.ts';
import type { AgentConfig, AgentDeps } from '../config.ts';
import { Failsafe, type Decision } from '../failsafe/index.ts';
import { nedToMission, memberPos, positionNed } from '../frames.ts';
import { HealthMeter } from '../health/index.ts';
import type { PlanIntake } from '../plan/intake.ts';
import { InterventionTracker } from '../safety/interventions.ts';
import { createScheduleDriver, type ScheduleDriver } from '../schedule/index.ts';
import { ShareRunner } from '../shares/index.ts';
import { emptyState, StateSaver, type AgentState } from '../state/index.ts';
import { TaskRunner } from '../tasks.ts';
import type { Phase } from '../telemetry.ts';
import { VideoRunner } from '../video/index.ts';

export interface AgentStats {
  ticks: number;
  setpoints: number;
  held: number;
  clamped: number;
  plansAccepted: number;
  plansRefused: number;
  tasksDone: number;
  distanceM: number;
  maxAltM: number;
  resumed: boolean;
}

export class AgentCtx {
  plan: Plan | undefined;
  /** Index of the waypoint flown to (WAYPOINTS plans). */
  waypoint = 0;
  phase: Phase = 'ground';
  fleet: FleetState | undefined;
  readonly timers = new Set<Timer>();
  lastTickUs: number | undefined;
  stopped = false;
  /** Plans are handled one after another, in arrival order. */
  planChain: Promise<void> = Promise.resolve();
  /** The autopilot set-up of the current connection (return altitude); launches wait for it. */
  provisioned: { ready(): Promise<void> } | undefined;
  state: AgentState;
  readonly saver: StateSaver;
  decision: Decision | undefined;
  intake: PlanIntake | undefined;
  readonly failsafe: Failsafe;
  readonly health = new HealthMeter();
  readonly tasks: TaskRunner;
  /** S2 video shares (SPEC §5.4): uplink, transcoding, processing. */
  readonly video: VideoRunner;
  /** S0 coalition shares (SPEC §5.2). */
  readonly shares: ShareRunner;
  /** Subtask schedules of pool plans (SPEC §5.3), with dependency waits. */
  readonly schedule: ScheduleDriver;
  readonly stats: AgentStats = { ticks: 0, setpoints: 0, held: 0, clamped: 0, plansAccepted: 0, plansRefused: 0, tasksDone: 0, distanceM: 0, maxAltM: 0, resumed: false };
  lastPos: Vec3 | undefined;
  /** The safety envelope's last verdict (for health reports and debugging). */
  lastEnvelope: { action: string; reasons: string[] } | undefined;
  /** Turns envelope verdicts into one event per intervention that begins (the operator's alert list). */
  readonly interventions = new InterventionTracker();
  /** How often each envelope reason fired (prefix before ':'). */
  readonly envelopeReasons: Record<string, number> = {};

  constructor(
    readonly d: AgentDeps,
    readonly cfg: AgentConfig,
  ) {
    this.failsafe = new Failsafe(cfg.failsafe, d.clock.nowUs());
    this.state = emptyState(cfg.uavId);
    this.saver = new StateSaver(d.store, d.clock, d.log, () => this.state);
    const r = createRunners(this);
    this.tasks = r.tasks;
    this.video = r.video;
    this.shares = r.shares;
    this.schedule = r.schedule;
  }
}

type Runners = Pick<AgentCtx, 'tasks' | 'video' | 'shares' | 'schedule'>;

/** The runners of assigned work (tasks, video, coalition shares, pool schedules), wired to the context. */
function createRunners(c: Omit<AgentCtx, keyof Runners>): Runners {
  const { d, cfg } = c;
  const ownPos = () => ((p) => (p ? nedToMission(p) : undefined))(positionNed(cfg.origin, d.vehicle.state()));
  const complete = (m: MessageInput<TaskCompletion>) => d.uplink.send('uavCompletion', { uav: cfg.uavId }, m, 'completion');
  const tasks = new TaskRunner(
    {
      clock: d.clock, executor: d.executor, complete, ownPos,
      memberPos: (id) => memberPos(c.fleet, id),
      onOpenChange: (open) => {
        c.state.openTasks = open;
        c.saver.soon();
      },
    },
    { uavId: cfg.uavId, channel: cfg.channel, txPowerW: cfg.txPowerW, kappa: cfg.kappa },
  );
  const video = new VideoRunner({ clock: d.clock, executor: d.executor, uavId: cfg.uavId, ownPos, complete });
  const shares = new ShareRunner({
    clock: d.clock, executor: d.executor, ownPos, complete,
    onReported: (planSeq, taskId) => {
      if (planSeq !== c.plan?.plan_seq) return;
      if (c.state.shares?.planSeq !== planSeq) c.state.shares = { planSeq, reported: [] };
      c.state.shares.reported.push(taskId);
      c.saver.soon();
    },
  }, { uavId: cfg.uavId, kappa: cfg.kappa });
  const schedule = createScheduleDriver({
    clock: d.clock, executor: d.executor, uavId: cfg.uavId, kappa: cfg.kappa, link: cfg.link, ownPos, fleet: () => c.fleet, complete,
    onProgress: (planSeq, done) => {
      c.state.schedule = { planSeq, done: [...done] };
      c.saver.soon();
    },
  });
  return { tasks, video, shares, schedule };
}

/** Current mission-frame NED position (north, east, down), from the autopilot's global position. */
export function ownNed(c: AgentCtx, s: VehicleState = c.d.vehicle.state()): Vec3 | undefined {
  return positionNed(c.cfg.origin, s);
}
