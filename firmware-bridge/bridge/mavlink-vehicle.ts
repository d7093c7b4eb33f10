/**
 * `MavlinkVehicle`: the `Vehicle` interface over a MAVLink 2 link to PX4 or ArduCopter.
 * All timing uses the injected `Clock` (missions run on an accelerated clock).
 *
 * On the wire (MAVLINK.md §1–4): our 1 Hz HEARTBEAT (ONBOARD_CONTROLLER 18, autopilot INVALID 8);
 * the autopilot is the first compid-1 heartbeat with a real autopilot type (or `targetSysid`);
 * link lost after `linkLossMs` without its heartbeat; on (re)discovery we request streams
 * (PX4: SET_MESSAGE_INTERVAL; ArduPilot: REQUEST_DATA_STREAM) and HOME_POSITION.
 */
import { minimal } from 'node-mavlink';
import type { common, MavLinkData } from 'node-mavlink';
import type { Clock, Timer } from '../../core/clock.ts';
import type { Result } from '../../core/result.ts';
import { ok, fail } from '../../core/result.ts';
import { MavlinkLink } from '../link/link.ts';
import type { DecodedPacket, UnsignedPolicy } from '../mavlink/decoder.ts';
import type { Transport } from '../transport/types.ts';
import type { TlogSink } from '../tlog/writer.ts';
import { Listeners } from '../transport/listeners.ts';
import type { CommandResult, GlobalPosition, ParamResult, ParamType, Setpoint, Vehicle, VehicleEvents, VehicleState } from '../vehicle.ts';
import { CommandEngine } from './commands.ts';
import { ParamSetter } from './params.ts';
import type { CommandSpec } from './commands.ts';
import { modeCommandParams } from './modes.ts';
import { SetpointStream, setpointMessage } from './setpoints.ts';
import { applyTelemetry, initialState } from './telemetry.ts';
import { streamRequests } from './streams.ts';

export interface MavlinkVehicleOptions {
  /** Our system id; default 1 (the companion shares the vehicle's system). */
  sysid?: number;
  /** Our component id; default 191 (MAV_COMP_ID_ONBOARD_COMPUTER). */
  compid?: number;
  /** Bind only to this autopilot system id; default the first autopilot heard. */
  targetSysid?: number;
  /** Setpoint stream rate, Hz (clock time). Default 10. */
  setpointRateHz?: number;
  /** A setpoint goes stale after this many stream periods without `offerSetpoint`. Default 3. */
  staleAfterPeriods?: number;
  /** Link lost after this long without an autopilot heartbeat, ms. Default 3000. */
  linkLossMs?: number;
  /** Per-attempt ACK timeout, attempts, and IN_PROGRESS timeout (ms). Defaults 1000, 4, 10000. */
  commandTimeoutMs?: number;
  commandAttempts?: number;
  inProgressTimeoutMs?: number;
  /** Telemetry rates requested on discovery, Hz. Default 10 (position/attitude), 2 (status). */
  telemetryRateHz?: number;
  /** MAVLink 2 signing: key, our link id, and what unsigned packets to accept (default RADIO_STATUS only). */
  signing?: { key: Buffer; linkId?: number; unsigned?: UnsignedPolicy };
  /** Records every frame in and out. */
  tlog?: TlogSink;
}

const AUTOPILOT_COMPID = 1;
const MAV_AUTOPILOT_INVALID = 8;

export class MavlinkVehicle implements Vehicle {
  readonly link: MavlinkLink;
  private st: VehicleState;
  private target: { sysid: number; compid: number } | undefined;
  private lastHbUs = -Infinity;
  private readonly events = {
    state: new Listeners<Parameters<VehicleEvents['state']>>(),
    linkLost: new Listeners<Parameters<VehicleEvents['linkLost']>>(),
    linkRegained: new Listeners<Parameters<VehicleEvents['linkRegained']>>(),
    statustext: new Listeners<Parameters<VehicleEvents['statustext']>>(),
  };
  private readonly commands: CommandEngine;
  private readonly params: ParamSetter;
  private readonly stream: SetpointStream;
  private readonly timers: Timer[] = [];
  private readonly bootUs: number;
  private readonly linkLossMs: number;
  private readonly ownSysid: number;
  private readonly ownCompid: number;
  private closed = false;
  private everConnected = false;

