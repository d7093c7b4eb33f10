/**
 * The agent process's core, wired to its autopilot (any `Vehicle`: the MAVLink bridge to PX4,
 * ArduPilot or the SITL) and to the bus. Per control tick (default 10 Hz) it asks the failsafe
 * state machine what to fly, turns the plan (or the policy) into a desired velocity, passes it
 * through the always-on safety envelope and offers the result to the autopilot; nothing else ever
 * reaches the autopilot as a setpoint. Plans are authenticated (pinned controller key, if set) and
 * gated (plan/intake.ts), acked or nacked, persisted and flown; assigned tasks are computed
 * (tasks.ts), pool subtask schedules run with dependency waits (schedule/); twin state is reported every slot and on change, health once a second — all through
 * the ordered uplink (uplink/), which keeps them in the on-disk outbox while the broker is down.
 *
 * Failsafes (failsafe/, issue 6 §4) as the agent applies them:
 * - controller silent > N slots (no FleetState/plan) → hold (zero velocity through the envelope);
 *   > M slots, or the envelope's battery-reserve verdict → the autopilot's own RTL (latched);
 * - autopilot link lost → stop setpoints, report; on regain hold until the next accepted plan;
 * - broker unreachable → keep flying the current plan while it is valid, then hold;
 * - agent dead → the bridge stops streaming, the autopilot's offboard/guided-timeout failsafe fires.
 * Failsafe decisions act only in the air: on the ground an accepted plan clears the latches.
 */
import type { Timer } from '../../core/clock.ts';
import type { Setpoint, VehicleState, Vec3 } from '../../firmware-bridge/vehicle.ts';
import { decodeRaw, encode, FlightMode, NackReason, Severity, type FleetState, type Plan } from '../../proto/index.ts';
import type { AgentConfig, AgentDeps } from './config.ts';
import { Failsafe, type Decision } from './failsafe/index.ts';
import { HealthMeter } from './health/index.ts';
import { emptyState, StateSaver, type AgentState } from './state/index.ts';
import { fleetEntries, homeNed, memberPos, nedToMission, positionNed } from './frames.ts';
import { launchVehicle } from './flight/launch.ts';
import { returnAltitudeM, watchReturnAltitude } from './flight/return-alt.ts';
import { DEFAULT_GUIDANCE, guidanceProfile, missionToNed, nextWaypoint, tourVelocity, velocityTowards } from './flight/guidance.ts';
import { PlanIntake, type PlanAuthSummary } from './plan/intake.ts';
import { TaskRunner } from './tasks.ts';
import { VideoRunner } from './video/index.ts';
import { ShareRunner } from './shares/index.ts';
import { createScheduleDriver, type ScheduleDriver } from './schedule/index.ts';
import { flightState, healthMessage, twinMessage, type Phase } from './telemetry.ts';
import { InterventionTracker } from './safety/interventions.ts';

export type { AgentConfig, AgentDeps } from './config.ts';

export class AgentService {
  private plan: Plan | undefined;
  private waypoint = 0;
  private phase: Phase = 'ground';
  private fleet: FleetState | undefined;
  private readonly timers = new Set<Timer>();
  private lastTickUs: number | undefined;
  private stopped = false;
  private planChain: Promise<void> = Promise.resolve();
  /** The autopilot set-up of the current connection (return altitude); launches wait for it. */
  private provisioned: { ready(): Promise<void> } | undefined;
  private state: AgentState;
  private readonly saver: StateSaver;
  private decision: Decision | undefined;
  private intake: PlanIntake | undefined;
  readonly failsafe: Failsafe;
  readonly health = new HealthMeter();
  readonly tasks: TaskRunner;
  /** S2 video shares (SPEC §5.4): uplink, transcoding, processing. */
  readonly video: VideoRunner;
  /** S0 coalition shares (SPEC §5.2). */
  readonly shares: ShareRunner;
  /** Subtask schedules of pool plans (SPEC §5.3), with dependency waits. */
  readonly schedule: ScheduleDriver;
  readonly stats = { ticks: 0, setpoints: 0, held: 0, clamped: 0, plansAccepted: 0, plansRefused: 0, tasksDone: 0, distanceM: 0, maxAltM: 0, resumed: false };
  private lastPos: Vec3 | undefined;
  /** The safety envelope's last verdict (for health reports and debugging). */
  lastEnvelope: { action: string; reasons: string[] } | undefined;
  /** Turns envelope verdicts into one event per intervention that begins (the operator's alert list). */
  private readonly interventions = new InterventionTracker();
  /** How often each envelope reason fired (prefix before ':'). */
  readonly envelopeReasons: Record<string, number> = {};

