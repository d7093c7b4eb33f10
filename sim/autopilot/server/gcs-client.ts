/**
 * A raw-packet MAVLink 2 peer for tests and benchmarks (what pymavlink or a GCS would send):
 * one UDP socket to a vehicle's port, node-mavlink message objects in, decoded packets out,
 * and helpers to wait for a matching packet. Given a `clock`, waits are in clock ms and, on a
 * lockstep `VirtualClock`, the socket's datagrams hold the clock like every other endpoint's (so
 * a test means the same on any machine); without one, waits are in wall ms.
 */
import type { MavLinkData } from 'node-mavlink';
import type { Clock, Timer } from '../../../core/clock.ts';
import { MavlinkDecoder, MavlinkEncoder, type DecodedPacket } from '../../../firmware-bridge/mavlink/index.ts';
import { common, minimal } from '../../../firmware-bridge/mavlink/messages.ts';
import { openTransport, type Transport } from '../../../firmware-bridge/transport/index.ts';
import { make } from './telemetry/index.ts';

export interface GcsClientOptions {
  sysid?: number;
  compid?: number;
  /** Time for waits (clock ms) and, on a `VirtualClock`, lockstep tracking of the socket. Default wall time. */
  clock?: Clock;
}

export class GcsClient {
  private readonly enc: MavlinkEncoder;
  private readonly dec = new MavlinkDecoder();
  private waiters: { pred: (p: DecodedPacket) => boolean; resolve: (p: DecodedPacket | undefined) => void }[] = [];
  readonly received: DecodedPacket[] = [];
  private hbTimer: Timer | undefined;
  keep = true;
  private closed = false;

  private constructor(private readonly sock: Transport, readonly sysid: number, readonly compid: number, private readonly clock: Clock | undefined) {
    this.enc = new MavlinkEncoder({ sysid, compid });
    sock.onData((buf) => {
      for (const p of this.dec.pushDatagram(buf)) {
        if (this.keep) this.received.push(p);
        this.waiters = this.waiters.filter((w) => {
          if (!w.pred(p)) return true;
          w.resolve(p);
          return false;
        });
      }
    });
  }

  static async connect(port: number, o: GcsClientOptions = {}): Promise<GcsClient> {
    const opening = openTransport(`udpout://127.0.0.1:${port}`, o.clock ? { clock: o.clock } : {});
    const t = await (o.clock?.activity ? o.clock.activity.during(opening, 'gcs-open') : opening);
    if (!t.ok) throw new Error(`GCS socket: ${t.detail ?? t.reason}`);
    return new GcsClient(t.value, o.sysid ?? 255, o.compid ?? 190, o.clock);
  }

  send(msg: MavLinkData): void {
    if (this.closed) return;
    this.sock.send(this.enc.encode(msg));
  }

  /** Sends a GCS (type 6) or companion (18) HEARTBEAT every clock second until stopped. */
  startHeartbeat(clock: Clock, type = 6): void {
    const hb = () => this.send(make(minimal.Heartbeat, { type, autopilot: 8, baseMode: 0, customMode: 0, systemStatus: 4, mavlinkVersion: 3 }));
    hb();
    this.hbTimer = clock.setInterval(hb, 1000);
  }

  stopHeartbeat(): void {
    this.hbTimer?.cancel();
  }

  /** Resolves with the first packet (from now on) matching `pred`, or undefined after `ms` (clock ms, or wall ms without a clock). */
  waitFor(pred: (p: DecodedPacket) => boolean, ms = 5000): Promise<DecodedPacket | undefined> {
    return new Promise((resolve) => {
      const expire = () => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        resolve(undefined);
      };
      const timer: Timer = this.clock ? this.clock.setTimeout(expire, ms) : ((h) => ({ cancel: () => clearTimeout(h) }))(setTimeout(expire, ms));
      const done = (p: DecodedPacket | undefined) => {
        timer.cancel();
        resolve(p);
      };
      this.waiters.push({ pred, resolve: done });
    });
  }

  waitMsg<T>(msgid: number, pred: (m: T) => boolean = () => true, ms = 5000): Promise<T | undefined> {
    return this.waitFor((p) => p.msgid === msgid && pred(p.message as T), ms).then((p) => p?.message as T | undefined);
  }

  /** COMMAND_LONG to sysid/1; resolves with the COMMAND_ACK. */
  async commandLong(target: number, command: number, params: number[], ms = 5000): Promise<common.CommandAck | undefined> {
    const p = [...params, 0, 0, 0, 0, 0, 0, 0];
    const ack = this.waitMsg<common.CommandAck>(77, (a) => a.command === command, ms);
    this.send(make(common.CommandLong, {
      targetSystem: target, targetComponent: 1, command, confirmation: 0,
      _param1: p[0], _param2: p[1], _param3: p[2], _param4: p[3], _param5: p[4], _param6: p[5], _param7: p[6],
    }));
    return ack;
  }

  /** COMMAND_INT (p5/p6 degE7 integers). */
  async commandInt(target: number, command: number, frame: number, params: number[], ms = 5000): Promise<common.CommandAck | undefined> {
    const p = [...params, 0, 0, 0, 0, 0, 0, 0];
    const ack = this.waitMsg<common.CommandAck>(77, (a) => a.command === command, ms);
    this.send(make(common.CommandInt, {
      targetSystem: target, targetComponent: 1, command, frame, current: 0, autocontinue: 0,
      _param1: p[0], _param2: p[1], _param3: p[2], _param4: p[3], _param5: p[4], _param6: p[5], _param7: p[6],
    }));
    return ack;
  }

  async close(): Promise<void> {
    this.stopHeartbeat();
    if (this.closed) return;
    this.closed = true;
    await this.sock.close();
  }
}