  constructor(
    transport: Transport,
    private readonly clock: Clock,
    private readonly opts: MavlinkVehicleOptions = {},
  ) {
    this.ownSysid = opts.sysid ?? 1;
    this.ownCompid = opts.compid ?? 191;
    this.bootUs = clock.nowUs();
    this.st = initialState(this.bootUs);
    this.linkLossMs = opts.linkLossMs ?? 3000;
    const signing = opts.signing;
    this.link = new MavlinkLink(transport, {
      encoder: {
        sysid: this.ownSysid,
        compid: this.ownCompid,
        ...(signing ? { signing: { key: signing.key, linkId: signing.linkId ?? 0, clock } } : {}),
      },
      ...(signing ? { decoder: { signing: { key: signing.key, unsigned: signing.unsigned ?? { acceptMsgids: [109] } } } } : {}),
      ...(opts.tlog ? { tlog: opts.tlog } : {}),
      clock,
    });
    this.commands = new CommandEngine(clock, (m) => this.send(m), () => (this.st.connected ? this.target : undefined), {
      ownSysid: this.ownSysid,
      ownCompid: this.ownCompid,
      ...(opts.commandTimeoutMs !== undefined ? { attemptTimeoutMs: opts.commandTimeoutMs } : {}),
      ...(opts.commandAttempts !== undefined ? { attempts: opts.commandAttempts } : {}),
      ...(opts.inProgressTimeoutMs !== undefined ? { inProgressTimeoutMs: opts.inProgressTimeoutMs } : {}),
    });
    this.params = new ParamSetter(clock, (m) => this.send(m), () => (this.st.connected && this.target ? { ...this.target, flavour: this.st.flavour } : undefined), {
      ...(opts.commandTimeoutMs !== undefined ? { attemptTimeoutMs: opts.commandTimeoutMs } : {}),
      ...(opts.commandAttempts !== undefined ? { attempts: opts.commandAttempts } : {}),
    });
    const rate = opts.setpointRateHz ?? 10;
    if (!(rate > 0)) throw new RangeError(`setpointRateHz must be > 0, got ${rate}`);
    this.stream = new SetpointStream(1000 / rate, opts.staleAfterPeriods ?? 3);
    this.link.onPacket((p) => this.onPacket(p));
    this.sendHeartbeat();
    this.timers.push(
      clock.setInterval(() => this.sendHeartbeat(), 1000),
      clock.setInterval(() => this.checkLink(), Math.min(250, this.linkLossMs / 4)),
      clock.setInterval(() => this.streamTick(), 1000 / rate),
    );
  }

  private send(m: MavLinkData): boolean {
    if (this.closed) return false;
    return this.link.send(m).ok;
  }

  private sendHeartbeat(): void {
    const hb = new minimal.Heartbeat();
    hb.type = 18 as minimal.MavType; // ONBOARD_CONTROLLER
    hb.autopilot = MAV_AUTOPILOT_INVALID as minimal.MavAutopilot;
    hb.baseMode = 0 as minimal.MavModeFlag;
    hb.customMode = 0;
    hb.systemStatus = minimal.MavState.ACTIVE;
    this.send(hb);
  }

  private setState(s: VehicleState): void {
    this.st = s;
    this.events.state.emit({ ...s });
  }

  private onPacket(p: DecodedPacket): void {
    if (!p.message || !p.name) return;
    const now = this.clock.nowUs();
    if (p.name === 'HEARTBEAT') {
      const hb = p.message as minimal.Heartbeat;
      const isAutopilot = p.compid === AUTOPILOT_COMPID && Number(hb.autopilot) !== MAV_AUTOPILOT_INVALID;
      if (!isAutopilot) return;
      if (!this.target) {
        if (this.opts.targetSysid !== undefined && p.sysid !== this.opts.targetSysid) return;
        this.target = { sysid: p.sysid, compid: p.compid };
      }
      if (p.sysid !== this.target.sysid) return;
      this.lastHbUs = now;
      const wasConnected = this.st.connected;
      const next = applyTelemetry(this.st, p.name, p.message, now)!;
      this.setState({ ...next, connected: true, sysid: p.sysid, compid: p.compid });
      if (!wasConnected) {
        this.requestStreams();
        if (this.everConnected) this.events.linkRegained.emit(now);
        this.everConnected = true;
      }
      return;
    }
    if (!this.target || p.sysid !== this.target.sysid || p.compid !== this.target.compid) return;
    if (p.name === 'COMMAND_ACK') return this.commands.handleAck(p.message, p.sysid, p.compid);
    if (p.name === 'PARAM_VALUE') return this.params.handleValue(p.message as common.ParamValue);
    if (p.name === 'STATUSTEXT') {
      const t = p.message as common.StatusText;
      this.events.statustext.emit(Number(t.severity), t.text);
      return;
    }
    const next = applyTelemetry(this.st, p.name, p.message, now);
    if (next) this.setState(next);
  }

  private checkLink(): void {
    const now = this.clock.nowUs();
    if (this.st.connected && now - this.lastHbUs > this.linkLossMs * 1000) {
      this.setState({ ...this.st, tUs: now, connected: false });
      this.events.linkLost.emit(now);
      this.commands.cancelAll('no_link', 'autopilot heartbeat lost');
      this.params.cancelAll('no_link', 'autopilot heartbeat lost');
    }
  }

