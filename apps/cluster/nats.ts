/**
 * A clustered MQTT broker on this machine: n nats-server nodes (MQTT over JetStream, routes between
 * every pair) on free loopback ports with their data under one directory. For missions, tests,
 * the ingest benchmark and `uavmec cluster`. Nodes can be killed (SIGKILL: a crash, not a clean
 * shutdown) and restarted on the same ports and data, which is what the chaos options do.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { natsClusterConfigs, natsNodeConfig, type NatsNodeConfig } from './config.ts';
import { createMqttMessagesStream } from './jetstream.ts';

export const NATS_SERVER_BIN = process.env.NATS_SERVER ?? '/usr/sbin/nats-server';

export interface ClusterNode {
  name: string;
  /** mqtt://host:port of this node. */
  url: string;
  /** ws://host:port/mqtt: its MQTT-over-WebSocket endpoint (for the browser view; nats-server serves MQTT on the /mqtt path). */
  wsUrl: string;
  config: NatsNodeConfig;
  /** Whether the process runs (as far as this launcher knows). */
  running: boolean;
  pid: number | undefined;
}

export interface NatsCluster {
  nodes: ClusterNode[];
  /** Every node's MQTT URL, in node order (give it to every process: they fail over along it). */
  urls: string[];
  /** Every node's MQTT-over-WebSocket URL, in node order. */
  wsUrls: string[];
  /** Kills node i (0-based) with SIGKILL and waits for it to exit. */
  kill(i: number): Promise<void>;
  /** Starts node i again on its ports and data, and waits until it takes MQTT connections. */
  restart(i: number): Promise<void>;
  /** Stops every node (SIGTERM, then SIGKILL after 5 s). */
  stop(): Promise<void>;
}

export interface NatsClusterOptions {
  nodes?: number;
  /** Data and log directory (node configs, JetStream stores, logs). */
  dir: string;
  host?: string;
  bin?: string;
  /** How long to wait for every node to take MQTT connections, ms (default 60 s). */
  readyTimeoutMs?: number;
  /**
   * Retention of `$MQTT_msgs`, the QoS 1 message stream: 'limits' (default: created by uavmec before
   * any client, messages kept 10 min; jetstream.ts) or 'interest' (nats-server's own choice, which
   * loses messages with replicated consumers: kept for comparison).
   */
  mqttMessagesRetention?: 'limits' | 'interest';
  /** Users and permissions (auth.ts, `natsAuthorization`); the stream set-up and the readiness probe log in as `systemUser`. */
  authorization?: {
    block: string;
    systemUser: { user: string; password: string };
    /** Environment of the node processes: the passwords a block made with `env` refers to (never in the config files). */
    env?: Record<string, string>;
  };
}

/** A free TCP port on `host` (the OS picks; the port is closed again before use). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

/** Resolves once an MQTT client can connect to `url` (a node answers CONNECT after JetStream is up). */
export async function waitForMqtt(url: string, timeoutMs: number, login?: { user: string; password: string }): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < until) {
    try {
      const c = await mqtt.connectAsync(url, { clientId: `uavmec-probe-${process.pid}-${Math.random().toString(36).slice(2, 8)}`, reconnectPeriod: 0, connectTimeout: 5000, protocolVersion: 4, ...(login ? { username: login.user, password: login.password } : {}) }, false);
      await c.endAsync();
      return;
    } catch (e) {
      last = (e as Error).message;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`the broker node at ${url} did not take MQTT connections within ${timeoutMs} ms (${last})`);
}

/**
 * Starts the cluster. Free ports are picked by the OS and released before nats-server binds
 * them, so another process can take one meanwhile: a node that exits while starting makes the
 * whole start retry on fresh ports (3 attempts).
 */
export async function startNatsCluster(o: NatsClusterOptions): Promise<NatsCluster> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(o);
    } catch (e) {
      if (!(e instanceof NodeExited) || attempt >= 3) throw e;
    }
  }
}

class NodeExited extends Error {}

