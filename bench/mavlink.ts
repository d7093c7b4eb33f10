/**
 * MAVLink codec throughput: packets/s serialised (MavlinkEncoder.encode) and parsed
 * (MavlinkDecoder.push on a concatenated stream) for HEARTBEAT, GLOBAL_POSITION_INT and
 * SET_POSITION_TARGET_LOCAL_NED, unsigned and signed, each beside node-mavlink doing the same work
 * in the same run (MavLinkProtocolV2.serialize + sign; MavLinkPacketSplitter → MavLinkPacketParser
 * → protocol.data, + signature.matches when signed) on the same frames. Encoding alternates batches
 * of 500 packets between the two so load on the shared machine hits both alike; each row is the
 * median of `--rounds` rounds.
 * Prints a table and writes it to docs/benchmarks.md under "## MAVLink codec" (that section only).
 *
 * Run: node --import tsx bench/mavlink.ts [--packets 20000] [--rounds 5]
 */
import { machineLine, writeBenchmarkSection } from './report.ts';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { common, minimal, MavLinkPacketParser, MavLinkPacketSplitter, MavLinkProtocolV2 } from 'node-mavlink';
import type { MavLinkData, MavLinkPacket } from 'node-mavlink';
import { WallClock } from '../core/clock.ts';
import { MavlinkDecoder, MavlinkEncoder } from '../firmware-bridge/mavlink/index.ts';

const argIdx = process.argv.indexOf('--packets');
const N = argIdx > 0 ? Number(process.argv[argIdx + 1]) : 20_000;
const roundsIdx = process.argv.indexOf('--rounds');
const ROUNDS = roundsIdx > 0 ? Number(process.argv[roundsIdx + 1]) : 5;
if (process.argv.includes('--help')) {
  console.log('usage: node --import tsx bench/mavlink.ts [--packets N] [--rounds R]   (writes the "MAVLink codec" section of docs/benchmarks.md)');
  process.exit(0);
}
if (!(N > 0) || !(ROUNDS > 0)) {
  console.error('--packets and --rounds must be positive integers');
  process.exit(2);
}
const KEY = Buffer.alloc(32, 0x42);
const REGISTRY = { ...minimal.REGISTRY, ...common.REGISTRY } as Record<number, new () => MavLinkData>;

function messages(): Record<string, () => MavLinkData> {
  return {
    HEARTBEAT: () => {
      const m = new minimal.Heartbeat();
      m.type = minimal.MavType.QUADROTOR;
      m.autopilot = minimal.MavAutopilot.PX4;
      m.baseMode = 157 as minimal.MavModeFlag;
      m.customMode = 393216;
      m.systemStatus = minimal.MavState.ACTIVE;
      return m;
    },
    GLOBAL_POSITION_INT: () => {
      const m = new common.GlobalPositionInt();
      m.timeBootMs = 123456;
      m.lat = 473977418;
      m.lon = 85455939;
      m.alt = 488000;
      m.relativeAlt = 20000;
      m.vx = 150;
      m.vy = -20;
      m.vz = 5;
      m.hdg = 9000;
      return m;
    },
    SET_POSITION_TARGET_LOCAL_NED: () => {
      const m = new common.SetPositionTargetLocalNed();
      m.timeBootMs = 123456;
      m.targetSystem = 1;
      m.targetComponent = 1;
      m.coordinateFrame = 1 as common.MavFrame;
      m.typeMask = 3576 as common.PositionTargetTypemask;
      m.x = 12.5;
      m.y = -3.25;
      m.z = -20;
      return m;
    },
  };
}