  constructor(
    private readonly d: AgentDeps,
    private readonly cfg: AgentConfig,
  ) {
    this.failsafe = new Failsafe(cfg.failsafe, d.clock.nowUs());
    this.state = emptyState(cfg.uavId);
    this.saver = new StateSaver(d.store, d.clock, d.log, () => this.state);
    const ownPos = () => ((p) => (p ? nedToMission(p) : undefined))(this.positionNed());
    this.tasks = new TaskRunner(
      {
        clock: d.clock,
        executor: d.executor,
        complete: (c) => d.uplink.send('uavCompletion', { uav: cfg.uavId }, c, 'completion'),
        ownPos,
        memberPos: (id) => memberPos(this.fleet, id),
        onOpenChange: (open) => {
          this.state.openTasks = open;
          this.saver.soon();
        },
      },
      { uavId: cfg.uavId, channel: cfg.channel, txPowerW: cfg.txPowerW, kappa: cfg.kappa },
    );
    this.video = new VideoRunner({
      clock: d.clock, executor: d.executor, uavId: cfg.uavId, ownPos,
      complete: (c) => d.uplink.send('uavCompletion', { uav: cfg.uavId }, c, 'completion'),
    });
    this.shares = new ShareRunner({
      clock: d.clock, executor: d.executor, ownPos, complete: (c) => d.uplink.send('uavCompletion', { uav: cfg.uavId }, c, 'completion'),
      onReported: (planSeq, taskId) => {
        if (planSeq !== this.plan?.plan_seq) return;
        if (this.state.shares?.planSeq !== planSeq) this.state.shares = { planSeq, reported: [] };
        this.state.shares.reported.push(taskId);
        this.saver.soon();
      },
    }, { uavId: cfg.uavId, kappa: cfg.kappa });
    this.schedule = createScheduleDriver({
      clock: d.clock, executor: d.executor, uavId: cfg.uavId, kappa: cfg.kappa, link: cfg.link, ownPos, fleet: () => this.fleet,
      complete: (c) => d.uplink.send('uavCompletion', { uav: cfg.uavId }, c, 'completion'),
      onProgress: (planSeq, done) => {
        this.state.schedule = { planSeq, done: [...done] };
        this.saver.soon();
      },
    });
  }

  get uavId(): number {
    return this.cfg.uavId;
  }

  get lastSeq(): number {
    return this.state.lastSeq;
  }

  /** Restores the persisted state (plan, seq, model, lost tasks) before `start`. */
  async restore(s: AgentState): Promise<void> {
    this.state = { ...s, openTasks: [] };
    if (s.openTasks.length) this.tasks.abandon(s.openTasks, 'agent restarted: computation lost');
    if (s.modelSha256 && this.d.policy) {
      const r = await this.d.policy.select(s.modelSha256);
      if (!r.ok) this.event(Severity.SEVERITY_WARNING, 'policy.restore.failed', r.detail ?? r.reason);
    }
    if (s.planB64) {
      const p = decodeRaw('Plan', Buffer.from(s.planB64, 'base64'));
      if (p.ok) this.plan = p.value;
    }
    // Subtasks finished before the restart are not redone; the one running then is started again.
    if (this.plan && s.schedule?.planSeq === this.plan.plan_seq) this.schedule.load(this.plan, new Map(s.schedule.done));
    // S0 shares never reported run again (or are reported failed if the plan has expired).
    if (this.plan?.shares.length) {
      const p = this.plan;
      const taken = this.shares.resume(p.plan_seq, p.shares, s.shares?.planSeq === p.plan_seq ? s.shares.reported : [], p.valid_from_t_us, p.expires_t_us);
      if (taken) this.event(Severity.SEVERITY_WARNING, 'shares.resumed', `${taken} coalition share(s) of plan ${p.plan_seq} were not reported before the restart: running them again`);
    }
    this.adoptFlight();
    this.event(Severity.SEVERITY_INFO, 'agent.resumed', `resumed at plan ${s.lastSeq}${this.stats.resumed ? ', in the air' : ''}`);
    this.saver.soon();
  }

