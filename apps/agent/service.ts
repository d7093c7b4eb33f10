/**
 * The agent process's core, wired to its autopilot (any `Vehicle`: the MAVLink bridge to PX4,
 * ArduPilot or the SITL) and to the bus. Per control tick (default 10 Hz) it turns the current
 * plan into a desired velocity (guidance), passes it through the always-on safety envelope and
 * offers the result to the autopilot; nothing else ever reaches the autopilot as a setpoint. Plans
 * are gated (plan/gate.ts) and acked or nacked; assigned tasks are received, relayed and computed
 * with the real channel at the UAV's real position and the executor's real timing; twin state is
 * reported every slot and on change.
 */
import { cpuEnergyJ } from '../../core/models/compute.ts';
import { hoverPowerW } from '../../core/models/propulsion.ts';
import type { S3ChannelParams } from '../../core/models/channel.ts';
import type { Clock, Timer } from '../../core/clock.ts';
import type { Setpoint, Vehicle, VehicleState, Vec3 } from '../../firmware-bridge/vehicle.ts';
import { geoToNed, type GeoPoint } from '../../sim/autopilot/core/geo.ts';
import {
  decodeRaw,
  ExecutionSite,
  FlightMode,
  FlightState,
  NackReason,
  Severity,
  type ComputeAssignment,
  type FleetState,
  type Plan,
} from '../../proto/index.ts';
import type { Bus } from '../common/bus.ts';
import type { Logger } from '../common/log.ts';
import type { Executor } from './executor/index.ts';
import type { Envelope } from './safety/index.ts';
import type { FleetEntry } from './safety/separation.ts';
import { DEFAULT_GUIDANCE, missionToNed, nextWaypoint, velocityTowards, type GuidanceParams } from './flight/guidance.ts';
import { gatePlan } from './plan/gate.ts';
import { transferTimes } from './work/timing.ts';

export interface AgentConfig {
  uavId: number;
  /** Geodetic origin of the mission frame. */
  origin: GeoPoint;
  channel: S3ChannelParams;
  cpuHz: number;
  bandwidthHz: number;
  cacheBits: number;
  txPowerW: number;
  /** Battery capacity, J, to turn the autopilot's state of charge into energy. */
  batteryCapacityJ: number;
  /** CPU energy coefficient κ (SPEC §4). */
  kappa: number;
  controlRateHz: number;
  /** Twin-state reports per second (plus one on every flight-state change). */
  telemetryRateHz: number;
  takeoffAltM: number;
  guidance?: GuidanceParams;
}

type Phase = 'ground' | 'takeoff' | 'flying' | 'rtl' | 'landing';

export class AgentService {
  private plan: Plan | undefined;
  private lastSeq = 0;
  private waypoint = 0;
  private phase: Phase = 'ground';
  private fleet: FleetState | undefined;
  private computeEnergyJ = 0;
  private tasksInProgress = 0;
  private measuredCpuHz: number | undefined;
  private readonly timers = new Set<Timer>();
  private lastTickUs: number | undefined;
  private stopped = false;
  readonly stats = { ticks: 0, setpoints: 0, held: 0, clamped: 0, plansAccepted: 0, plansRefused: 0, tasksDone: 0, distanceM: 0, maxAltM: 0 };
  private lastPos: Vec3 | undefined;
  /** The safety envelope's last verdict (for health reports and debugging). */
  lastEnvelope: { action: string; reasons: string[] } | undefined;
  /** How often each envelope reason fired (prefix before ':'). */
  readonly envelopeReasons: Record<string, number> = {};

  constructor(
    private readonly d: { bus: Bus; vehicle: Vehicle; clock: Clock; log: Logger; envelope: Envelope; executor: Executor },
    private readonly cfg: AgentConfig,
  ) {}

  get uavId(): number {
    return this.cfg.uavId;
  }