  private requestStreams(): void {
    const t = this.target;
    if (!t) return;
    const plan = streamRequests(this.st.flavour, t, this.opts.telemetryRateHz ?? 10);
    for (const m of plan.messages) this.send(m);
    // Commands go one at a time (one COMMAND id in flight); failures only cost telemetry rate.
    void (async () => {
      for (const c of plan.commands) {
        if (this.closed || !this.st.connected) return;
        await this.commands.run(c);
      }
    })();
  }

  private streamTick(): void {
    const now = this.clock.nowUs();
    const sp = this.stream.tick(now);
    if (!sp || !this.target || !this.st.connected) return;
    this.send(setpointMessage(sp, { ...this.target, timeBootMs: Math.floor((now - this.bootUs) / 1000) }));
  }

  // ---- Vehicle ----

  state(): VehicleState {
    return { ...this.st };
  }

  on<E extends keyof VehicleEvents>(event: E, fn: VehicleEvents[E]): () => void {
    return (this.events[event] as unknown as Listeners<unknown[]>).add(fn as (...a: unknown[]) => void);
  }

  waitConnected(timeoutMs: number): Promise<Result<VehicleState, 'timeout'>> {
    if (this.st.connected) return Promise.resolve(ok(this.state()));
    return new Promise((resolve) => {
      const timer = this.clock.setTimeout(() => {
        off();
        resolve(fail('timeout', `no autopilot heartbeat within ${timeoutMs} ms`));
      }, timeoutMs);
      const off = this.events.state.add((s) => {
        if (!s.connected) return;
        timer.cancel();
        off();
        resolve(ok(s));
      });
    });
  }

  private command(spec: CommandSpec): Promise<CommandResult> {
    if (this.closed) return Promise.resolve(fail('no_link', 'vehicle closed'));
    return this.commands.run(spec);
  }

  arm(force = false): Promise<CommandResult> {
    return this.command({ command: 400, params: [1, force ? 21196 : 0] });
  }

  disarm(force = false): Promise<CommandResult> {
    return this.command({ command: 400, params: [0, force ? 21196 : 0] });
  }

  /**
   * NAV_TAKEOFF (22). p7 is the takeoff altitude: ArduCopter reads it relative to home; PX4 reads
   * it as AMSL, so for PX4 we send home AMSL + `relAltM` (NaN, i.e. PX4's MIS_TAKEOFF_ALT, while
   * home is unknown).
   */
  takeoff(relAltM: number): Promise<CommandResult> {
    let p7 = relAltM;
    if (this.st.flavour === 'px4') p7 = this.st.home ? this.st.home.altAmslM + relAltM : NaN;
    return this.command({ command: 22, params: [0, 0, 0, NaN, NaN, NaN, p7] });
  }

  land(): Promise<CommandResult> {
    return this.command({ command: 21, params: [0, 0, 0, NaN, NaN, NaN, NaN] });
  }

  returnToLaunch(): Promise<CommandResult> {
    return this.command({ command: 20, params: [] });
  }

  hold(): Promise<CommandResult> {
    const p = modeCommandParams(this.st.flavour, 'hold');
    if (!p) return Promise.resolve(fail(this.st.connected ? 'unsupported' : 'no_link', 'unknown autopilot flavour'));
    return this.command({ command: 176, params: p });
  }

  setGuided(): Promise<CommandResult> {
    const p = modeCommandParams(this.st.flavour, 'guided');
    if (!p) return Promise.resolve(fail(this.st.connected ? 'unsupported' : 'no_link', 'unknown autopilot flavour'));
    if (this.st.flavour === 'px4') {
      const ms = this.stream.streamingForMs(this.clock.nowUs());
      if (ms <= 1000) return Promise.resolve(fail('precondition', `PX4 OFFBOARD needs setpoints streaming > 1 s (have ${ms.toFixed(0)} ms)`));
    }
    return this.command({ command: 176, params: p });
  }

  /** DO_REPOSITION (192) as COMMAND_INT, frame GLOBAL_RELATIVE_ALT_INT (6), flag CHANGE_MODE. */
  reposition(target: GlobalPosition, speedMS?: number): Promise<CommandResult> {
    return this.command({
      command: 192,
      intFrame: 6,
      params: [speedMS ?? -1, 1, 0, NaN, Math.round(target.latDeg * 1e7), Math.round(target.lonDeg * 1e7), target.relAltM],
    });
  }

  setParam(id: string, value: number, type: ParamType = 'REAL32'): Promise<ParamResult> {
    if (this.closed) return Promise.resolve(fail('no_link', 'vehicle closed'));
    return this.params.set(id, value, type);
  }

  offerSetpoint(sp: Setpoint): void {
    this.stream.offer(sp, this.clock.nowUs());
  }

  stopSetpoints(): void {
    this.stream.stop();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) t.cancel();
    this.commands.cancelAll('no_link', 'vehicle closed');
    this.params.cancelAll('no_link', 'vehicle closed');
    await this.link.close();
  }
}
