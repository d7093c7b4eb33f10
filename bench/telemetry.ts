/**
 * Telemetry ingest at fleet scale (issue 20), ours beside the peers in one run:
 *
 * 1. Codec: one TwinState, decode + validate (`proto.decode`: protobufjs decode, the compiled plain
 *    converter, header and semantic checks) against `JSON.parse` + the same checks on the same
 *    message as JSON, and against the previous codec (protobufjs toObject + recursive null strip).
 *    Alternating batches of 1 000 so load hits all alike; median of the rounds.
 * 2. Ingest through the Mosquitto at --url (default 127.0.0.1:1883), QoS 0: a fleet process with one
 *    MQTT connection per UAV publishes the same TwinState as protobuf or as JSON; the controller's
 *    path (real `Bus` + `TwinStore`, own process) and a bare subscriber that only runs
 *    `JSON.parse` (own process) take turns. Drain: the subscriber is paused while --drain messages
 *    are published, then resumed; its receive rate is its capacity, whatever the publisher's speed.
 *    Steady: --rate messages/s for --seconds; delivered fraction and the subscriber's CPU per message.
 *
 * 3. The twin update alone (bench/telemetry-twin.ts): the controller's store against the pure
 *    persistent map, a copy per report and a bare Map.set, at 100 to 10 000 UAVs.
 *
 * Writes the "Telemetry ingest" section of docs/benchmarks.md.
 * Run: npm run bench:telemetry -- [--url mqtt://127.0.0.1:1883] [--uavs 100,1000] [--seconds 2] [--rounds 5]
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { decode, encode, lookupType, validateMessage, CONTRACT_VERSION, type TwinState } from '../proto/index.ts';
import { REFERENCE_TO_OBJECT, referencePlain } from '../proto/reference-decode.ts';
import { machineLine, writeBenchmarkSection } from './report.ts';
import { benchTwinState } from './telemetry-message.ts';
import { twinUpdateLines, twinUpdateRows } from './telemetry-twin.ts';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] ?? dflt : dflt;
}
if (process.argv.includes('--help')) {
  console.log('usage: npm run bench:telemetry -- [--url mqtt://127.0.0.1:1883] [--uavs 100,1000] [--rounds 5] [--drain 10000] [--rate 5000] [--seconds 2] [--twin-uavs 100,1000,10000] [--no-ingest]');
  console.log('  --no-ingest: the codec and twin-update parts only (no broker needed); prints the section without writing it');
  process.exit(0);
}
const URL_ = arg('url', 'mqtt://127.0.0.1:1883');
const FLEETS = arg('uavs', '100,1000').split(',').map(Number);
const SECONDS = Number(arg('seconds', '2'));
const ROUNDS = Number(arg('rounds', '5'));
const DRAIN = Number(arg('drain', '10000'));
const RATE = Number(arg('rate', '5000'));
const TWIN_FLEETS = arg('twin-uavs', '100,1000,10000').split(',').map(Number);
const INGEST = !process.argv.includes('--no-ingest');
if (FLEETS.some((n) => !(n >= 1 && n <= 5000)) || TWIN_FLEETS.some((n) => !(n >= 1 && n <= 100_000)) || !(SECONDS > 0) || !(ROUNDS > 0) || !(DRAIN > 0) || !(RATE > 0)) {
  console.error('--uavs takes a comma list of 1–5000, --twin-uavs of 1–100000; --seconds, --rounds, --drain and --rate positive numbers');
  process.exit(2);
}
/** Seconds after its start before a subscriber is measured (see `ingest`). */
const WARM_S = 15;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// ---------- 1. codec ----------

/** Header checks of proto/codec.ts `decode`, applied to the JSON peer too. */
function headerOk(m: TwinState): boolean {
  const h = m.header;
  return !!h && h.version === CONTRACT_VERSION && h.sender !== '' && h.t_us > 0;
}

interface CodecRow {
  name: string;
  usPerMsg: number;
}

