/**
 * `mission --view` and `uavmec view --open`: start the view server for a broker and open it in the
 * operator's browser when there is a desktop (xdg-open / open), else just print the URL.
 */
import { spawn } from 'node:child_process';
import { startViewServer, type ViewServer } from './server.ts';
import { viewConfig, type GeometrySource } from './config.ts';

export interface OpenViewOptions {
  /** ws(s):// URL, or a comma-separated list of a cluster's nodes (the page fails over along it). */
  wsUrl: string;
  username?: string;
  password?: string;
  scenario: GeometrySource & { slotS: number };
  tilesDir?: string;
  host?: string;
  port?: number;
  /** Launch a browser on the URL (default false). */
  launch?: boolean;
}

export async function openViewFor(o: OpenViewOptions): Promise<ViewServer> {
  const urls = wsUrlList(o.wsUrl);
  const ws = { url: urls[0]!, ...(urls.length > 1 ? { urls } : {}), ...(o.username ? { username: o.username } : {}), ...(o.password ? { password: o.password } : {}) };
  const server = await startViewServer({
    config: viewConfig({ mode: 'live', ws, scenario: o.scenario, tiles: o.tilesDir !== undefined }),
    ...(o.tilesDir ? { tilesDir: o.tilesDir } : {}),
    ...(o.host ? { host: o.host } : {}),
    ...(o.port !== undefined ? { port: o.port } : {}),
  });
  if (o.launch) launchBrowser(server.url);
  return server;
}

/** Best effort: a desktop opener if there is a display; never fails the command. */
export function launchBrowser(url: string): void {
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? undefined : process.env.DISPLAY || process.env.WAYLAND_DISPLAY ? 'xdg-open' : undefined;
  if (!opener) return;
  try {
    const p = spawn(opener, [url], { stdio: 'ignore', detached: true });
    p.on('error', () => undefined);
    p.unref();
  } catch {
    // no opener: the URL is printed anyway
  }
}

/** `ws://a/mqtt,ws://b/mqtt` → the list (blanks dropped); every entry must be ws:// or wss://. */
export function wsUrlList(list: string): string[] {
  const urls = list.split(',').map((u) => u.trim()).filter(Boolean);
  if (urls.length === 0) throw new RangeError('no WebSocket URL given');
  for (const u of urls) if (!/^wss?:\/\/[^/]/.test(u)) throw new RangeError(`'${u}': the browser needs MQTT over WebSocket (ws:// or wss://)`);
  return urls;
}
