/**
 * MQTT over WebSocket for the embedded broker: an HTTP server whose upgrades (subprotocol `mqtt`,
 * what browser MQTT clients ask for) are handed to aedes as plain duplex streams, so the same
 * authentication and ACL hooks apply as on the TCP listener.
 */
import http from 'node:http';
import type net from 'node:net';
import type { Aedes } from 'aedes';
import { WebSocketServer, createWebSocketStream } from 'ws';

export interface WebSocketListener {
  /** ws://host:port */
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function listenWebSocket(aedes: Aedes, host: string, port: number): Promise<WebSocketListener> {
  const server = http.createServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain' }).end('MQTT over WebSocket: connect with subprotocol "mqtt"\n');
  });
  const wss = new WebSocketServer({ server, handleProtocols: (protocols) => (protocols.has('mqtt') ? 'mqtt' : protocols.has('mqttv3.1') ? 'mqttv3.1' : false) });
  wss.on('connection', (socket, req) => {
    const stream = createWebSocketStream(socket);
    stream.on('error', () => socket.terminate());
    aedes.handle(stream as unknown as net.Socket, req);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as net.AddressInfo).port;
  return {
    url: `ws://${host}:${bound}`,
    port: bound,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
