/**
 * The embedded MQTT broker (aedes) for single-machine runs and tests. It binds a free loopback
 * port (never assumes 1883, where a system Mosquitto may already listen) and can enforce the
 * access rules generated from the topic table.
 *
 * Lockstep missions need nothing from it: the buses count their publishes against their
 * deliveries (bus.ts), so any broker can carry a mission on the virtual clock.
 */
import net from 'node:net';
import { Aedes, type AedesOptions } from 'aedes';
import { listenWebSocket, type WebSocketListener } from './broker-ws.ts';

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
  /** Also serve MQTT over WebSocket (the browser view) on this port (0 = any free port); same hooks. */
  wsPort?: number;
}

export async function startEmbeddedBroker(opts: BrokerOptions = {}): Promise<EmbeddedBroker> {
  const aedes = await Aedes.createBroker({ ...(opts.hooks ?? {}) });
  // TCP_NODELAY: small MQTT packets go out at once, not after the previous one's delayed ACK (bus.ts).
  const server = net.createServer({ noDelay: true }, aedes.handle);
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
      await ws?.close();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
    },
  };
}
