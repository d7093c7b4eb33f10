/**
 * Test harness for the agent against the SITL over real sockets: an MQTT broker that can be
 * stopped and restarted on the same port (aedes, with an in-process subscriber that records
 * every message the agent publishes, registered before the port opens so none can be missed),
 * and a minimal controller (fleet heartbeat + plans) on the bus.
 */
import net from 'node:net';
import { Aedes } from 'aedes';
import type { Clock, Timer } from '../../core/clock.ts';
import { Bus } from '../../apps/common/bus.ts';
import { silentLogger } from '../../apps/common/log.ts';
import { decodeRaw, FlightMode, matchTopic, type MessageInput, type Plan } from '../../proto/index.ts';

export interface Received {
  topic: string;
  key: string;
  seq: number;
  tUs: number;
  payload: Buffer;
  /** Which broker incarnation delivered it (0 = first start). */
  incarnation: number;
}

export class RestartableBroker {
  readonly received: Received[] = [];
  private incarnation = -1;
  private aedes: Aedes | undefined;
  private server: net.Server | undefined;
  private sockets = new Set<net.Socket>();
  port = 0;

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.server !== undefined;
  }

  async start(): Promise<void> {
    this.incarnation++;
    const inc = this.incarnation;
    const aedes = await Aedes.createBroker();
    await new Promise<void>((resolve) =>
      aedes.subscribe('uavmec/v1/uav/#', (packet, cb) => {
        const m = matchTopic(packet.topic);
        const payload = Buffer.from(packet.payload as Buffer);
        if (m && m.spec.publisher === 'agent') {
          const d = decodeRaw(m.spec.type, payload);
          const h = d.ok ? (d.value as { header?: { seq: number; t_us: number } }).header : undefined;
          this.received.push({ topic: packet.topic, key: m.spec.key, seq: h?.seq ?? -1, tUs: h?.t_us ?? -1, payload, incarnation: inc });
        }
        cb();
      }, resolve),
    );
    const server = net.createServer({ noDelay: true }, aedes.handle);
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as net.AddressInfo).port;
    this.aedes = aedes;
    this.server = server;
  }

  async stop(): Promise<void> {
    const { server, aedes } = this;
    this.server = undefined;
    this.aedes = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    if (aedes) await new Promise<void>((resolve) => aedes.close(() => resolve()));
  }
}

/** A stand-in controller: FleetState at 5 Hz (its liveness signal) and plans on demand. */
export class MiniController {
  private timer: Timer | undefined;
  private seq = 0;
  /** Clock time of the last FleetState published (the controller's last sign of life). */
  lastFleetUs = 0;
  readonly acks: { seq: number; accepted: boolean; reason: number; detail: string }[] = [];
  readonly events: { code: string; text: string }[] = [];

  private constructor(
    readonly bus: Bus,
    private readonly clock: Clock,
    private readonly uavId: number,
    private readonly slotS: number,
  ) {}

  static async start(url: string, clock: Clock, uavId: number, slotS: number): Promise<MiniController> {
    const bus = await Bus.connect({ url, clientId: `test-controller-${process.pid}-${Date.now()}`, sender: 'controller', clock, log: silentLogger() });
    const c = new MiniController(bus, clock, uavId, slotS);
    await bus.subscribe('ack', { uav: uavId }, (m) => c.acks.push({ seq: m.plan_seq, accepted: m.accepted, reason: m.reason, detail: m.detail }));
    await bus.subscribe('uavEvent', { uav: uavId }, (m) => c.events.push({ code: m.code, text: m.text }));
    c.timer = clock.setInterval(() => {
      if (!bus.connected) return;
      c.lastFleetUs = clock.nowUs();
      void bus.publish('fleet', {}, { slot: 0, slot_s: slotS, members: [] }).catch(() => undefined);
    }, 200);
    return c;
  }

  /** Sends a plan (next seq unless given), valid for `validS` clock seconds. */
  async plan(flight: NonNullable<MessageInput<Plan>['flight']>, o: { seq?: number; validS?: number; assignments?: MessageInput<Plan>['assignments'] } = {}): Promise<number> {
    const now = Math.round(this.clock.nowUs());
    const seq = o.seq ?? ++this.seq;
    await this.bus.publish('plan', { uav: this.uavId }, {
      uav_id: this.uavId, plan_seq: seq, slot: 0, valid_from_t_us: now, expires_t_us: now + Math.round((o.validS ?? 600) * 1e6), flight, planner: 'test',
      ...(o.assignments ? { assignments: o.assignments } : {}),
    });
    return seq;
  }

  goto(x: number, y: number, alt: number, speed = 5) {
    return { mode: FlightMode.FLIGHT_MODE_GOTO, target: { x_east_m: x, y_north_m: y, alt_m: alt }, speed_m_s: speed };
  }

  /** Stops the FleetState heartbeat (the controller falls silent) but stays connected. */
  silence(): void {
    this.timer?.cancel();
  }

  async close(): Promise<void> {
    this.timer?.cancel();
    await this.bus.close();
  }
}

/** Polls `cond` every 20 ms of wall time until it holds; throws with `what` after `timeoutMs`. */
export async function until(cond: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