  async start(): Promise<void> {
    const { bus, vehicle } = this.d;
    const me = { uav: this.cfg.uavId };
    await bus.subscribe('plan', me, (p) => this.onPlan(p), (reason, detail, payload) => this.onBadPlan(reason, detail, payload));
    await bus.subscribe('fleet', {}, (f) => {
      this.fleet = f;
    });
    this.every(1000 / this.cfg.telemetryRateHz, () => this.publishTwin());
    vehicle.on('linkLost', () => this.event(Severity.SEVERITY_ERROR, 'link.autopilot.lost', 'no autopilot heartbeat: setpoints stopped'));
    vehicle.on('linkRegained', () => this.event(Severity.SEVERITY_INFO, 'link.autopilot.regained', 'autopilot heartbeat back'));
    this.every(1000 / this.cfg.controlRateHz, () => this.tick());
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) t.cancel();
    this.timers.clear();
    this.d.vehicle.stopSetpoints();
  }

  /** Current mission-frame NED position (north, east, down), from the autopilot's global position. */
  positionNed(s: VehicleState = this.d.vehicle.state()): Vec3 | undefined {
    if (!s.global) return undefined;
    return geoToNed(this.cfg.origin, { latDeg: s.global.latDeg, lonDeg: s.global.lonDeg, altAmslM: s.global.altAmslM });
  }

  private every(ms: number, fn: () => void): void {
    this.timers.add(this.d.clock.setInterval(fn, ms));
  }

  private tick(): void {
    if (this.stopped) return;
    const { vehicle, clock, envelope } = this.d;
    const s = vehicle.state();
    const nowUs = clock.nowUs();
    const dtS = this.lastTickUs === undefined ? 1 / this.cfg.controlRateHz : (nowUs - this.lastTickUs) / 1e6;
    this.lastTickUs = nowUs;
    this.stats.ticks++;
    if (!s.connected) return;
    this.odometry(s);
    if (this.phase === 'takeoff' && s.flavour === 'ardupilot' && !this.reachedTakeoffAlt(s)) return;
    if (this.phase === 'takeoff' && this.reachedTakeoffAlt(s)) this.setPhase('flying');
    if (this.phase !== 'flying' && this.phase !== 'takeoff') return;
    const pos = this.positionNed(s);
    if (!pos) return;
    const desired = this.desired(pos);
    const out = envelope.constrain({
      desired,
      own: { posNedM: pos, ...(s.velocityNedMS ? { velNedMS: s.velocityNedMS } : {}), ...(this.batteryJ(s) !== undefined ? { batteryJ: this.batteryJ(s)! } : {}), homeNedM: this.homeNed(s) ?? pos },
      fleet: this.fleetEntries(),
      nowUs,
      dtS,
    });
    this.lastEnvelope = { action: out.action, reasons: out.reasons };
    for (const r of out.reasons) {
      const k = r.replace(/:.*/, '');
      this.envelopeReasons[k] = (this.envelopeReasons[k] ?? 0) + 1;
    }
    if (out.action === 'hold') this.stats.held++;
    if (out.action === 'clamped') this.stats.clamped++;
    vehicle.offerSetpoint(out.setpoint);
    this.stats.setpoints++;
  }

  private odometry(s: VehicleState): void {
    const p = this.positionNed(s);
    if (!p) return;
    if (this.lastPos) this.stats.distanceM += Math.hypot(p.x - this.lastPos.x, p.y - this.lastPos.y, p.z - this.lastPos.z);
    this.lastPos = p;
    this.stats.maxAltM = Math.max(this.stats.maxAltM, -p.z);
  }

  private desired(pos: Vec3): Setpoint {
    const g = { ...(this.cfg.guidance ?? DEFAULT_GUIDANCE) };
    const f = this.plan?.flight;
    if (f?.speed_m_s) g.speedMS = f.speed_m_s;
    let target: Vec3 | undefined;
    if (f?.mode === FlightMode.FLIGHT_MODE_GOTO && f.target) target = missionToNed(f.target);
    if (f?.mode === FlightMode.FLIGHT_MODE_WAYPOINTS && f.waypoints.length) {
      const wps = f.waypoints.map(missionToNed);
      this.waypoint = nextWaypoint(pos, wps, this.waypoint, g.reachedM);
      target = wps[this.waypoint];
    }
    if (this.phase === 'takeoff') target = { x: pos.x, y: pos.y, z: -this.cfg.takeoffAltM };
    return { kind: 'velocity_ned', velocityMS: target ? velocityTowards(pos, target, g) : { x: 0, y: 0, z: 0 } };
  }

  private reachedTakeoffAlt(s: VehicleState): boolean {
    return (s.global?.relAltM ?? 0) >= 0.9 * this.cfg.takeoffAltM;
  }

  private batteryJ(s: VehicleState): number | undefined {
    return s.batteryRemainingPct === undefined ? undefined : (s.batteryRemainingPct / 100) * this.cfg.batteryCapacityJ;
  }

  private homeNed(s: VehicleState): Vec3 | undefined {
    return s.home ? geoToNed(this.cfg.origin, s.home) : undefined;
  }

  private fleetEntries(): FleetEntry[] {
    if (!this.fleet) return [];
    return this.fleet.members
      .filter((m) => m.uav_id !== this.cfg.uavId && m.position)
      .map((m) => ({
        id: String(m.uav_id),
        posNedM: missionToNed(m.position!),
        ...(m.velocity ? { velNedMS: { x: m.velocity.vy_north_m_s, y: m.velocity.vx_east_m_s, z: -m.velocity.vz_up_m_s } } : {}),
        tUs: m.reported_t_us,
      }));
  }

  private onBadPlan(reason: string, detail: string | undefined, payload: Uint8Array): void {
    const raw = decodeRaw('Plan', payload);
    if (!raw.ok || raw.value.uav_id !== this.cfg.uavId || !(raw.value.plan_seq > 0)) return;
    this.ack(raw.value.plan_seq, false, NackReason.NACK_REASON_MALFORMED, `${reason}: ${detail ?? ''}`);
  }

  private onPlan(p: Plan): void {
    const fence = this.d.envelope.config;
    const verdict = gatePlan(p, {
      uavId: this.cfg.uavId,
      lastSeq: this.lastSeq,
      nowUs: this.d.clock.nowUs(),
      positionProblem: (q) =>
        q.alt_m > fence.altitude.maxAltM ? `target altitude ${q.alt_m} m above the ${fence.altitude.maxAltM} m ceiling` : undefined,
    });
    if (!verdict.accepted) {
      this.stats.plansRefused++;
      this.ack(p.plan_seq, false, verdict.reason, verdict.detail);
      return;
    }
    this.stats.plansAccepted++;
    const newFlight = this.plan?.flight?.mode !== p.flight?.mode || p.flight?.mode === FlightMode.FLIGHT_MODE_WAYPOINTS;
    this.plan = p;
    this.lastSeq = p.plan_seq;
    if (newFlight) this.waypoint = 0;
    this.ack(p.plan_seq, true, NackReason.NACK_REASON_UNSPECIFIED, '');
    this.applyFlight(p);
    for (const a of p.assignments) if (a.exec_uav_id === this.cfg.uavId) this.execute(a, Math.max(a.release_t_us, p.valid_from_t_us));
  }

  private applyFlight(p: Plan): void {
    const mode = p.flight?.mode;
    const { vehicle } = this.d;
    if (mode === FlightMode.FLIGHT_MODE_RTL && this.phase !== 'rtl') {
      this.setPhase('rtl');
      vehicle.stopSetpoints();
      void vehicle.returnToLaunch().then((r) => !r.ok && this.event(Severity.SEVERITY_ERROR, 'command.rtl.failed', r.reason));
    } else if (mode === FlightMode.FLIGHT_MODE_LAND && this.phase !== 'landing') {
      this.setPhase('landing');
      vehicle.stopSetpoints();
      void vehicle.land().then((r) => !r.ok && this.event(Severity.SEVERITY_ERROR, 'command.land.failed', r.reason));
    } else if ((mode === FlightMode.FLIGHT_MODE_GOTO || mode === FlightMode.FLIGHT_MODE_WAYPOINTS || mode === FlightMode.FLIGHT_MODE_HOLD) && this.phase === 'ground') {
      void this.launch();
    }
  }

  /** Arms and climbs to the takeoff altitude the way each autopilot wants it (MAVLINK.md §4). */
  private async launch(): Promise<void> {
    const { vehicle, clock } = this.d;
    this.setPhase('takeoff');
    const s = vehicle.state();
    const fail = (what: string, why: string) => {
      this.event(Severity.SEVERITY_ERROR, `launch.${what}`, why);
      this.setPhase('ground');
    };
    if (s.flavour === 'px4') {
      // PX4 OFFBOARD: setpoints must already stream (the tick loop offers them in 'takeoff').
      await clock.sleep(1500);
      const arm = await vehicle.arm();
      if (!arm.ok) return fail('arm', arm.reason);
      const mode = await vehicle.setGuided();
      if (!mode.ok) return fail('offboard', mode.reason);
      return;
    }
    const mode = await vehicle.setGuided();
    if (!mode.ok) return fail('guided', mode.reason);
    const arm = await vehicle.arm();
    if (!arm.ok) return fail('arm', arm.reason);
    const to = await vehicle.takeoff(this.cfg.takeoffAltM);
    if (!to.ok) return fail('takeoff', to.reason);
  }

  private setPhase(p: Phase): void {
    if (this.phase === p) return;
    this.phase = p;
    this.publishTwin();
  }

  /**
   * Receives (and relays) then computes one task. Times are computed from the service start — the
   * plan's decision time — and the channel at the UAVs' positions now, not read off when timers
   * fire: on an accelerated clock a millisecond of timer jitter is many simulated ones.
   */
  private execute(a: ComputeAssignment, serviceStartUs: number): void {
    const own = this.missionPos();
    if (!own) return this.fail(a, 'no position fix');
    const access = a.access_uav_id === this.cfg.uavId ? own : this.memberPos(a.access_uav_id) ?? own;
    const up = a.user_position!;
    const t = transferTimes(this.cfg.channel, {
      dataBits: a.data_bits,
      userPos: [up.x_east_m, up.y_north_m, up.alt_m],
      accessPos: access,
      execPos: own,
      bandwidthHz: a.bandwidth_hz,
      relayBandwidthHz: a.relay_bandwidth_hz,
      userTxPowerW: a.tx_power_w,
      uavTxPowerW: this.cfg.txPowerW,
      relayed: a.access_uav_id !== a.exec_uav_id,
    });
    if (!Number.isFinite(t.uplinkS + t.relayS)) return this.fail(a, 'user out of radio range');
    this.tasksInProgress++;
    const uploadedUs = serviceStartUs + (t.uplinkS + t.relayS) * 1e6;
    const timer = this.d.clock.setTimeout(() => {
      this.timers.delete(timer);
      if (this.stopped) return;
      this.d.executor
        .run({ id: String(a.task_id), cycles: a.cycles, cpuHz: a.cpu_hz }, uploadedUs)
        .then((r) => {
          this.tasksInProgress--;
          this.stats.tasksDone++;
          this.measuredCpuHz = r.cyclesPerS;
          const computeS = (r.endUs - r.startUs) / 1e6;
          const energy = cpuEnergyJ(this.cfg.kappa, a.cpu_hz, a.cycles);
          this.computeEnergyJ += energy;
          const doneUs = Math.round(r.endUs);
          const release = a.release_t_us;
          void this.d.bus.publish('uavCompletion', { uav: this.cfg.uavId }, {
            task_id: a.task_id, user_id: a.user_id, site: ExecutionSite.EXECUTION_SITE_UAV, uav_id: this.cfg.uavId,
            release_t_us: release, service_start_t_us: Math.round(serviceStartUs), done_t_us: Math.max(doneUs, release), uplink_s: t.uplinkS, relay_s: t.relayS, compute_s: computeS,
            predicted_s: a.predicted_s, local_s: a.local_s, late: a.deadline_s > 0 && (doneUs - serviceStartUs) / 1e6 > a.deadline_s, compute_energy_j: energy,
          }).catch((e: unknown) => this.d.log.warn({ err: e }, 'completion not published'));
        })
        .catch((e: unknown) => {
          this.tasksInProgress--;
          this.fail(a, `executor failed: ${(e as Error).message}`);
        });
    }, Math.max(0, (uploadedUs - this.d.clock.nowUs()) / 1000));
    this.timers.add(timer);
  }

  private fail(a: ComputeAssignment, why: string): void {
    const now = Math.round(this.d.clock.nowUs());
    void this.d.bus.publish('uavCompletion', { uav: this.cfg.uavId }, {
      task_id: a.task_id, user_id: a.user_id, site: ExecutionSite.EXECUTION_SITE_UAV, uav_id: this.cfg.uavId,
      release_t_us: a.release_t_us, done_t_us: Math.max(now, a.release_t_us), local_s: a.local_s, failed: true, failure_reason: why,
    }).catch((e: unknown) => this.d.log.warn({ err: e }, 'failure not published'));
  }

  private missionPos(): [number, number, number] | undefined {
    const p = this.positionNed();
    return p ? [p.y, p.x, -p.z] : undefined;
  }

  private memberPos(id: number): [number, number, number] | undefined {
    const m = this.fleet?.members.find((x) => x.uav_id === id)?.position;
    return m ? [m.x_east_m, m.y_north_m, m.alt_m] : undefined;
  }

  private flightState(s: VehicleState): FlightState {
    if (this.phase === 'rtl') return FlightState.FLIGHT_STATE_RETURNING;
    if (this.phase === 'landing') return FlightState.FLIGHT_STATE_LANDING;
    if (this.phase === 'takeoff') return FlightState.FLIGHT_STATE_TAKING_OFF;
    if (this.phase === 'flying') return this.plan?.flight?.mode === FlightMode.FLIGHT_MODE_HOLD ? FlightState.FLIGHT_STATE_HOLDING : FlightState.FLIGHT_STATE_FLYING;
    return s.landed === 'in_air' ? FlightState.FLIGHT_STATE_HOLDING : FlightState.FLIGHT_STATE_ON_GROUND;
  }

  publishTwin(): void {
    const s = this.d.vehicle.state();
    const p = this.positionNed(s);
    const v = s.velocityNedMS;
    const batteryJ = this.batteryJ(s);
    void this.d.bus
      .publish('twin', { uav: this.cfg.uavId }, {
        uav_id: this.cfg.uavId,
        ...(p ? { position: { x_east_m: p.y, y_north_m: p.x, alt_m: -p.z } } : {}),
        ...(v ? { velocity: { vx_east_m_s: v.y, vy_north_m_s: v.x, vz_up_m_s: -v.z } } : {}),
        ...(batteryJ !== undefined ? { battery_remaining_j: batteryJ } : {}),
        ...(s.batteryRemainingPct !== undefined ? { battery_pct: s.batteryRemainingPct } : {}),
        ...(s.batteryConsumedJ !== undefined ? { flight_energy_used_j: s.batteryConsumedJ } : {}),
        compute_energy_used_j: this.computeEnergyJ,
        cpu_hz_available: this.cfg.cpuHz,
        ...(this.measuredCpuHz !== undefined ? { cpu_hz_measured: this.measuredCpuHz } : {}),
        bandwidth_hz: this.cfg.bandwidthHz,
        cache_bits_available: this.cfg.cacheBits,
        hover_power_w: hoverPowerW(),
        flight_state: this.flightState(s),
        plan_seq: this.lastSeq,
        autopilot_link_up: s.connected,
        autopilot_mode: s.modeRaw,
        armed: s.armed,
        tasks_in_progress: this.tasksInProgress,
      })
      .catch((e: unknown) => this.d.log.warn({ err: e }, 'twin state not published'));
  }

  private ack(seq: number, accepted: boolean, reason: NackReason, detail: string): void {
    void this.d.bus
      .publish('ack', { uav: this.cfg.uavId }, { uav_id: this.cfg.uavId, plan_seq: seq, accepted, reason, detail })
      .catch((e: unknown) => this.d.log.warn({ err: e }, 'ack not published'));
    if (!accepted) this.event(Severity.SEVERITY_WARNING, 'plan.nack', detail);
  }

  private event(severity: Severity, code: string, text: string): void {
    this.d.log[severity >= Severity.SEVERITY_ERROR ? 'error' : 'info']({ code, uav: this.cfg.uavId }, text);
    void this.d.bus.publish('uavEvent', { uav: this.cfg.uavId }, { severity, code, text, uav_id: this.cfg.uavId }).catch(() => undefined);
  }
}
