/**
 * One simulated autopilot behind one MAVLink 2 UDP endpoint (MAVLINK.md). Binds
 * `udpserver://host:port` and answers every peer it hears (an agent connecting with
 * `udpout://host:port`, MAVProxy, QGC…) and any fixed GCS peers (e.g. 127.0.0.1:14550) it pushes
 * to. Sends HEARTBEAT at 1 Hz and the default streams (DEFAULT_RATES_HZ), serves parameters,
 * missions, commands and setpoints, and steps the pure vehicle core.
 *
 * Timing: everything follows the injected `Clock`. One clock timer ticks at `physicsHz`
 * (default 50 Hz); each tick integrates the core up to `clock.nowUs()` in ≤ 20 ms sub-steps and
 * sends whatever streams are due, so rates are in clock time on a ScaledClock too (a stream faster
 * than the tick rate is sent at most once per tick).
 */
import type { MavLinkData } from 'node-mavlink';
import { SitlSigning, type SitlSigningOptions } from './signing.ts';
import type { Clock, Timer } from '../../../core/clock.ts';
import { fail, ok, type Result } from '../../../core/result.ts';
import { MavlinkEncoder, type DecodedPacket } from '../../../firmware-bridge/mavlink/index.ts';
import { common } from '../../../firmware-bridge/mavlink/messages.ts';
import { openServerTransport, type MultiPeerTransport, type Peer } from '../../../firmware-bridge/transport/index.ts';
import { TlogWriter } from '../../../firmware-bridge/tlog/index.ts';
import type { GeoPoint } from '../../../core/geo.ts';
import { modeFromCustom } from '../core/modes.ts';
import { configFromParams, defaultParams, type AutopilotFlavour, type ParamValues, type VehicleConfig } from '../core/params.ts';
import { step } from '../core/step.ts';
import type { MissionItem, SimEvent, SimState } from '../core/types.ts';
import { applySetpoint, createVehicle, gcsHeartbeat, setMission, setMode } from '../core/vehicle.ts';
import { buildTruth, type VehicleTruth } from './truth.ts';
import { CMD, MAV_RESULT, executeCommand, type CommandRequest } from './commands.ts';
import { MissionService } from './mission.ts';
import { ParamService } from './params.ts';
import { echoGlobal, echoLocal, globalSetpoint, localSetpoint, type TargetFields } from './setpoints.ts';
import { BUILDERS, DATA_STREAMS, DEFAULT_RATES_HZ, MSG, make, statusText, type TelemetryContext } from './telemetry.ts';

export interface SitlServerOptions {
  flavour: AutopilotFlavour;
  clock: Clock;
  home: GeoPoint;
  /** MAVLink system id (also written to SYSID_THISMAV / MAV_SYS_ID). */
  sysid: number;
  /** Local UDP port (0 = pick a free one). */
  port: number;
  host?: string;
  /** Parameter overrides by firmware name. */
  params?: Record<string, number>;
  /** Peers that always receive our traffic (a GCS on 14550). */
  gcsPeers?: Peer[];
  tlogPath?: string;
  /** Loop rate, Hz (default 50). */
  physicsHz?: number;
  /** false: the owner calls `tick()` (a fleet drives all its vehicles from one timer). */
  autoTick?: boolean;
  signing?: SitlSigningOptions; // MAVLink 2 signing: initial key, SETUP_SIGNING policy (signing.ts)
}

export type { VehicleTruth };

export interface ServerStats {
  ticks: number;
  steps: number;
  heartbeatsSent: number;
  packetsIn: number;
  packetsOut: number;
  startedUs: number;
  signingSetups?: number; signingRefused?: number; signingEnabled?: boolean; // SETUP_SIGNING applied/refused; signing on
}

/** The fields read from incoming messages (a union view; each handler reads its own). */
interface Incoming {
  type: number;
  targetSystem: number;
  targetComponent: number;
  command: number;
  frame: number;
  _param1: number; _param2: number; _param3: number; _param4: number; _param5: number; _param6: number; _param7: number;
  customMode: number;
  paramId: string;
  paramIndex: number;
  paramValue: number;
  count: number;
  missionType?: number;
  seq: number;
  param1: number; param2: number; param3: number; param4: number;
  x: number; y: number; z: number;
  autocontinue: number;
  reqStreamId: number;
  reqMessageRate: number;
  startStop: number;
}