interface Row {
  message: string;
  signed: boolean;
  bytes: number;
  encodePerS: number;
  peerEncodePerS: number;
  decodePerS: number;
  peerDecodePerS: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const BATCH = 500;

/**
 * Encode rates of ours and node-mavlink, measured in alternating batches of 500 packets so both
 * see the same load on the shared machine. Returns our frames (for the decode rows) and both rates.
 */
function encodeBoth(msg: MavLinkData, signed: boolean): { frames: Buffer[]; ours: number; peer: number } {
  const clock = new WallClock();
  const enc = new MavlinkEncoder({ sysid: 1, compid: 1, ...(signed ? { signing: { key: KEY, linkId: 1, clock } } : {}) });
  const protocol = new MavLinkProtocolV2(1, 1, signed ? MavLinkProtocolV2.IFLAG_SIGNED : 0);
  const peer = (i: number) => {
    const b = protocol.serialize(msg, i & 0xff);
    return signed ? protocol.sign(b, 1, KEY, 1_700_000_000_000 + i) : b;
  };
  for (let i = 0; i < 2000; i++) {
    enc.encode(msg); // warm-up
    peer(i);
  }
  const frames: Buffer[] = new Array<Buffer>(N);
  let oursMs = 0;
  let peerMs = 0;
  for (let start = 0; start < N; start += BATCH) {
    const end = Math.min(N, start + BATCH);
    let t0 = performance.now();
    for (let i = start; i < end; i++) frames[i] = enc.encode(msg);
    oursMs += performance.now() - t0;
    t0 = performance.now();
    for (let i = start; i < end; i++) peer(i);
    peerMs += performance.now() - t0;
  }
  return { frames, ours: (N / oursMs) * 1000, peer: (N / peerMs) * 1000 };
}

function decodeOurs(name: string, frames: Buffer[], signed: boolean): number {
  const stream = Buffer.concat(frames);
  const chunk = 4096;
  new MavlinkDecoder(signed ? { signing: { key: KEY } } : {}).push(stream.subarray(0, Math.min(stream.length, 50_000))); // warm-up
  const dec = new MavlinkDecoder(signed ? { signing: { key: KEY } } : {});
  let got = 0;
  const t0 = performance.now();
  for (let i = 0; i < stream.length; i += chunk) got += dec.push(stream.subarray(i, i + chunk)).length;
  const decMs = performance.now() - t0;
  if (got !== N) throw new Error(`${name}: decoded ${got} of ${N} (stats ${JSON.stringify(dec.stats)})`);
  return (N / decMs) * 1000;
}

/** node-mavlink parsing our frames: its splitter and parser streams, field decoding, signature check. */
async function peerDecode(name: string, frames: Buffer[], signed: boolean): Promise<number> {
  const stream = Buffer.concat(frames);
  const chunks: Buffer[] = [];
  for (let i = 0; i < stream.length; i += 4096) chunks.push(stream.subarray(i, i + 4096));
  let got = 0;
  let verified = 0;
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    Readable.from(chunks)
      .pipe(new MavLinkPacketSplitter())
      .pipe(new MavLinkPacketParser())
      .on('data', (p: MavLinkPacket) => {
        const clazz = REGISTRY[p.header.msgid];
        if (clazz) p.protocol.data(p.payload, clazz as never);
        if (signed && p.signature?.matches(KEY)) verified++;
        got++;
      })
      .on('end', resolve)
      .on('error', reject);
  });
  const ms = performance.now() - t0;
  if (got !== N || (signed && verified !== N)) throw new Error(`${name}: node-mavlink parsed ${got} of ${N}, ${verified} signatures verified`);
  return (N / ms) * 1000;
}

async function bench(name: string, make: () => MavLinkData, signed: boolean): Promise<Row> {
  const msg = make();
  const r = { enc: [] as number[], dec: [] as number[], penc: [] as number[], pdec: [] as number[] };
  let bytes = 0;
  for (let k = 0; k < ROUNDS; k++) {
    const e = encodeBoth(msg, signed);
    bytes = e.frames[0]!.length;
    r.enc.push(e.ours);
    r.penc.push(e.peer);
    r.dec.push(decodeOurs(name, e.frames, signed));
    r.pdec.push(await peerDecode(name, e.frames, signed));
  }
  return { message: name, signed, bytes, encodePerS: median(r.enc), peerEncodePerS: median(r.penc), decodePerS: median(r.dec), peerDecodePerS: median(r.pdec) };
}

const rows: Row[] = [];
for (const [name, make] of Object.entries(messages())) for (const signed of [false, true]) rows.push(await bench(name, make, signed));

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
const lines = [
  '## MAVLink codec',
  '',
  `${machineLine()}. ` +
    `${N.toLocaleString('en-US')} packets per row, median of ${ROUNDS} rounds; encode timed in alternating batches of ${BATCH} (ours, node-mavlink), decode on the same frames one after the other; decode = stream parse in 4 KiB chunks incl. CRC (and SHA-256 signature + replay check when signed) and field decoding. ` +
    `Peer: node-mavlink ${peerVersion()} in the same run on the same frames (serialize + sign; splitter → parser streams → protocol.data + signature.matches). ` +
    `pymavlink: ${pymavlinkNote()}. Targets (issue 20): signed encode ≥ 1.5× node-mavlink, signed decode ≥ 2×. Command: \`npm run bench:mavlink\`.`,
  '',
  '| message | signed | frame bytes | encode packets/s | node-mavlink encode/s | × | decode packets/s | node-mavlink decode/s | × |',
  '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ...rows.map(
    (r) =>
      `| ${r.message} | ${r.signed ? 'yes' : 'no'} | ${r.bytes} | ${fmt(r.encodePerS)} | ${fmt(r.peerEncodePerS)} | ${(r.encodePerS / r.peerEncodePerS).toFixed(2)} | ${fmt(r.decodePerS)} | ${fmt(r.peerDecodePerS)} | ${(r.decodePerS / r.peerDecodePerS).toFixed(2)} |`,
  ),
  '',
];
const section = lines.join('\n');
console.log(section);

writeBenchmarkSection('MAVLink codec', section);

function peerVersion(): string {
  return (JSON.parse(readFileSync(new URL('../node_modules/node-mavlink/package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

function pymavlinkNote(): string {
  const r = spawnSync('python3', ['-c', 'import pymavlink, sys; print(pymavlink.__version__ if hasattr(pymavlink, "__version__") else "present")'], { encoding: 'utf8' });
  return r.status === 0 ? `present (${r.stdout.trim()}) but not measured here` : 'not installed on this machine (only npm and Debian packages are reachable), so no pymavlink column';
}
