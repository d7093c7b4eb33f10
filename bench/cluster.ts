/**
 * Telemetry ingest through a clustered broker vs a single Mosquitto (issue 19), side by side in
 * one run. P agents publish TwinState (QoS 1, through the real bus: header, protobuf) as fast as a
 * window of W unacknowledged publishes each allows; one controller-side bus subscribes to
 * `uavmec/v1/uav/+/twin` (decode + validate every message). Agents connect round-robin to the
 * nodes, the controller to the last node, so on a cluster most messages cross a route.
 * Reported: messages/s (all messages / time from first publish to last arrival), unique messages
 * lost (published and acknowledged but never received), duplicates, and end-to-end latency.
 * The "node killed" row kills the first node (SIGKILL) half-way: its agents fail over along
 * their broker lists.
 *
 * Targets: the system Mosquitto at 127.0.0.1:1883 (skipped if absent), a 3-node nats-server
 * cluster this benchmark starts, and any `--target name=url1,url2,…` (e.g. a RabbitMQ cluster from
 * deploy/cluster/rabbitmq-loopback.sh). Writes the "## Clustered broker ingest" section of
 * docs/benchmarks.md (`--no-write` to only print).
 * Run: node --import tsx bench/cluster.ts [--messages 1500] [--agents 8] [--window 16]
 */
import os from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { WallClock } from '../core/clock.ts';
import { Bus } from '../apps/common/bus.ts';
import { silentLogger } from '../apps/common/log.ts';
import { startNatsCluster, type NatsCluster } from '../apps/cluster/index.ts';
import { writeBenchmarkSection } from './report.ts';