const MAX_STEP_S = 0.02;
/** Largest datagram a tick's frames are packed into (below a 1 500-byte Ethernet MTU). */
const BATCH_BYTES = 1200;
const MAX_CATCHUP_US = 1_000_000;
const MAX_DEFAULT_HZ = Math.max(...Object.values(DEFAULT_RATES_HZ));

export class SitlServer {
  private state: SimState;
  private cfg: VehicleConfig;
  private paramValues: ParamValues;
  private readonly encoder: MavlinkEncoder;
  private readonly signing: SitlSigning;
  private readonly params: ParamService;
  private readonly missions: MissionService;
  private readonly streams = new Map<number, { id: number; intervalUs: number; nextUs: number }>();
  private timer: Timer | undefined;
  private computeW = 0;
  private readonly bootUs: number;
  private readonly st: ServerStats;
  private tlog: TlogWriter | undefined;
  /** Frames of the tick in progress (undefined outside `tick`: replies go out at once). */
  private batch: Buffer[] | undefined;
  private batchBytes = 0;

  private constructor(private readonly opts: SitlServerOptions, private readonly transport: MultiPeerTransport) {
    const sysParam = opts.flavour === 'px4' ? 'MAV_SYS_ID' : 'SYSID_THISMAV';
    this.paramValues = defaultParams(opts.flavour, { ...opts.params, [sysParam]: opts.sysid });
    this.cfg = configFromParams(opts.flavour, this.paramValues);
    const now = opts.clock.nowUs();
    this.bootUs = now;
    this.state = createVehicle(this.cfg, opts.home, now);
    this.encoder = new MavlinkEncoder({ sysid: opts.sysid, compid: 1 });
    this.signing = new SitlSigning(opts.sysid, this.encoder, opts.clock, opts.signing, (sev, text) => this.send(statusText(sev, text)));
    this.st = { ticks: 0, steps: 0, heartbeatsSent: 0, packetsIn: 0, packetsOut: 0, startedUs: now };
    // Stream phases are staggered per vehicle (golden-ratio offsets), so a fleet does not send
    // every stream in the same tick and overflow a shared GCS socket's buffer; within a vehicle
    // the streams share one phase, so the frames due together leave in one datagram (`queue`).
    const phase = ((opts.sysid * 0.618034) % 1) * (1e6 / MAX_DEFAULT_HZ);
    for (const [id, hz] of Object.entries(DEFAULT_RATES_HZ)) this.streams.set(Number(id), { id: Number(id), intervalUs: 1e6 / hz, nextUs: now + phase });
    this.params = new ParamService({
      flavour: opts.flavour,
      values: () => this.paramValues,
      apply: (v) => {
        this.paramValues = v;
        this.cfg = configFromParams(opts.flavour, v);
      },
      send: (m) => this.send(m),
      statustext: (sev, t) => this.send(statusText(sev, t)),
    });
    this.missions = new MissionService({
      flavour: opts.flavour,
      nowUs: () => this.opts.clock.nowUs(),
      send: (m) => this.send(m),
      missionChanged: (items) => (this.state = setMission(this.cfg, this.state, items)),
      homeItem: () => ({
        command: 16, frame: 0, param1: 0, param2: 0, param3: 0, param4: 0,
        x: Math.round(this.opts.home.latDeg * 1e7), y: Math.round(this.opts.home.lonDeg * 1e7), z: this.opts.home.altAmslM, autocontinue: 1,
      }),
    });
    for (const p of opts.gcsPeers ?? []) transport.addFixedPeer(p);
    if (opts.tlogPath) this.tlog = new TlogWriter(opts.tlogPath);
    transport.onDataFrom((buf, peer) => this.onDatagram(buf, peer));
  }

  /** Binds the endpoint and starts the clock-driven loop. */
  static async start(opts: SitlServerOptions): Promise<Result<SitlServer, 'open_failed' | 'bad_url' | 'bad_params'>> {
    const sysParam = opts.flavour === 'px4' ? 'MAV_SYS_ID' : 'SYSID_THISMAV';
    try {
      defaultParams(opts.flavour, { ...opts.params, [sysParam]: opts.sysid });
    } catch (e) {
      return fail('bad_params', (e as Error).message);
    }
    const host = opts.host ?? '127.0.0.1';
    const t = await openServerTransport(`udpserver://${host}:${opts.port}`, { clock: opts.clock, peerTimeoutMs: 10_000 });
    if (!t.ok) return fail(t.reason, t.detail);
    const s = new SitlServer(opts, t.value);
    if (opts.autoTick !== false) s.timer = opts.clock.setInterval(() => s.tick(), 1000 / (opts.physicsHz ?? 50));
    return ok(s);
  }

