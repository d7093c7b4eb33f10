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

export interface EmbeddedBroker {
  /** mqtt://127.0.0.1:<port> */
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface BrokerOptions {
  host?: string;
  /** 0 (default) = any free port. */
  port?: number;
  /** aedes hooks (authenticate, authorizePublish, authorizeSubscribe) for access control. */
  hooks?: Pick<AedesOptions, 'authenticate' | 'authorizePublish' | 'authorizeSubscribe'>;
}

export async function startEmbeddedBroker(opts: BrokerOptions = {}): Promise<EmbeddedBroker> {
  const aedes = await Aedes.createBroker({ ...(opts.hooks ?? {}) });
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
  return {
    url: `mqtt://${host}:${port}`,
    port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
    },
  };
}
