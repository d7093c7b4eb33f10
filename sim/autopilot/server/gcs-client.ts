/**
 * A raw-packet MAVLink 2 peer for tests and benchmarks (what pymavlink or a GCS would send):
 * one UDP socket to a vehicle's port, node-mavlink message objects in, decoded packets out,
 * and helpers to wait for a matching packet. Waiting is on wall time with a generous limit only
 * to avoid hanging; assertions are on content, never on elapsed time.
 */
import dgram from 'node:dgram';
import type { MavLinkData } from 'node-mavlink';
import type { Clock, Timer } from '../../../core/clock.ts';
import { MavlinkDecoder, MavlinkEncoder, type DecodedPacket } from '../../../firmware-bridge/mavlink/index.ts';
import { common, minimal } from '../../../firmware-bridge/mavlink/messages.ts';
import { make } from './telemetry.ts';

export class GcsClient {
  private readonly sock = dgram.createSocket('udp4');
  private readonly enc: MavlinkEncoder;
  private readonly dec = new MavlinkDecoder();
  private waiters: { pred: (p: DecodedPacket) => boolean; resolve: (p: DecodedPacket | undefined) => void }[] = [];
  readonly received: DecodedPacket[] = [];
  private hbTimer: Timer | undefined;
  keep = true;
  private closed = false;

  private constructor(private readonly port: number, readonly sysid: number, readonly compid: number) {
    this.enc = new MavlinkEncoder({ sysid, compid });
    this.sock.on('message', (buf) => {
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

  static async connect(port: number, sysid = 255, compid = 190): Promise<GcsClient> {
    const c = new GcsClient(port, sysid, compid);
    await new Promise<void>((r) => c.sock.bind(0, '127.0.0.1', () => r()));
    return c;
  }

  send(msg: MavLinkData): void {
    if (this.closed) return;
    this.sock.send(this.enc.encode(msg), this.port, '127.0.0.1');
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

  /** Resolves with the first packet (from now on) matching `pred`, or undefined after `wallMs`. */
  waitFor(pred: (p: DecodedPacket) => boolean, wallMs = 5000): Promise<DecodedPacket | undefined> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        resolve(undefined);
      }, wallMs);
      const done = (p: DecodedPacket | undefined) => {
        clearTimeout(t);
        resolve(p);
      };
      this.waiters.push({ pred, resolve: done });
    });
  }

  waitMsg<T>(msgid: number, pred: (m: T) => boolean = () => true, wallMs = 5000): Promise<T | undefined> {
    return this.waitFor((p) => p.msgid === msgid && pred(p.message as T), wallMs).then((p) => p?.message as T | undefined);
  }

  /** COMMAND_LONG to sysid/1; resolves with the COMMAND_ACK. */
  async commandLong(target: number, command: number, params: number[], wallMs = 5000): Promise<common.CommandAck | undefined> {
    const p = [...params, 0, 0, 0, 0, 0, 0, 0];
    const ack = this.waitMsg<common.CommandAck>(77, (a) => a.command === command, wallMs);
    this.send(make(common.CommandLong, {
      targetSystem: target, targetComponent: 1, command, confirmation: 0,
      _param1: p[0], _param2: p[1], _param3: p[2], _param4: p[3], _param5: p[4], _param6: p[5], _param7: p[6],
    }));
    return ack;
  }

  /** COMMAND_INT (p5/p6 degE7 integers). */
  async commandInt(target: number, command: number, frame: number, params: number[], wallMs = 5000): Promise<common.CommandAck | undefined> {
    const p = [...params, 0, 0, 0, 0, 0, 0, 0];
    const ack = this.waitMsg<common.CommandAck>(77, (a) => a.command === command, wallMs);
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
    await new Promise<void>((r) => this.sock.close(() => r()));
  }
}