  get sysid(): number {
    return this.opts.sysid;
  }
  get port(): number {
    return this.transport.localPort;
  }
  /** What an agent connects to. */
  get url(): string {
    return `udpout://${this.opts.host ?? '127.0.0.1'}:${this.port}`;
  }
  get config(): VehicleConfig {
    return this.cfg;
  }
  stats(): ServerStats {
    return { ...this.st, signingSetups: this.signing.stats.setups, signingRefused: this.signing.stats.refused, signingEnabled: this.signing.enabled };
  }

  /** Power drawn by the on-board edge computer, W (drains the battery; SPEC §4). */
  setComputePowerW(w: number): void {
    this.computeW = Math.max(0, w);
  }

  truth(): VehicleTruth {
    return buildTruth(this.opts.sysid, this.opts.flavour, this.state, this.cfg, this.missions.items(0).length);
  }

  async stop(): Promise<void> {
    this.timer?.cancel();
    this.timer = undefined;
    await this.transport.close();
    await this.tlog?.close();
  }

  // ---- output ----------------------------------------------------------------------------

  private send(msg: MavLinkData): void {
    const r = this.encoder.tryEncode(msg);
    if (!r.ok) return;
    if (this.batch) this.queue(r.value);
    else this.transport.send(r.value);
    this.st.packetsOut++;
    this.tlog?.write(this.opts.clock.nowUs(), r.value);
  }

  /**
   * Frames sent during a loop tick go out together, several frames per datagram up to
   * BATCH_BYTES (as ArduPilot's UDP link does; MAVLink receivers parse every frame of a datagram):
   * a fleet of 1 000 vehicles sends 18 datagrams per vehicle and second instead of 31 (issue 20).
   */
  private queue(frame: Buffer): void {
    if (this.batchBytes + frame.length > BATCH_BYTES) this.flush();
    this.batch!.push(frame);
    this.batchBytes += frame.length;
  }

  private flush(): void {
    const b = this.batch!;
    if (b.length === 1) this.transport.send(b[0]!);
    else if (b.length > 1) this.transport.send(Buffer.concat(b, this.batchBytes));
    b.length = 0;
    this.batchBytes = 0;
  }

  private ctx(): TelemetryContext {
    return { cfg: this.cfg, bootUs: this.bootUs, missionCount: this.missions.items(0).length };
  }

  private emit(events: readonly SimEvent[]): void {
    for (const e of events) {
      if (e.kind === 'statustext') this.send(statusText(e.severity, e.text));
      else if (e.kind === 'mission_item_reached') this.send(make(common.MissionItemReached, { seq: e.seq }));
      else if (e.kind === 'mission_current') this.send(BUILDERS[MSG.MISSION_CURRENT]!(this.state, this.ctx()));
    }
  }

  // ---- loop -------------------------------------------------------------------------------

  /** One loop iteration: physics up to now, protocol timers, due streams. */
  tick(): void {
    this.batch = [];
    try {
      this.tickBatched();
    } finally {
      this.flush();
      this.batch = undefined;
    }
  }

  private tickBatched(): void {
    this.st.ticks++;
    const now = this.opts.clock.nowUs();
    // After a long stall (suspended process), skip ahead rather than replay minutes of physics.
    const maxCatchUp = Math.max(MAX_CATCHUP_US, 250_000 * this.opts.clock.scale);
    if (now - this.state.tUs > maxCatchUp) this.state = { ...this.state, tUs: now - maxCatchUp };
    while (now - this.state.tUs > 1) {
      const dt = Math.min(MAX_STEP_S, (now - this.state.tUs) / 1e6);
      const r = step(this.cfg, this.state, { computePowerW: this.computeW }, dt);
      this.state = r.state;
      this.st.steps++;
      this.emit(r.events);
    }
    this.params.tick();
    this.missions.tick();
    let ctx: TelemetryContext | undefined;
    for (const s of this.streams.values()) {
      if (s.intervalUs <= 0 || now < s.nextUs) continue;
      s.nextUs = Math.max(s.nextUs + s.intervalUs, now - s.intervalUs / 2);
      if (s.nextUs <= now) s.nextUs = now + s.intervalUs;
      this.send(BUILDERS[s.id]!(this.state, (ctx ??= this.ctx())));
      if (s.id === MSG.HEARTBEAT) this.st.heartbeatsSent++;
    }
  }

