/**
 * A QoS 1 publish that survives its connection closing before the broker took it (issue 19).
 *
 * mqtt.js resends the QoS 1 messages it had *sent* when a persistent session reconnects, one at a
 * time, each after the previous one's PUBACK. A message published while it replays them waits in
 * a queue, and when that connection closes too, the queue is emptied with "Connection closed":
 * the message was never sent and is never resent (test/cluster/resend.test.ts shows it with a real
 * broker). A clustered broker re-electing after a node's death acknowledges nothing for seconds
 * and closes connections meanwhile, so the leader's plans for a whole slot could be lost this way
 * — the failover e2e's unplanned slot, on a loaded machine only, because the replay must still be
 * running when the plans are made (docs/failover.md).
 *
 * `publishAtLeastOnce` sends such a message again once the client is connected, until the broker
 * has it or `keepTrying()` says it is no longer worth sending (the plan has expired, the controller
 * stopped). At-least-once, as QoS 1 always is; a message mqtt.js never sent is not duplicated.
 * Other errors (our own close, a refused publish) are not retried.
 */
import type { Bus } from '../../common/bus.ts';

/** What mqtt.js rejects a QoS 1 publish with when the connection it was queued on closes. */
export const CONNECTION_CLOSED = 'Connection closed';

export type ResendBus = Pick<Bus, 'publishBytes' | 'connected'>;

export interface ResendOptions {
  /** Wall-time poll for the reconnection, ms (default 50). */
  pollMs?: number;
  /** Told about each loss before the message is sent again (logs). */
  onRetry?: (attempt: number, err: Error) => void;
}

/** Publishes QoS 1 `bytes` on `topic`; resolves with the number of attempts it took. */
export async function publishAtLeastOnce(bus: ResendBus, topic: string, bytes: Uint8Array, keepTrying: () => boolean, o: ResendOptions = {}): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      await bus.publishBytes(topic, bytes, 1);
      return attempt;
    } catch (e) {
      const err = e as Error;
      if (err?.message !== CONNECTION_CLOSED || !keepTrying()) throw e;
      o.onRetry?.(attempt, err);
      while (!bus.connected && keepTrying()) await new Promise<void>((r) => setTimeout(r, o.pollMs ?? 50).unref());
      if (!keepTrying()) throw e;
    }
  }
}