  /**
   * Rejoins a vehicle that is already flying (agent restarted, with or without persisted state):
   * adopts the autopilot's mode and position instead of launching. In RTL or LAND the autopilot
   * keeps flying its own return or landing; otherwise the agent takes over where the dead agent left
   * off — in the restored plan if it is still valid, else holding where the vehicle is until the
   * next plan — and re-enters the setpoint mode the autopilot's failsafe may have left.
   * Returns whether the vehicle was flying.
   */
  adoptFlight(): boolean {
    const v = this.d.vehicle.state();
    if (!v.connected || !v.armed || (v.landed !== 'in_air' && v.landed !== 'takeoff' && v.landed !== 'landing')) return false;
    this.stats.resumed = true;
    const nowUs = this.d.clock.nowUs();
    if (v.mode === 'rtl' || v.mode === 'land' || v.landed === 'landing') {
      this.phase = v.mode === 'rtl' ? 'rtl' : 'landing';
      this.event(Severity.SEVERITY_WARNING, 'agent.adopted', `joined a flying vehicle in ${v.modeRaw || v.mode}: the autopilot keeps flying its ${this.phase === 'rtl' ? 'return' : 'landing'}`);
      return true;
    }
    this.phase = 'flying';
    if (this.plan && this.plan.expires_t_us > nowUs) this.failsafe.handle({ kind: 'plan', tUs: nowUs, validUntilUs: this.plan.expires_t_us });
    const p = this.positionNed(v);
    const at = p ? ` at (${p.y.toFixed(1)} E, ${p.x.toFixed(1)} N, ${(-p.z).toFixed(1)} up) m` : '';
    this.event(Severity.SEVERITY_WARNING, 'agent.adopted', `joined a flying vehicle in ${v.modeRaw || v.mode}${at}: ${this.plan && this.plan.expires_t_us > nowUs ? `resuming plan ${this.plan.plan_seq}` : 'holding there until the next plan'}, no takeoff`);
    void this.reenterGuided();
    return true;
  }