  // ---- input ------------------------------------------------------------------------------

  private onDatagram(buf: Buffer, peer: Peer): void {
    this.tlog?.write(this.opts.clock.nowUs(), buf);
    for (const p of this.signing.decoder.pushDatagram(buf)) {
      this.st.packetsIn++;
      if (p.message) this.onPacket(p, peer);
    }
  }

  private forUs(targetSystem: number, targetComponent?: number): boolean {
    return (targetSystem === 0 || targetSystem === this.opts.sysid) && (targetComponent === undefined || targetComponent === 0 || targetComponent === 1);
  }

  private onPacket(p: DecodedPacket, peer?: Peer): void {
    const m = p.message as unknown as Incoming;
    if (p.sysid === this.opts.sysid && p.compid === 1) return;
    switch (p.msgid) {
      case 0: // HEARTBEAT from a GCS (6) or companion (18) keeps the link failsafe quiet
        if (m.type === 6 || m.type === 18) this.state = gcsHeartbeat(this.state).state;
        return;
      case 76:
      case 75: {
        if (!this.forUs(m.targetSystem, m.targetComponent)) return;
        const params = [m._param1, m._param2, m._param3, m._param4, m._param5, m._param6, m._param7].map(Number);
        this.onCommand({ command: m.command, params, ...(p.msgid === 75 ? { frame: m.frame } : {}) }, p);
        return;
      }
      case 11: // SET_MODE (legacy)
        if (!this.forUs(m.targetSystem)) return;
        this.applyMode(m.customMode);
        return;
      case 21:
        if (this.forUs(m.targetSystem, m.targetComponent)) this.params.requestList();
        return;
      case 20:
        if (this.forUs(m.targetSystem, m.targetComponent)) this.params.requestRead(String(m.paramId), m.paramIndex);
        return;
      case 23:
        if (this.forUs(m.targetSystem, m.targetComponent)) this.params.set(String(m.paramId), m.paramValue);
        return;
      case 44:
        if (this.forUs(m.targetSystem, m.targetComponent)) this.missions.onCount(m.count, m.missionType ?? 0, p.sysid, p.compid);
        return;
      case 73:
      case 39: {
        if (!this.forUs(m.targetSystem, m.targetComponent)) return;
        const isInt = p.msgid === 73;
        const global = [0, 3, 5, 6, 10, 11].includes(m.frame);
        const x = isInt ? m.x : global ? Math.round(m.x * 1e7) : Math.round(m.x * 1e4);
        const y = isInt ? m.y : global ? Math.round(m.y * 1e7) : Math.round(m.y * 1e4);
        const item: MissionItem & { seq: number; missionType: number } = {
          command: m.command, frame: m.frame, param1: m.param1, param2: m.param2, param3: m.param3, param4: m.param4,
          x, y, z: m.z, autocontinue: m.autocontinue, seq: m.seq, missionType: m.missionType ?? 0,
        };
        this.missions.onItem(item, p.sysid, p.compid);
        return;
      }
      case 43:
        if (this.forUs(m.targetSystem, m.targetComponent)) this.missions.onRequestList(m.missionType ?? 0, p.sysid, p.compid);
        return;
      case 51:
      case 40:
        if (this.forUs(m.targetSystem, m.targetComponent)) this.missions.onRequest(m.seq, m.missionType ?? 0, p.sysid, p.compid);
        return;
      case 45:
        if (this.forUs(m.targetSystem, m.targetComponent)) this.missions.onClearAll(m.missionType ?? 0, p.sysid, p.compid);
        return;
      case 41: {
        if (!this.forUs(m.targetSystem, m.targetComponent)) return;
        const r = executeCommand(this.cfg, this.state, { command: CMD.DO_SET_MISSION_CURRENT, params: [m.seq, 0, 0, 0, 0, 0, 0] });
        if (r) {
          this.state = r.state;
          this.emit(r.events);
        }
        return;
      }
      case 66: {
        if (!this.forUs(m.targetSystem, m.targetComponent)) return;
        const ids = m.reqStreamId === 0 ? Object.values(DATA_STREAMS).flat() : DATA_STREAMS[m.reqStreamId] ?? [];
        for (const id of ids) this.setInterval(id, m.startStop === 0 || m.reqMessageRate === 0 ? -1 : 1e6 / m.reqMessageRate);
        return;
      }
      case 256: // SETUP_SIGNING: direct link only (signing.ts)
        return void this.signing.onSetupSigning(p, peer);
      case 84:
      case 86:
        if (this.forUs(m.targetSystem, m.targetComponent)) this.onSetpoint(p.msgid, p.message as unknown as TargetFields & { latInt?: number; lonInt?: number; alt?: number; timeBootMs: number });
        return;
      default:
        return;
    }
  }

