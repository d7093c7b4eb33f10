/**
 * The agent's uplink: every message the agent sends to the controller goes through one ordered
 * pipeline, so the controller sees them in the order they were made, across broker outages and
 * agent restarts (issue 6 §4).
 *
 * - QoS 1 messages (twin, acks, completions, events) are encoded with their header when made
 *   (so `t_us` is the time of the measurement, not of delivery) and queued. While the broker is
 *   up and the queue is short they are delivered from memory, one at a time (the next is sent
 *   when the broker has acknowledged the previous one). When the broker is unreachable, or the
 *   queue grows past `maxInMemory`, everything queued is *spilled* into the on-disk outbox, and
 *   every later message is appended there too until the outbox has been delivered in full — so
 *   the outbox only ever holds messages older than those in memory and the order is global.
 * - The message in flight when the connection drops stays with the MQTT client, which resends it
 *   on reconnect (persistent session, QoS 1); the pipeline waits for it before draining the
 *   outbox, so it cannot be overtaken. QoS 1 is at-least-once: a message whose PUBACK was lost
 *   may arrive twice (receivers can tell by the header's per-topic `seq`).
 * - QoS 0 messages (health) describe the present: sent if the broker is up, else dropped (counted).
 * - Without an outbox (no state directory) the memory queue is bounded by `maxInMemoryNoOutbox`,
 *   dropping the oldest telemetry first.
 */
import type { MessageInput, TopicKey, TopicParams } from '../../../proto/index.ts';
import { topicName, topicSpec } from '../../../proto/index.ts';
import type { Bus, MessageOf } from '../../common/bus.ts';
import type { Logger } from '../../common/log.ts';
import type { MessageClass, Outbox } from '../outbox/index.ts';

export type UplinkBus = Pick<Bus, 'connected' | 'publishBytes' | 'encodeWithHeader'>;

export interface UplinkOptions {
  /** Messages kept in memory while the broker is up before spilling to the outbox (default 20). */
  maxInMemory?: number;
  /** Memory bound when there is no outbox (default 5000). */
  maxInMemoryNoOutbox?: number;
}

export interface UplinkStats {
  /** QoS 1 messages made, by topic key. */
  made: Record<string, number>;
  /** Messages the broker acknowledged (QoS 1) or that were written (QoS 0). */
  delivered: number;
  /** Messages written to the outbox. */
  spilled: number;
  /** Messages dropped: QoS 0 while the broker was down, memory bound without outbox, outbox full. */
  dropped: number;
}

interface Item {
  topic: string;
  bytes: Uint8Array;
  cls: MessageClass;
}

