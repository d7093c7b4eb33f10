/**
 * The view's HTTP server: the page and its assets (assets.ts), /config.json, and in replay mode
 * the run's recording (/recording, the mqtt.rec bytes). It never touches the broker: the page
 * connects to it over WebSocket by itself. Binds 127.0.0.1 on a free port unless told otherwise.
 */
import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import path from 'node:path';
import { MIME, inside, protoFiles, resolveAsset } from './assets.ts';
import type { ViewConfig } from './config.ts';

export interface ViewServerOptions {
  config: ViewConfig;
  /** Replay: the mqtt.rec to serve at /recording. */
  recordingFile?: string;
  /** An operator's raster tiles, {z}/{x}/{y}.png, served at /tiles/. */
  tilesDir?: string;
  host?: string;
  port?: number;
}

export interface ViewServer {
  url: string;
  close(): Promise<void>;
}

export async function startViewServer(o: ViewServerOptions): Promise<ViewServer> {
  const config = JSON.stringify({ ...o.config, protoFiles: protoFiles() });
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://view');
    const send = (status: number, type: string, body: Buffer | string) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain', 'read-only\n');
    if (url.pathname === '/config.json') return send(200, MIME['.json']!, config);
    if (url.pathname === '/recording') {
      if (!o.recordingFile) return send(404, 'text/plain', 'live view: no recording\n');
      return send(200, 'application/octet-stream', fs.readFileSync(o.recordingFile));
    }
    let file: string | undefined;
    if (url.pathname.startsWith('/tiles/')) file = o.tilesDir ? inside(path.resolve(o.tilesDir), url.pathname.slice('/tiles/'.length)) : undefined;
    else file = resolveAsset(url.pathname);
    if (!file) return send(404, 'text/plain', 'not found\n');
    send(200, MIME[path.extname(file)] ?? 'application/octet-stream', fs.readFileSync(file));
  });
  const host = o.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