  private applyMode(customMode: number): void {
    const mode = modeFromCustom(this.opts.flavour, customMode);
    if (!mode) return;
    const r = setMode(this.cfg, this.state, mode.name);
    this.state = r.state;
    this.emit(r.events);
  }

  /** −1 disables, 0 restores the default, > 0 sets the interval (µs). Returns false if unknown. */
  private setInterval(msgid: number, intervalUs: number): boolean {
    if (!BUILDERS[msgid] || msgid === MSG.AUTOPILOT_VERSION || msgid === MSG.PROTOCOL_VERSION) return false;
    const now = this.opts.clock.nowUs();
    const def = DEFAULT_RATES_HZ[msgid];
    const us = intervalUs === 0 ? (def ? 1e6 / def : -1) : intervalUs < 0 ? -1 : intervalUs;
    this.streams.set(msgid, { id: msgid, intervalUs: us, nextUs: now });
    return true;
  }

  private onCommand(req: CommandRequest, p: DecodedPacket): void {
    const ack = (result: number) =>
      this.send(make(common.CommandAck, { command: req.command, result, progress: 0, resultParam2: 0, targetSystem: p.sysid, targetComponent: p.compid }));
    const pr = req.params;
    switch (req.command) {
      case CMD.SET_MESSAGE_INTERVAL:
        return ack(this.setInterval(Math.round(pr[0]!), pr[1]!) ? MAV_RESULT.ACCEPTED : MAV_RESULT.DENIED);
      case CMD.GET_MESSAGE_INTERVAL: {
        const id = Math.round(pr[0]!);
        const s = this.streams.get(id);
        ack(MAV_RESULT.ACCEPTED);
        return this.send(make(common.MessageInterval, { messageId: id, intervalUs: s ? Math.round(s.intervalUs) : BUILDERS[id] ? -1 : 0 }));
      }
      case CMD.REQUEST_MESSAGE:
      case CMD.REQUEST_AUTOPILOT_CAPABILITIES:
      case CMD.REQUEST_PROTOCOL_VERSION: {
        const id = req.command === CMD.REQUEST_MESSAGE ? Math.round(pr[0]!) : req.command === CMD.REQUEST_PROTOCOL_VERSION ? MSG.PROTOCOL_VERSION : MSG.AUTOPILOT_VERSION;
        const b = BUILDERS[id];
        if (!b) return ack(MAV_RESULT.DENIED);
        ack(MAV_RESULT.ACCEPTED);
        return this.send(b(this.state, this.ctx()));
      }
    }
    const r = executeCommand(this.cfg, this.state, req);
    if (!r) return ack(MAV_RESULT.UNSUPPORTED);
    this.state = r.state;
    ack(r.result);
    this.emit(r.events);
  }

  private onSetpoint(msgid: number, m: TargetFields & { latInt?: number; lonInt?: number; alt?: number; timeBootMs: number }): void {
    // ArduCopter only takes targets in GUIDED; PX4 records them in any mode (offboard signal).
    if (this.opts.flavour === 'ardupilot' && this.state.mode !== 'GUIDED') return;
    const r = msgid === 84 ? localSetpoint(this.state, m) : globalSetpoint(this.state, { ...m, x: m.latInt ?? 0, y: m.lonInt ?? 0, z: m.alt ?? 0 });
    if (!r.ok) return;
    this.state = applySetpoint(this.state, r.setpoint);
    const tb = Math.round((this.opts.clock.nowUs() - this.bootUs) / 1000) >>> 0;
    this.send(msgid === 84 ? echoLocal(this.state, r.setpoint, m.typeMask, tb) : echoGlobal(this.state, r.setpoint, m.typeMask, tb));
  }
}