function codecBench(): CodecRow[] {
  const msg = benchTwinState(7, Date.now() * 1000);
  const bytes = encode('TwinState', msg);
  const json = JSON.stringify(msg);
  const type = lookupType('TwinState');
  const paths: [string, () => boolean][] = [
    ['proto decode + validate (ours)', () => decode('TwinState', bytes).ok],
    ['JSON.parse + validate (peer)', () => {
      const m = JSON.parse(json) as TwinState;
      return headerOk(m) && validateMessage('TwinState', m) === undefined;
    }],
    ['previous codec: toObject + stripNulls + validate', () => {
      const m = referencePlain(type, type.decode(bytes)) as TwinState;
      return headerOk(m) && validateMessage('TwinState', m) === undefined;
    }],
    ['JSON.parse alone', () => (JSON.parse(json) as TwinState).uav_id === 7],
    ['protobufjs decode + toObject alone', () => (type.toObject(type.decode(bytes), REFERENCE_TO_OBJECT) as TwinState).uav_id === 7],
  ];
  for (const [name, f] of paths) for (let i = 0; i < 20_000; i++) if (!f()) throw new Error(`${name}: the bench message does not pass`);
  const per = paths.map(() => [] as number[]);
  for (let r = 0; r < ROUNDS; r++) {
    const acc = paths.map(() => 0);
    for (let b = 0; b < 50; b++) {
      paths.forEach(([, f], k) => {
        const t0 = performance.now();
        for (let i = 0; i < 1000; i++) f();
        acc[k]! += performance.now() - t0;
      });
    }
    acc.forEach((ms, k) => per[k]!.push((ms * 1000) / 50_000));
  }
  return paths.map(([name], k) => ({ name, usPerMsg: median(per[k]!) }));
}

// ---------- 2. ingest through Mosquitto ----------

/**
 * V8 flags of the "ours, large young generation" subscriber: a 64 MB semi-space (the default grows
 * from 1 MB to 16 MB). At 1 000 UAVs each twin entry lives for 1 000 reports; with the default the
 * young generation is scavenged several times in that span, so every entry is copied and promoted
 * before it dies, which costs the controller's path ≈ 1.3 µs per message (issue 20).
 */
export const LARGE_YOUNG_GEN = ['--max-semi-space-size=64', '--min-semi-space-size=32'];

