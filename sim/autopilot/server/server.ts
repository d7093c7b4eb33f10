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
import { SitlSigning } from './signing.ts';
import { initialParams, type ServerStats, type SitlServerOptions } from './options.ts';
import type { Timer } from '../../../core/clock.ts';
import { fail, ok, type Result } from '../../../core/result.ts';
import { MavlinkEncoder, type DecodedPacket } from '../../../firmware-bridge/mavlink/index.ts';
import { common } from '../../../firmware-bridge/mavlink/messages.ts';
import { openServerTransport, type MultiPeerTransport, type Peer } from '../../../firmware-bridge/transport/index.ts';
import { TlogWriter } from '../../../firmware-bridge/tlog/index.ts';
import { configFromParams, type ParamValues, type VehicleConfig } from '../core/params.ts';
import type { SimEvent, SimState } from '../core/types.ts';
import { createVehicle, setMission } from '../core/vehicle.ts';
import { buildTruth, type VehicleTruth } from './truth.ts';
import { FrameBatch } from './batch.ts';
import { advance, maxCatchUpUs } from './physics.ts';
import { parseRequest } from './incoming.ts';
import { handleRequest, type RequestHost } from './requests.ts';
import { homeItem, MissionService } from './mission.ts';
import { ParamService } from './params.ts';
import { defaultStreams, dueStreams, type StreamTable } from './streams.ts';
import { BUILDERS, MSG, make, statusText, type TelemetryContext } from './telemetry/index.ts';

export type { SitlServerOptions, ServerStats, VehicleTruth };

/** Largest datagram a tick's frames are packed into (below a 1 500-byte Ethernet MTU). */
const BATCH_BYTES = 1200;

export class SitlServer {
  private state: SimState;
  private cfg: VehicleConfig;
  private paramValues: ParamValues;
  private readonly encoder: MavlinkEncoder;
  private readonly signing: SitlSigning;
  private readonly params: ParamService;
  private readonly missions: MissionService;
  private readonly streams: StreamTable;
  private timer: Timer | undefined;
  private computeW = 0;
  private readonly bootUs: number;
  private readonly st: ServerStats;
  private tlog: TlogWriter | undefined;
  /** Frames of the tick in progress (outside `tick` replies go out at once). */
  private readonly batch: FrameBatch;
  private batching = false;
  /** What requests work on (requests.ts). */
  private readonly host: RequestHost;

  private constructor(private readonly opts: SitlServerOptions, private readonly transport: MultiPeerTransport) {
    this.paramValues = initialParams(opts);
    this.cfg = configFromParams(opts.flavour, this.paramValues);
    const now = opts.clock.nowUs();
    this.bootUs = now;
    this.state = createVehicle(this.cfg, opts.home, now);
    this.encoder = new MavlinkEncoder({ sysid: opts.sysid, compid: 1 });
    this.signing = new SitlSigning(opts.sysid, this.encoder, opts.clock, opts.signing, (sev, text) => this.send(statusText(sev, text)));
    this.st = { ticks: 0, steps: 0, heartbeatsSent: 0, packetsIn: 0, packetsOut: 0, startedUs: now };
    this.streams = defaultStreams(opts.sysid, now);
    this.batch = new FrameBatch((d) => transport.send(d), BATCH_BYTES);
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
      homeItem: () => homeItem(this.opts.home),
    });
    this.host = {
      flavour: opts.flavour, clock: opts.clock, bootUs: now, streams: this.streams, params: this.params, missions: this.missions, signing: this.signing,
      state: () => this.state, setState: (st) => (this.state = st), cfg: () => this.cfg,
      send: (m) => this.send(m), emit: (e) => this.emit(e), ctx: () => this.ctx(),
    };
    for (const p of opts.gcsPeers ?? []) transport.addFixedPeer(p);
    if (opts.tlogPath) this.tlog = new TlogWriter(opts.tlogPath);
    transport.onDataFrom((buf, peer) => this.onDatagram(buf, peer));
  }

  /** Binds the endpoint and starts the clock-driven loop. */
  static async start(opts: SitlServerOptions): Promise<Result<SitlServer, 'open_failed' | 'bad_url' | 'bad_params'>> {
    try {
      initialParams(opts);
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
    if (this.batching) this.batch.queue(r.value);
    else this.transport.send(r.value);
    this.st.packetsOut++;
    this.tlog?.write(this.opts.clock.nowUs(), r.value);
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
    this.batching = true;
    try {
      this.tickBatched();
    } finally {
      this.batch.flush();
      this.batching = false;
    }
  }

  private tickBatched(): void {
    this.st.ticks++;
    const now = this.opts.clock.nowUs();
    this.state = advance(this.cfg, this.state, { computePowerW: this.computeW }, now, maxCatchUpUs(this.opts.clock.scale), (state, events) => {
      this.state = state;
      this.st.steps++;
      this.emit(events);
    });
    this.params.tick();
    this.missions.tick();
    let ctx: TelemetryContext | undefined;
    for (const id of dueStreams(this.streams, now)) {
      this.send(BUILDERS[id]!(this.state, (ctx ??= this.ctx())));
      if (id === MSG.HEARTBEAT) this.st.heartbeatsSent++;
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

  private onPacket(p: DecodedPacket, peer?: Peer): void {
    const r = parseRequest(p, this.opts.sysid);
    if (r) handleRequest(this.host, r, p, peer);
  }
}