async function startOnce(o: NatsClusterOptions): Promise<NatsCluster> {
  const n = o.nodes ?? 3;
  const host = o.host ?? '127.0.0.1';
  const bin = o.bin ?? NATS_SERVER_BIN;
  if (!existsSync(bin)) throw new Error(`nats-server not found at ${bin}: install it (apt-get install nats-server) or set NATS_SERVER`);
  if (!(n >= 1 && n <= 9)) throw new Error(`a cluster needs 1–9 nodes, got ${n}`);
  mkdirSync(o.dir, { recursive: true });
  const ports: [number, number, number, number][] = [];
  for (let i = 0; i < n; i++) ports.push([await freePort(host), await freePort(host), await freePort(host), await freePort(host)]);
  // Fresh node directories: a failed attempt's JetStream state names peers on other ports.
  for (let i = 0; i < n; i++) rmSync(join(o.dir, `n${i + 1}`), { recursive: true, force: true });
  const configs = natsClusterConfigs({ host, ports, dir: (i) => join(o.dir, `n${i + 1}`, 'jetstream'), ...(o.authorization ? { authorization: o.authorization.block } : {}) });
  const procs: (ChildProcess | undefined)[] = [];
  const nodes: ClusterNode[] = configs.map((c) => ({ name: c.name, url: `mqtt://${host}:${c.mqttPort}`, wsUrl: `ws://${host}:${c.wsPort}/mqtt`, config: c, running: false, pid: undefined }));
  const timeout = o.readyTimeoutMs ?? 60_000;

  const launch = (i: number) => {
    const c = configs[i]!;
    const nodeDir = join(o.dir, c.name);
    mkdirSync(nodeDir, { recursive: true });
    const conf = join(nodeDir, 'nats.conf');
    writeFileSync(conf, natsNodeConfig(c));
    const logFd = openSync(join(nodeDir, 'server.log'), 'a');
    const p = spawn(bin, ['-c', conf], { stdio: ['ignore', logFd, logFd], ...(o.authorization?.env ? { env: { ...process.env, ...o.authorization.env } } : {}) });
    closeSync(logFd);
    procs[i] = p;
    nodes[i]!.running = true;
    nodes[i]!.pid = p.pid;
    p.once('exit', () => {
      if (procs[i] === p) {
        nodes[i]!.running = false;
        nodes[i]!.pid = undefined;
      }
    });
  };
  const exited = (p: ChildProcess) => (p.exitCode !== null || p.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => p.once('exit', () => r())));

  const cluster: NatsCluster = {
    nodes,
    urls: nodes.map((x) => x.url),
    wsUrls: nodes.map((x) => x.wsUrl),
    async kill(i) {
      const p = procs[i];
      if (!p) return;
      p.kill('SIGKILL');
      await exited(p);
    },
    async restart(i) {
      if (nodes[i]!.running) return;
      launch(i);
      await waitForMqtt(nodes[i]!.url, timeout, o.authorization?.systemUser);
    },
    async stop() {
      await Promise.all(
        procs.map(async (p) => {
          if (!p || p.exitCode !== null || p.signalCode !== null) return;
          const t = setTimeout(() => p.kill('SIGKILL'), 5000);
          p.kill('SIGTERM');
          await exited(p);
          clearTimeout(t);
        }),
      );
    },
  };
  try {
    for (let i = 0; i < n; i++) launch(i);
    // A node that dies while starting (a port taken meanwhile) fails the attempt at once.
    const died = Promise.race(procs.map((p, i) => new Promise<never>((_, reject) => p!.once('exit', (code) => reject(new NodeExited(`broker node ${nodes[i]!.name} exited while starting (code ${code}); see ${join(o.dir, nodes[i]!.name, 'server.log')}`))))));
    // Before any MQTT client: the QoS 1 message stream with limits retention (jetstream.ts says why).
    if (o.mqttMessagesRetention !== 'interest') {
      const r = await Promise.race([createMqttMessagesStream(host, configs[0]!.clientPort, { replicas: Math.min(3, n), maxAgeS: 600, timeoutMs: timeout, ...(o.authorization ? { login: o.authorization.systemUser } : {}) }), died]);
      if (!r.created && !r.error?.includes('already in use')) throw new Error(`could not create the MQTT message stream: ${r.error}`);
    }
    // The MQTT listener answers only once JetStream has a meta leader (needs a quorum of nodes).
    await Promise.race([Promise.all(nodes.map((x) => waitForMqtt(x.url, timeout, o.authorization?.systemUser))), died]);
    died.catch(() => undefined);
  } catch (e) {
    await cluster.stop();
    throw e;
  }
  return cluster;
}