export class Uplink {
  readonly stats: UplinkStats = { made: {}, delivered: 0, spilled: 0, dropped: 0 };
  private mem: Item[] = [];
  /** The outbox holds messages older than anything in `mem`; new messages go there too. */
  private spilled = false;
  private pumping = false;
  private closed = false;
  /** Outbox appends not yet finished (they are serialised by the outbox, in call order). */
  private appending: Promise<unknown> = Promise.resolve();
  private pendingAppends = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly d: { bus: UplinkBus; outbox?: Outbox; log: Logger },
    private readonly o: UplinkOptions = {},
  ) {
    // Messages left in the outbox by an earlier run are older than anything this run makes.
    if (d.outbox && d.outbox.stats().messages > 0) this.spilled = true;
  }

  /** Messages waiting (memory + outbox). */
  depth(): number {
    return this.mem.length + (this.d.outbox?.stats().messages ?? 0) + this.pendingAppends;
  }

  /** Messages dropped by the outbox's bound plus the uplink's own drops. */
  dropped(): number {
    return this.stats.dropped + (this.d.outbox?.stats().dropped ?? 0);
  }

  /** Encodes `msg` now and queues it for delivery in order. */
  send<K extends TopicKey>(key: K, params: TopicParams, msg: MessageInput<MessageOf<K>>, cls: MessageClass = 'telemetry'): void {
    if (this.closed) return;
    const topic = topicName(key, params);
    const spec = topicSpec(key);
    if (spec.qos === 0) {
      if (!this.d.bus.connected) {
        this.stats.dropped++;
        return;
      }
      const bytes = this.d.bus.encodeWithHeader(key, topic, msg);
      this.d.bus.publishBytes(topic, bytes, 0).then(
        () => this.stats.delivered++,
        () => this.stats.dropped++,
      );
      return;
    }
    this.stats.made[key] = (this.stats.made[key] ?? 0) + 1;
    const item: Item = { topic, bytes: this.d.bus.encodeWithHeader(key, topic, msg), cls };
    if (this.d.outbox && (this.spilled || !this.d.bus.connected || this.mem.length >= (this.o.maxInMemory ?? 20))) {
      this.spill(item);
    } else {
      this.mem.push(item);
      if (!this.d.outbox) this.boundMemory();
    }
    void this.pump();
  }

  /** Called by the owner when the broker connection comes back (or at start). */
  onConnected(): void {
    void this.pump();
  }

  /** Called when the broker connection drops: queued messages go to disk. */
  onDisconnected(): void {
    if (this.d.outbox && this.mem.length > 0) this.spill();
  }

  /** Resolves when nothing is queued (for tests and orderly shutdown); `timeoutMs` of wall time. */
  async flushed(timeoutMs: number): Promise<boolean> {
    if (this.depth() === 0 && !this.pumping) return true;
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }

  /** Stops delivering; messages still in memory are written to the outbox so a restart sends them. */
  async close(): Promise<void> {
    if (this.d.outbox && this.mem.length > 0) this.spill();
    this.closed = true;
    await this.appending;
  }

  private boundMemory(): void {
    const max = this.o.maxInMemoryNoOutbox ?? 5000;
    while (this.mem.length > max) {
      const i = this.mem.findIndex((m) => m.cls === 'telemetry');
      this.mem.splice(i >= 0 ? i : 0, 1);
      this.stats.dropped++;
    }
  }

  /** Moves the memory queue (then `extra`) into the outbox, in order. */
  private spill(extra?: Item): void {
    const ob = this.d.outbox!;
    const items = this.mem.splice(0);
    if (extra) items.push(extra);
    this.spilled = true;
    for (const it of items) {
      this.pendingAppends++;
      this.stats.spilled++;
      this.appending = ob.append(it.topic, it.bytes, it.cls).then((r) => {
        this.pendingAppends--;
        if (!r.ok) {
          this.stats.dropped++;
          this.d.log.error({ topic: it.topic, reason: r.reason }, 'outbox append failed: message lost');
        }
        void this.pump();
      });
    }
  }

  private async deliver(topic: string, bytes: Uint8Array): Promise<boolean> {
    try {
      await this.d.bus.publishBytes(topic, bytes, 1);
      this.stats.delivered++;
      return true;
    } catch (e) {
      this.d.log.warn({ topic, err: e }, 'publish failed; will retry');
      return false;
    }
  }

  private async pump(): Promise<void> {
    if (this.pumping || this.closed) return;
    this.pumping = true;
    try {
      while (this.d.bus.connected && !this.closed) {
        const ob = this.d.outbox;
        if (ob && this.spilled) {
          await this.appending;
          await ob.drain((m) => (this.d.bus.connected && !this.closed ? this.deliver(m.topic, m.payload) : Promise.resolve(false)));
          if (ob.stats().messages > 0 || this.pendingAppends > 0) {
            if (!this.d.bus.connected || this.closed) break;
            continue;
          }
          this.spilled = false;
        }
        // Taken off the queue while in flight, so a spill meanwhile does not copy it to disk.
        const it = this.mem.shift();
        if (!it) break;
        if (!(await this.deliver(it.topic, it.bytes))) {
          // Rare (the client keeps QoS 1 messages across reconnects): retry it first, or — if the
          // queue was spilled meanwhile — after what is on disk (order lost for this one message).
          if (this.spilled && this.d.outbox) this.spill(it);
          else this.mem.unshift(it);
          break;
        }
      }
    } finally {
      this.pumping = false;
    }
    if (this.depth() === 0) for (const w of this.idleWaiters.splice(0)) w();
  }
}