const { values: a } = parseArgs({
  options: {
    messages: { type: 'string', default: '1500' },
    agents: { type: 'string', default: '8' },
    window: { type: 'string', default: '16' },
    target: { type: 'string', multiple: true, default: [] },
    'no-write': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (a.help) {
  console.log('Usage: node --import tsx bench/cluster.ts [--messages N per agent] [--agents P] [--window W] [--target name=url1,url2,…]… [--no-write]');
  process.exit(0);
}
const M = Number(a.messages);
const P = Number(a.agents);
const W = Number(a.window);
if (![M, P, W].every((x) => Number.isInteger(x) && x > 0)) {
  console.error('--messages, --agents and --window must be positive integers');
  process.exit(2);
}

interface Row {
  target: string;
  session: 'clean' | 'persistent';
  nodes: number;
  chaos: string;
  sent: number;
  unique: number;
  lost: number;
  dup: number;
  seconds: number;
  rate: number;
  p50ms: number;
  p99ms: number;
  failovers: number;
}

const pct = (xs: number[], q: number) => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : NaN;
};

async function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((r) => {
    const s = net.connect(port, host);
    s.once('connect', () => {
      s.destroy();
      r(true);
    });
    s.once('error', () => r(false));
  });
}

async function run(target: string, urls: string[], kill?: () => Promise<void>, session: Row['session'] = 'persistent'): Promise<Row> {
  const clock = new WallClock();
  const log = silentLogger();
  const tag = `${target.replace(/\W/g, '')}-${process.pid}-${Date.now() % 1e6}`;
  const order = (first: number) => [...urls.slice(first), ...urls.slice(0, first)].join(',');
  // The controller's session as missions use it: clean on a single broker, persistent on a cluster (it rides out the stall).
  const ctl = await Bus.connect({ url: order(urls.length - 1), clientId: `bench-ctl-${tag}`, sender: 'controller', clock, log, persistentSession: session === 'persistent' });
  // UAV ids of this run only: the system Mosquitto may carry other missions' twins meanwhile.
  const base = 100_000 + (process.pid % 9000) * 100 + (Date.now() % 97);
  const ours = (id: number) => id > base && id <= base + P;
  const seen = new Set<string>();
  let dup = 0;
  let last = 0;
  const lat: number[] = [];
  await ctl.subscribe('twin', {}, (m, d) => {
    if (!ours(m.uav_id)) return;
    const k = `${m.uav_id}:${m.plan_seq}`;
    if (seen.has(k)) return void dup++;
    seen.add(k);
    last = performance.now();
    lat.push((d.recvUs - m.header!.t_us) / 1000);
  });
  const agents: Bus[] = [];
  for (let i = 0; i < P; i++) {
    agents.push(await Bus.connect({ url: order(i % urls.length), clientId: `bench-uav-${i + 1}-${tag}`, sender: `uav-${base + i + 1}`, clock, log, persistentSession: true }));
  }
  const total = P * M;
  let sent = 0;
  let killed: Promise<void> | undefined;
  const t0 = performance.now();
  await Promise.all(
    agents.map(async (bus, i) => {
      const inflight = new Set<Promise<void>>();
      for (let s = 1; s <= M; s++) {
        const p = bus.publish('twin', { uav: base + i + 1 }, { uav_id: base + i + 1, plan_seq: s, cpu_hz_available: 1e9, bandwidth_hz: 1e6, battery_pct: 80, position: { x_east_m: s % 50, y_north_m: i, alt_m: 15 } }).then(() => void inflight.delete(p));
        inflight.add(p);
        sent++;
        if (kill && !killed && sent >= total / 2) killed = kill();
        if (inflight.size >= W) await Promise.race(inflight);
      }
      await Promise.all(inflight);
    }),
  );
  await killed;
  // Wait for the stragglers: until everything arrived, or nothing new for 10 s.
  let n = -1;
  let idleSince = performance.now();
  while (seen.size < total && performance.now() - idleSince < 10_000) {
    if (seen.size !== n) {
      n = seen.size;
      idleSince = performance.now();
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const seconds = (last - t0) / 1000;
  const failovers = agents.reduce((s, b) => s + b.stats.connects - 1, 0);
  for (const b of [...agents, ctl]) await b.close().catch(() => undefined);
  return { target, session, nodes: urls.length, chaos: kill ? 'node 1 killed half-way' : '—', sent: total, unique: seen.size, lost: total - seen.size, dup, seconds, rate: seen.size / seconds, p50ms: pct(lat, 0.5), p99ms: pct(lat, 0.99), failovers };
}

const rows: Row[] = [];
const show = (r: Row) => console.log(`${r.target} (${r.nodes} node${r.nodes > 1 ? 's' : ''}${r.chaos !== '—' ? `, ${r.chaos}` : ''}): ${Math.round(r.rate)} msgs/s, lost ${r.lost}/${r.sent}, dup ${r.dup}, p50 ${r.p50ms.toFixed(1)} ms, p99 ${r.p99ms.toFixed(1)} ms, failovers ${r.failovers}`);

if (await reachable('127.0.0.1', 1883)) {
  rows.push(await run('Mosquitto 2.0 (system)', ['mqtt://127.0.0.1:1883'], undefined, 'clean'));
  show(rows.at(-1)!);
} else console.log('no Mosquitto at 127.0.0.1:1883: its row is skipped');

const dir = mkdtempSync(join(os.tmpdir(), 'uavmec-bench-cluster-'));
let cluster: NatsCluster | undefined;
try {
  cluster = await startNatsCluster({ nodes: 3, dir });
  rows.push(await run('nats-server 2.9 MQTT/JetStream R3 (uavmec: limits-retention stream)', cluster.urls));
  show(rows.at(-1)!);
  const c = cluster;
  rows.push(await run('nats-server 2.9 MQTT/JetStream R3 (uavmec: limits-retention stream)', cluster.urls, () => c.kill(0)));
  show(rows.at(-1)!);
} finally {
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
}
// nats-server's own `$MQTT_msgs` (interest retention), for the record: what the limits stream fixed (apps/cluster/jetstream.ts).
const dir2 = mkdtempSync(join(os.tmpdir(), 'uavmec-bench-cluster-'));
let interest: NatsCluster | undefined;
try {
  interest = await startNatsCluster({ nodes: 3, dir: dir2, mqttMessagesRetention: 'interest' });
  rows.push(await run('nats-server 2.9, its default interest-retention stream', interest.urls));
  show(rows.at(-1)!);
} finally {
  await interest?.stop();
  rmSync(dir2, { recursive: true, force: true });
}
for (const t of a.target) {
  const eq = t.indexOf('=');
  if (eq < 1) {
    console.error(`--target wants name=url1,url2,…, got '${t}'`);
    process.exit(2);
  }
  const urls = t.slice(eq + 1).split(',');
  rows.push(await run(t.slice(0, eq), urls));
  show(rows.at(-1)!);
}

const section = [
  '## Clustered broker ingest',
  '',
  `Machine: ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${os.cpus().length} cores; Node ${process.version}; ${new Date().toISOString().slice(0, 10)}; 1-min load average at the end ${os.loadavg()[0]!.toFixed(1)}. Command: \`npm run bench:cluster\`${a.target.length ? ' with ' + a.target.map((t) => `\`--target ${t.split('=')[0]}=…\``).join(' ') : ''}.`,
  `${P} agents × ${M} TwinState messages (QoS 1 through the bus, ≤ ${W} unacknowledged each) into one controller-side subscriber that decodes and validates each (clean session on Mosquitto, persistent on the clusters, as missions use them); agents round-robin over the nodes, the controller on the last node. Rate = messages / (first publish → last arrival): the ingest rate at which the row's loss was measured. "lost" = published, acknowledged by the broker, never received. One subscriber cannot show the loss of nats-server's own interest-retention stream (it needs several subscribers with replicated consumers: 0.3–1.4 % lost per subscriber with three, no node killed — docs/failover.md, "Telemetry loss"; \`test/cluster/qos1-fanout.test.ts\`); the limits-retention stream uavmec creates is what the other NATS rows run on. RabbitMQ 3.10 is not in this run (its row in deploy/cluster/README.md: 0 lost, p50 1,135 ms, retained messages node-local).`,
  '',
  '| broker | nodes | subscriber session | chaos | messages | lost | duplicates | msgs/s | p50 ms | p99 ms | agent failovers |',
  '|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ...rows.map((r) => `| ${r.target} | ${r.nodes} | ${r.session} | ${r.chaos} | ${r.sent} | ${r.lost} | ${r.dup} | ${Math.round(r.rate).toLocaleString('en-US')} | ${r.p50ms.toFixed(1)} | ${r.p99ms.toFixed(1)} | ${r.failovers} |`),
].join('\n');
console.log(`\n${section}`);
if (!a['no-write']) writeBenchmarkSection('Clustered broker ingest', section);
