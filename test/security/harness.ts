/**
 * Test harness: a private Mosquitto (never the system one on 1883) on a free loopback port with
 * a generated configuration in a temp dir, and raw MQTT helpers. Waits are on wall time only to
 * avoid hanging; assertions are on what was delivered.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';

export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

const temps: string[] = [];

export function tempDir(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `uavmec-${prefix}-`));
  temps.push(d);
  return d;
}

/** Removes every directory made by `tempDir` in this process. */
export function removeTempDirs(): void {
  for (const d of temps.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

export interface MosquittoProcess {
  port: number;
  log(): string;
  stop(): Promise<void>;
}

/** Starts `mosquitto -c conf` and resolves once `port` accepts TCP connections. */
export async function startMosquitto(confPath: string, port: number): Promise<MosquittoProcess> {
  const child: ChildProcess = spawn('mosquitto', ['-c', confPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  let exited = false;
  child.on('exit', () => (exited = true));
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (exited) throw new Error(`mosquitto exited:\n${log}`);
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (up) break;
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`mosquitto did not listen on ${port}:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    log: () => log,
    stop: async () => {
      if (exited) return;
      const done = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      await done;
    },
  };
}

/** Connects a raw MQTT client; resolves with the client or the connection error. */
export async function rawConnect(url: string, opts: IClientOptions): Promise<{ client?: MqttClient; error?: Error }> {
  try {
    const client = await mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 5000, ...opts });
    return { client };
  } catch (e) {
    return { error: e as Error };
  }
}

/** Collects every message a client receives. */
export function collect(client: MqttClient): { topic: string; payload: string }[] {
  const got: { topic: string; payload: string }[] = [];
  client.on('message', (topic, payload) => got.push({ topic, payload: payload.toString() }));
  return got;
}

export async function waitUntil(pred: () => boolean, what: string, wallMs = 5000): Promise<void> {
  const deadline = Date.now() + wallMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export interface Closable {
  close(): Promise<void>;
}

/** A test file's `after`: closes what it opened (last first, errors ignored), stops its broker, removes its temp dirs. */
export async function teardown(open: Closable[], broker: MosquittoProcess | undefined): Promise<void> {
  for (const c of open.splice(0).reverse()) await c.close().catch(() => undefined);
  await broker?.stop();
  removeTempDirs();
}

/** The client certificate and key of `identity` in a `uavmec keys` directory (PEM). */
export function certFiles(dir: string, identity: string): { cert: Buffer; key: Buffer } {
  return { cert: fs.readFileSync(path.join(dir, `${identity}.crt`)), key: fs.readFileSync(path.join(dir, `${identity}.key`)) };
}