function child(file: string, args: string[], flags: string[] = []): Promise<ChildProcess> {
  const c = fork(path.join(import.meta.dirname, file), args, { execArgv: [...flags, '--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    c.once('message', () => resolve(c));
    c.once('exit', (code) => reject(new Error(`${file} exited (${code}) before it was ready: is the broker at ${URL_} running?`)));
  });
}
function ask<T>(c: ChildProcess, msg: object): Promise<T> {
  return new Promise((resolve) => {
    c.once('message', (m) => resolve(m as T));
    c.send(msg);
  });
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Mark {
  received: number;
  cpuUs: number;
  firstMs?: number;
  lastMs: number;
}
interface Drain {
  sent: number;
  delivered: number;
  perS: number;
  cpuUsPerMsg: number;
}
/**
 * The subscribers of one pass: ours (default V8 or the large young generation), the JSON peer
 * (mqtt.js defaults) and the JSON peer with mqtt.js's debug logger off, as the `Bus` runs mqtt.js
 * (so the table shows how much of the difference that setting is).
 */
type SubKind = 'ours' | 'json' | 'jsonq' | 'raw';
const SUBS: readonly SubKind[] = ['ours', 'json', 'jsonq', 'raw'];
type Format = 'proto' | 'json' | 'jsonq' | 'raw';
const FORMAT: Record<SubKind, Format> = { ours: 'proto', json: 'json', jsonq: 'jsonq', raw: 'raw' };
/** One value per subscriber kind. */
const perSub = <T>(f: (k: SubKind) => T): Record<SubKind, T> => Object.fromEntries(SUBS.map((k) => [k, f(k)])) as Record<SubKind, T>;
type Variant = 'default' | 'young64';
interface Steady {
  delivered: number;
  cpuUsPerMsg: number;
}
interface IngestRow {
  uavs: number;
  variant: Variant;
  drain: Record<SubKind, Drain>;
  steady: Record<SubKind, Steady>;
}

/**
 * Subscriber capacity: the subscriber is stopped (SIGSTOP) while the fleet publishes `count`
 * messages, so the broker and the socket hold them; then it is resumed and drains them as fast as
 * it can. Rate = messages ÷ (last − first receive time); the publisher's speed does not enter.
 */
async function drain(fleet: ChildProcess, sub: ChildProcess, format: Format, count: number): Promise<Drain> {
  const a = await ask<Mark>(sub, { cmd: 'mark' });
  sub.kill('SIGSTOP');
  const run = await ask<{ sent: number }>(fleet, { cmd: 'run', rate: 1e9, seconds: count / 1e9, format });
  await sleep(300);
  sub.kill('SIGCONT');
  let prev = -1;
  let b = await ask<Mark>(sub, { cmd: 'peek' });
  while (b.received !== prev) {
    prev = b.received;
    await sleep(400);
    b = await ask<Mark>(sub, { cmd: 'peek' });
  }
  b = await ask<Mark>(sub, { cmd: 'mark' });
  const got = b.received - a.received;
  return { sent: run.sent, delivered: got / run.sent, perS: got > 1 && b.firstMs !== undefined ? ((got - 1) / (b.lastMs - b.firstMs)) * 1000 : 0, cpuUsPerMsg: (b.cpuUs - a.cpuUs) / got };
}

/** A steady offered rate: delivered fraction and the subscriber's CPU per message. */
async function steady(fleet: ChildProcess, sub: ChildProcess, format: Format, rate: number): Promise<Steady> {
  const a = await ask<Mark>(sub, { cmd: 'mark' });
  const run = await ask<{ sent: number }>(fleet, { cmd: 'run', rate, seconds: SECONDS, format });
  await sleep(500);
  const b = await ask<Mark>(sub, { cmd: 'mark' });
  const got = b.received - a.received;
  return { delivered: got / run.sent, cpuUsPerMsg: (b.cpuUs - a.cpuUs) / got };
}

/**
 * One pass at `uavs`: our subscriber (`variant`: default V8 flags or the large young generation)
 * and the JSON peer, taking turns. Only these two run: two of ours would both receive every
 * protobuf message (one contract topic), so one would measure while the other competed for the CPU.
 */
async function ingest(uavs: number, variant: Variant): Promise<IngestRow> {
  const fleet = await child('telemetry-fleet.ts', [URL_, String(uavs)]);
  const spawnedMs = performance.now();
  const subs = {
    ours: await child('telemetry-sub.ts', [URL_, 'bus'], variant === 'young64' ? LARGE_YOUNG_GEN : []),
    json: await child('telemetry-sub.ts', [URL_, 'json']),
    jsonq: await child('telemetry-sub.ts', [URL_, 'jsonq']),
    raw: await child('telemetry-sub.ts', [URL_, 'raw']),
  };
  try {
    // Warm-up (JIT, twin filled with every UAV), not counted; then wait until every subscriber
    // is WARM_S old: in its first ≈ 10 s V8's memory reducer runs full GCs (up to 70 ms each)
    // on the tsx loader's thread, a one-time cost that would land in whichever window was open.
    for (const k of SUBS) await steady(fleet, subs[k], FORMAT[k], 5000);
    await sleep(Math.max(0, WARM_S * 1000 - (performance.now() - spawnedMs)));
    const drains = perSub((): Drain[] => []);
    const steadies = perSub((): Steady[] => []);
    const label = (k: SubKind) => (k === 'ours' ? `ours/${variant}` : k).padEnd(13);
    for (let r = 0; r < ROUNDS; r++) {
      const order = r % 2 ? [...SUBS].reverse() : SUBS;
      for (const k of order) {
        const d = await drain(fleet, subs[k], FORMAT[k], DRAIN);
        drains[k].push(d);
        console.log(`${uavs} UAVs ${label(k)} drain: ${Math.round(d.perS)}/s, ${(d.delivered * 100).toFixed(2)} % of ${d.sent}, ${d.cpuUsPerMsg.toFixed(1)} µs CPU/msg`);
      }
      for (const k of order) {
        const st = await steady(fleet, subs[k], FORMAT[k], RATE);
        steadies[k].push(st);
        console.log(`${uavs} UAVs ${label(k)} steady ${RATE}/s: ${(st.delivered * 100).toFixed(2)} % delivered, ${st.cpuUsPerMsg.toFixed(1)} µs CPU/msg`);
      }
    }
    const med = (ds: Drain[]): Drain => ({ sent: ds[0]!.sent, delivered: median(ds.map((d) => d.delivered)), perS: median(ds.map((d) => d.perS)), cpuUsPerMsg: median(ds.map((d) => d.cpuUsPerMsg)) });
    const medS = (ss: Steady[]): Steady => ({ delivered: Math.min(...ss.map((x) => x.delivered)), cpuUsPerMsg: median(ss.map((x) => x.cpuUsPerMsg)) });
    return {
      uavs,
      variant,
      drain: perSub((k) => med(drains[k])),
      steady: perSub((k) => medS(steadies[k])),
    };
  } finally {
    for (const c of [fleet, ...Object.values(subs)]) {
      c.kill('SIGCONT');
      c.send({ cmd: 'exit' });
    }
    await sleep(300);
  }
}

const codec = codecBench();
for (const r of codec) console.log(`${r.name}: ${r.usPerMsg.toFixed(2)} µs`);
const twinRows = await twinUpdateRows(TWIN_FLEETS, 3, 300_000);
const rows: IngestRow[] = [];
if (INGEST) for (const n of FLEETS) for (const v of ['default', 'young64'] as const) rows.push(await ingest(n, v));

const f0 = (x: number) => Math.round(x).toLocaleString('en-US');
const ours = codec[0]!.usPerMsg;
const lines = [
  '## Telemetry ingest',
  '',
  `${machineLine()}; Mosquitto at ${URL_}. Command: \`npm run bench:telemetry\`.`,
  '',
  `Codec: one airborne TwinState (${encode('TwinState', benchTwinState(7, Date.now() * 1000)).length} bytes protobuf, ${JSON.stringify(benchTwinState(7, Date.now() * 1000)).length} bytes JSON), median of ${ROUNDS} rounds of 50 alternating batches of 1 000. Target: decode + validate faster than JSON.parse + validate.`,
  '',
  '| path | µs per message | messages/s | × JSON.parse + validate |',
  '|---|---:|---:|---:|',
  ...codec.map((r) => `| ${r.name} | ${r.usPerMsg.toFixed(2)} | ${f0(1e6 / r.usPerMsg)} | ${(codec[1]!.usPerMsg / r.usPerMsg).toFixed(2)} |`),
  '',
  `Ingest through Mosquitto, QoS 0: one fleet process (one MQTT connection per UAV) publishes the TwinState as protobuf on the contract topic or as JSON on \`bench/json/uav/{id}/twin\`; ours = the controller's twin path (the real \`Bus\`: topic match, decode + validate, then the twin's \`TwinStore.apply\`, with the snapshot and fleet-state reads the controller makes), peer = a bare mqtt.js client (its defaults) that only runs \`JSON.parse\`; "JSON, logger off" = the same peer with mqtt.js's debug logger replaced by a no-op (\`log\` option), as the \`Bus\` runs mqtt.js unless \`DEBUG\` selects mqttjs (mqtt.js calls it 6 times per inbound QoS 0 PUBLISH); "raw" = a bare client (logger off) that only counts the bytes of the same protobuf messages ours receives (published on \`bench/raw/…\`): what the transport alone costs for our stream; each in its own process. Each row is one pass: our subscriber and the three peers, alone on the broker, taking turns, median of ${ROUNDS} rounds (only one of ours runs at a time: two would both receive every protobuf message and compete for the 2 cores). "64 MB" = ours started with \`${LARGE_YOUNG_GEN.join(' ')}\` (e.g. \`NODE_OPTIONS="${LARGE_YOUNG_GEN.join(' ')}" uavmec controller …\`), V8's young generation enlarged from its default (1 MB grown to 16 MB). Drain = the subscriber is paused (SIGSTOP) while ${f0(DRAIN)} messages are published, then resumed: messages/s from its first to its last receive, so the publisher's own speed does not cap it, and its CPU (user + system) per message received meanwhile (less bent by the other processes on the machine; the JSON payloads are 3× larger, so the broker may drop some of them while the JSON subscriber is paused). Every subscriber is warmed up with traffic and measured only once it is ${WARM_S} s old (before that V8's memory reducer runs one-time full GCs on the tsx loader's thread, up to 70 ms each). Steady = ${f0(RATE)} messages/s offered for ${SECONDS} s: worst delivered fraction and the subscriber's CPU (user + system) per message. Ours minus raw is what our code adds per message on the same stream (decode + validate + twin + topic match); raw against JSON is how differently the transport treats the two streams. Target: ours ≥ 0.9× the bare-JSON subscriber at 100 and 1 000 UAVs (drain, default flags).`,
  '',
  '| UAVs | ours: V8 young generation | drain msgs/s: ours / JSON / JSON, logger off / raw | × JSON | × JSON, logger off | drain CPU µs/msg: ours / JSON / JSON, logger off / raw | × JSON by CPU | drain delivered %: ours / JSON / JSON, logger off / raw | steady CPU µs/msg: ours / JSON / JSON, logger off / raw | steady delivered %: ours / JSON / JSON, logger off / raw |',
  '|---:|---|---|---:|---:|---|---:|---|---|---|',
  ...rows.map((r) => {
    const all = (f: (k: SubKind) => string) => SUBS.map(f).join(' / ');
    return `| ${r.uavs} | ${r.variant === 'default' ? 'default' : '64 MB'} | ${all((k) => f0(r.drain[k].perS))} | ${(r.drain.ours.perS / r.drain.json.perS).toFixed(2)} | ${(r.drain.ours.perS / r.drain.jsonq.perS).toFixed(2)} | ${all((k) => r.drain[k].cpuUsPerMsg.toFixed(1))} | ${(r.drain.json.cpuUsPerMsg / r.drain.ours.cpuUsPerMsg).toFixed(2)} | ${all((k) => (r.drain[k].delivered * 100).toFixed(1))} | ${all((k) => r.steady[k].cpuUsPerMsg.toFixed(1))} | ${all((k) => (r.steady[k].delivered * 100).toFixed(2))} |`;
  }),
  '',
  `Decode + validate per message: ${ours.toFixed(2)} µs ours vs ${codec[1]!.usPerMsg.toFixed(2)} µs JSON (${(codec[1]!.usPerMsg / ours).toFixed(2)}×); previous codec ${codec[2]!.usPerMsg.toFixed(2)} µs.`,
  '',
  ...twinUpdateLines(twinRows, 3),
  '',
];
const section = lines.join('\n');
console.log(section);
if (INGEST) writeBenchmarkSection('Telemetry ingest', section);
