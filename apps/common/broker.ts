/**
 * The embedded MQTT broker (aedes) for single-machine runs and tests. It binds a free loopback
 * port (never assumes 1883, where a system Mosquitto may already listen) and can enforce the
 * access rules generated from the topic table.
 *
 * With an `activity` tracker (deterministic missions on a `VirtualClock`) it reports what it
 * moves: each message forwarded to a tracked client begins `mqtt:<clientId>` (the client's bus
 * ends it after its handlers), and a tracked client's QoS 0 publish ends that client's publish
 * key once every forward began (aedes emits `publish` after routing). Forwards begin before the
 * PUBACK of a QoS 1 publish is written, so the count never drops to 0 while a message moves.
 */
import net from 'node:net';
import { Aedes, type AedesOptions } from 'aedes';
import { listenWebSocket, type WebSocketListener } from './broker-ws.ts';
import type { ActivityTracker } from '../../core/clock.ts';
import { BROKER_ENDPOINT, publishKey } from './bus.ts';

export interface EmbeddedBroker {
  /** mqtt://127.0.0.1:<port> */
  url: string;
  port: number;
  /** ws://127.0.0.1:<port> when a WebSocket listener was asked for (MQTT over WebSocket, for browsers). */
  wsUrl?: string;
  close(): Promise<void>;
}

export interface BrokerOptions {
  host?: string;
  /** 0 (default) = any free port. */
  port?: number;
  /** aedes hooks (authenticate, authorizePublish, authorizeSubscribe) for access control. */
  hooks?: Pick<AedesOptions, 'authenticate' | 'authorizePublish' | 'authorizeSubscribe'>;
  activity?: ActivityTracker;
  /** Also serve MQTT over WebSocket (the browser view) on this port (0 = any free port); same hooks. */
  wsPort?: number;
}

export async function startEmbeddedBroker(opts: BrokerOptions = {}): Promise<EmbeddedBroker> {
  const activity = opts.activity;
  const aedes = await Aedes.createBroker({
    ...(opts.hooks ?? {}),
    ...(activity
      ? {
          authorizeForward: (client, packet) => {
            const key = `mqtt:${client.id}`;
            if (activity.tracks(key)) activity.begin(key);
            return packet;
          },
        }
      : {}),
  });
  if (activity) {
    activity.register(BROKER_ENDPOINT);
    aedes.on('publish', (packet, client) => {
      if (client && packet.qos === 0 && activity.tracks(`mqtt:${client.id}`)) activity.end(publishKey(client.id));
    });
  }
  const server = net.createServer(aedes.handle);
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  const sockets = new Set<net.Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const ws: WebSocketListener | undefined = opts.wsPort !== undefined ? await listenWebSocket(aedes, host, opts.wsPort) : undefined;
  return {
    url: `mqtt://${host}:${port}`,
    port,
    ...(ws ? { wsUrl: ws.url } : {}),
    close: async () => {
      activity?.unregister(BROKER_ENDPOINT);
      await ws?.close();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
    },
  };
}