  async start(): Promise<void> {
    const { bus, vehicle, uplink, clock } = this.d;
    const me = { uav: this.cfg.uavId };
    this.intake = new PlanIntake(this.cfg.uavId, this.d.planVerifyKey, this.state.lastSeq);
    if (!this.intake.authenticated) this.d.log.warn({ uav: this.cfg.uavId }, 'plans are NOT authenticated: no pinned controller key (--plan-pubkey); anyone who can publish on this UAV\'s plan topic can fly it');
    await bus.subscribe('plan', me, (p) => {
      this.planChain = this.planChain.then(() => this.onPlan(p)).catch((e: unknown) => this.d.log.error({ err: e }, 'plan handling failed'));
      // Lockstep: the plan's handling (a model to load, an ack to send) holds the clock until done.
      void clock.activity?.during(this.planChain, `agent-plan:${this.cfg.uavId}`);
    }, (reason, detail, payload) => this.onBadPlan(reason, detail, payload));
    await bus.subscribe('fleet', {}, (f) => {
      this.fleet = f;
      this.schedule.poke();
      this.onDecision(this.failsafe.handle({ kind: 'controller_heard', tUs: clock.nowUs() }));
    });
    bus.onConnectionChange((up) => {
      this.onDecision(this.failsafe.handle({ kind: up ? 'broker_up' : 'broker_down', tUs: clock.nowUs() }));
      if (up) uplink.onConnected();
      else uplink.onDisconnected();
    });
    uplink.onConnected();
    this.provisioned = this.watchReturnAltitude();
    vehicle.on('linkLost', () => this.onDecision(this.failsafe.handle({ kind: 'autopilot_link_lost', tUs: clock.nowUs() })));
    vehicle.on('linkRegained', () => this.onDecision(this.failsafe.handle({ kind: 'autopilot_link_regained', tUs: clock.nowUs() })));
    this.every(1000 / this.cfg.telemetryRateHz, () => this.publishTwin());
    this.every(1000 / (this.cfg.healthRateHz ?? 1), () => this.publishHealth());
    this.every(1000 / this.cfg.controlRateHz, () => this.tick());
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) t.cancel();
    this.timers.clear();
    this.tasks.stop();
    this.video.stop();
    this.shares.stop();
    this.schedule.stop();
    this.d.vehicle.stopSetpoints();
    if (this.saver.pending) this.saver.now();
  }

  /** Current mission-frame NED position (north, east, down), from the autopilot's global position. */
  positionNed(s: VehicleState = this.d.vehicle.state()): Vec3 | undefined {
    return positionNed(this.cfg.origin, s);
  }

  private every(ms: number, fn: () => void): void {
    this.timers.add(this.d.clock.setInterval(fn, ms));
  }

  private inAir(): boolean {
    return this.phase === 'flying' || this.phase === 'takeoff';
  }

  /** Reports every failsafe transition and carries out what the new mode needs once. */
  private onDecision(dec: Decision): void {
    this.decision = dec;
    for (const t of dec.transitions) {
      const sev = t.to === 'nominal' ? Severity.SEVERITY_INFO : t.to === 'broker_down' ? Severity.SEVERITY_WARNING : Severity.SEVERITY_ERROR;
      this.event(sev, `failsafe.${t.to}`, `${t.from} → ${t.to}: ${t.reason}`);
      if (t.to === 'autopilot_lost') this.d.vehicle.stopSetpoints();
    }
    if (dec.mode === 'rtl' && this.inAir()) this.enterRtl(`failsafe: ${this.failsafe.state().rtlLatch ?? 'rtl'}`);
  }

  private tick(): void {
    if (this.stopped) return;
    const { vehicle, clock, envelope } = this.d;
    const s = vehicle.state();
    const nowUs = clock.nowUs();
    const dtS = this.lastTickUs === undefined ? 1 / this.cfg.controlRateHz : (nowUs - this.lastTickUs) / 1e6;
    this.lastTickUs = nowUs;
    this.stats.ticks++;
    this.shares.poke();
    // Silence is measured from takeoff on: on the ground nothing flies, and during the takeoff the
    // controller is waiting for the fleet to be airborne (it sends no slot clock yet).
    const grounded = this.phase === 'ground' || this.phase === 'takeoff';
    // Returning (RTL or LAND, the mission-end RTL among them): the controller's silence is not judged.
    this.onDecision(this.failsafe.handle(grounded ? { kind: 'resume', tUs: nowUs } : { kind: 'tick', tUs: nowUs, returning: this.phase === 'rtl' || this.phase === 'landing' }));
    if (!s.connected) return;
    this.odometry(s);
    if ((this.phase === 'rtl' || this.phase === 'landing') && !s.armed && s.landed !== 'in_air') this.setPhase('ground');
    if (this.phase === 'takeoff' && s.flavour === 'ardupilot' && !this.reachedTakeoffAlt(s)) return;
    if (this.phase === 'takeoff' && this.reachedTakeoffAlt(s)) this.setPhase('flying');
    if (!this.inAir()) return;
    const dec = this.decision!;
    if (!dec.streamSetpoints) return;
    const pos = this.positionNed(s);
    if (!pos) return;
    const desired: Setpoint = dec.fly === 'plan' || this.phase === 'takeoff' ? this.desired(pos, nowUs) : { kind: 'velocity_ned', velocityMS: { x: 0, y: 0, z: 0 } };
    const battery = this.batteryJ(s);
    const out = envelope.constrain({
      desired,
      own: { posNedM: pos, ...(s.velocityNedMS ? { velNedMS: s.velocityNedMS } : {}), ...(battery !== undefined ? { batteryJ: battery } : {}), homeNedM: homeNed(this.cfg.origin, s) ?? pos },
      fleet: fleetEntries(this.fleet, this.cfg.uavId),
      nowUs,
      dtS,
    });
    this.lastEnvelope = { action: out.action, reasons: out.reasons };
    for (const e of this.interventions.update(out.action, out.reasons)) this.event(Severity.SEVERITY_WARNING, e.code, e.text);
    for (const r of out.reasons) {
      const k = r.replace(/:.*/, '');
      this.envelopeReasons[k] = (this.envelopeReasons[k] ?? 0) + 1;
    }
    if (out.action === 'rtl') {
      this.onDecision(this.failsafe.handle({ kind: 'battery_reserve', tUs: nowUs }));
      if (!this.inAir()) return;
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

  private desired(pos: Vec3, nowUs: number): Setpoint {
    const f = this.plan?.flight;
    const g = guidanceProfile(this.cfg.guidance ?? DEFAULT_GUIDANCE, this.d.envelope.config, this.cfg.controlRateHz, f?.speed_m_s);
    if (this.phase === 'takeoff') return { kind: 'velocity_ned', velocityMS: velocityTowards(pos, { x: pos.x, y: pos.y, z: -this.cfg.takeoffAltM }, g) };
    if (f?.mode === FlightMode.FLIGHT_MODE_POLICY && this.d.policy) {
      const r = this.d.policy.tick({ eastM: pos.y, northM: pos.x, altM: -pos.z }, nowUs, (us) => this.health.recordInferenceUs(us));
      for (const e of this.d.policy.drainEvents()) this.event(e.severity, e.code, e.text);
      return r;
    }
    if (f?.mode === FlightMode.FLIGHT_MODE_GOTO && f.target) return { kind: 'velocity_ned', velocityMS: velocityTowards(pos, missionToNed(f.target), g) };
    if (f?.mode === FlightMode.FLIGHT_MODE_WAYPOINTS && f.waypoints.length) {
      const wps = f.waypoints.map(missionToNed);
      this.waypoint = nextWaypoint(pos, wps, this.waypoint, g.reachedM);
      return { kind: 'velocity_ned', velocityMS: tourVelocity(pos, wps, this.waypoint, g) };
    }
    return { kind: 'velocity_ned', velocityMS: { x: 0, y: 0, z: 0 } };
  }

  private reachedTakeoffAlt(s: VehicleState): boolean {
    return (s.global?.relAltM ?? 0) >= 0.9 * this.cfg.takeoffAltM;
  }

  private batteryJ(s: VehicleState): number | undefined {
    return s.batteryRemainingPct === undefined ? undefined : (s.batteryRemainingPct / 100) * this.cfg.batteryCapacityJ;
  }

  private onBadPlan(reason: string, detail: string | undefined, payload: Uint8Array): void {
    const raw = decodeRaw('Plan', payload);
    if (!raw.ok || raw.value.uav_id !== this.cfg.uavId || !(raw.value.plan_seq > 0)) return;
    this.ack(raw.value.plan_seq, false, NackReason.NACK_REASON_MALFORMED, `${reason}: ${detail ?? ''}`);
  }

  /** Plan-signature counters (undefined without a pinned key); refusals also count as dropped in health. */
  get planAuth(): PlanAuthSummary | undefined {
    return this.intake?.summary();
  }

  private refuse(p: Plan, reason: NackReason, detail: string, event = 'plan.nack'): void {
    this.stats.plansRefused++;
    this.ack(p.plan_seq, false, reason, detail, event);
  }

  private async onPlan(p: Plan): Promise<void> {
    if (this.stopped) return;
    const nowUs = this.d.clock.nowUs();
    this.onDecision(this.failsafe.handle({ kind: 'controller_heard', tUs: nowUs }));
    const verdict = this.intake!.check(p, { lastSeq: this.state.lastSeq, nowUs, envelope: this.d.envelope });
    if (!verdict.accepted) return this.refuse(p, verdict.reason, verdict.detail, 'auth' in verdict ? `plan.rejected.${verdict.auth}` : undefined);
    if (p.flight?.mode === FlightMode.FLIGHT_MODE_POLICY) {
      if (!this.d.policy) return this.refuse(p, NackReason.NACK_REASON_MODEL_UNAVAILABLE, 'this agent has no model directory (--models)');
      const r = await this.d.policy.select(p.flight.model_sha256);
      for (const e of this.d.policy.drainEvents()) this.event(e.severity, e.code, e.text);
      if (!r.ok) return this.refuse(p, NackReason.NACK_REASON_MODEL_UNAVAILABLE, r.detail ?? r.reason);
      this.state.modelSha256 = r.value;
      // A newer plan may have been accepted while the model loaded (plans are handled in order,
      // so only a restart race could do this; the seq check keeps it monotonic regardless).
      if (p.plan_seq <= this.state.lastSeq) return this.refuse(p, NackReason.NACK_REASON_STALE_SEQ, `plan_seq ${p.plan_seq} not newer than ${this.state.lastSeq}`);
    }
    this.stats.plansAccepted++;
    const fs = this.failsafe.state();
    if (this.phase === 'ground' || (fs.regainHold && !fs.rtlLatch)) this.onDecision(this.failsafe.handle({ kind: 'resume', tUs: nowUs }));
    this.onDecision(this.failsafe.handle({ kind: 'plan', tUs: nowUs, validUntilUs: p.expires_t_us }));
    const newFlight = this.plan?.flight?.mode !== p.flight?.mode || p.flight?.mode === FlightMode.FLIGHT_MODE_WAYPOINTS;
    this.plan = p;
    this.state.lastSeq = p.plan_seq;
    this.state.planB64 = Buffer.from(encode('Plan', p)).toString('base64');
    delete this.state.schedule;
    delete this.state.shares;
    this.saver.now();
    if (newFlight) this.waypoint = 0;
    this.ack(p.plan_seq, true, NackReason.NACK_REASON_UNSPECIFIED, '');
    this.applyFlight(p);
    for (const a of p.assignments) if (a.exec_uav_id === this.cfg.uavId) this.tasks.execute(a, Math.max(a.release_t_us, p.valid_from_t_us));
    if (p.video) this.video.run(p.video, p.valid_from_t_us);
    this.shares.executeAll(p.plan_seq, p.shares, p.valid_from_t_us);
    this.schedule.load(p);
  }

  private applyFlight(p: Plan): void {
    const mode = p.flight?.mode;
    if (this.failsafe.state().rtlLatch && this.phase !== 'ground') return;
    if (mode === FlightMode.FLIGHT_MODE_RTL) this.enterRtl('plan');
    else if (mode === FlightMode.FLIGHT_MODE_LAND && this.phase !== 'landing') {
      this.setPhase('landing');
      this.d.vehicle.stopSetpoints();
      void this.d.vehicle.land().then((r) => !r.ok && this.event(Severity.SEVERITY_ERROR, 'command.land.failed', r.reason));
    } else if (mode !== FlightMode.FLIGHT_MODE_LAND && this.phase === 'ground') {
      void this.launch();
    }
  }

  private enterRtl(why: string): void {
    if (this.phase === 'rtl') return;
    this.setPhase('rtl');
    this.d.vehicle.stopSetpoints();
    this.event(Severity.SEVERITY_WARNING, 'flight.rtl', `returning to launch (${why})`);
    void this.d.vehicle.returnToLaunch().then((r) => !r.ok && this.event(Severity.SEVERITY_ERROR, 'command.rtl.failed', r.reason));
  }

  /** The autopilot's RTL return altitude, set on every (re)connection (flight/return-alt.ts). */
  private watchReturnAltitude(): { ready(): Promise<void> } {
    const env = this.d.envelope.config;
    const alt = this.cfg.returnAltM ?? returnAltitudeM(this.cfg.takeoffAltM, env.altitude, env.altMarginM);
    return watchReturnAltitude(this.d.vehicle, alt, (r) => {
      if (this.stopped) return;
      if (r.ok) this.event(Severity.SEVERITY_INFO, 'autopilot.return_alt', `autopilot RTL return altitude ${alt.toFixed(1)} m (${r.value.id})`);
      else this.event(Severity.SEVERITY_ERROR, 'autopilot.return_alt.failed', `could not set the autopilot's RTL return altitude to ${alt.toFixed(1)} m (${r.reason}${r.detail ? `: ${r.detail}` : ''}): its RTL may leave the altitude band`);
    });
  }

  private async launch(): Promise<void> {
    this.setPhase('takeoff');
    await this.provisioned?.ready();
    const r = await launchVehicle(this.d.vehicle, this.d.clock, this.cfg.takeoffAltM);
    if (r.ok) return;
    this.event(Severity.SEVERITY_ERROR, `launch.${r.step}`, r.reason);
    this.setPhase('ground');
  }

  /**
   * After a restart in the air: setpoints stream again (tick), then back into GUIDED/OFFBOARD —
   * retried for 5 s while PX4 refuses OFFBOARD for want of > 1 s of uninterrupted setpoints (as the
   * launch does: a stalled tick on a busy machine must not leave the vehicle in its failsafe hold).
   */
  private async reenterGuided(): Promise<void> {
    if (this.d.vehicle.state().mode === 'offboard') return;
    await this.d.clock.sleep(1500);
    const until = this.d.clock.nowUs() + 5e6;
    for (;;) {
      if (this.stopped || this.phase !== 'flying') return;
      const r = await this.d.vehicle.setGuided();
      if (r.ok) return;
      if (r.reason !== 'precondition' || this.d.clock.nowUs() >= until) {
        this.event(Severity.SEVERITY_ERROR, 'resume.guided.failed', r.reason);
        return;
      }
      await this.d.clock.sleep(250);
    }
  }

  private setPhase(p: Phase): void {
    if (this.phase === p) return;
    this.phase = p;
    this.publishTwin();
  }

  publishTwin(): void {
    if (this.stopped) return;
    const s = this.d.vehicle.state();
    const p = this.positionNed(s);
    const batteryJ = this.batteryJ(s);
    const measured = this.tasks.measuredCpuHz;
    // A failsafe hold is reported by events, not as HOLDING: the controller reads FLYING as airborne.
    const holding = this.plan?.flight?.mode === FlightMode.FLIGHT_MODE_HOLD;
    this.d.uplink.send('twin', { uav: this.cfg.uavId }, twinMessage({
      uavId: this.cfg.uavId, s, ...(p ? { posNed: p } : {}), ...(batteryJ !== undefined ? { batteryJ } : {}),
      computeEnergyJ: this.tasks.computeEnergyJ + this.schedule.computeEnergyJ + this.shares.computeEnergyJ, cpuHz: this.cfg.cpuHz, ...(measured !== undefined ? { measuredCpuHz: measured } : {}),
      bandwidthHz: this.cfg.bandwidthHz, cacheBits: this.cfg.cacheBits, flightState: flightState(this.phase, holding, s),
      planSeq: this.state.lastSeq, tasksInProgress: this.tasks.inProgress + this.schedule.inProgress + this.shares.inProgress,
    }));
    this.stats.tasksDone = this.tasks.done + this.schedule.done + this.shares.done;
  }

  publishHealth(): void {
    const { uplink, bus, vehicle } = this.d;
    const dropped = Object.values(bus.stats.dropped).reduce((a, b) => a + b, 0) + uplink.dropped() + (this.intake?.authRefusals ?? 0);
    const links = { autopilot: vehicle.state().connected, broker: bus.connected };
    uplink.send('health', { uav: this.cfg.uavId }, healthMessage(this.cfg.uavId, this.health.sample(), links, uplink.depth(), dropped));
  }

  private ack(seq: number, accepted: boolean, reason: NackReason, detail: string, event = 'plan.nack'): void {
    this.d.uplink.send('ack', { uav: this.cfg.uavId }, { uav_id: this.cfg.uavId, plan_seq: seq, accepted, reason, detail }, 'completion');
    if (!accepted) this.event(Severity.SEVERITY_WARNING, event, detail);
  }

  private event(severity: Severity, code: string, text: string): void {
    this.d.log[severity >= Severity.SEVERITY_ERROR ? 'error' : 'info']({ code, uav: this.cfg.uavId }, text);
    this.d.uplink.send('uavEvent', { uav: this.cfg.uavId }, { severity, code, text, uav_id: this.cfg.uavId }, 'completion');
  }
}
