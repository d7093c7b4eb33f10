/**
 * MAVLink codec throughput: packets/s serialised (MavlinkEncoder.encode) and parsed
 * (MavlinkDecoder.push on a concatenated stream) for HEARTBEAT, GLOBAL_POSITION_INT and
 * SET_POSITION_TARGET_LOCAL_NED, unsigned and signed. Prints a table and writes it to
 * docs/benchmarks.md under "## MAVLink codec" (replacing that section only).
 *
 * Run: node --import tsx bench/mavlink.ts [--packets 20000]
 */
import { writeBenchmarkSection } from './report.ts';
import os from 'node:os';
import { common, minimal } from 'node-mavlink';
import type { MavLinkData } from 'node-mavlink';
import { WallClock } from '../core/clock.ts';
import { MavlinkDecoder, MavlinkEncoder } from '../firmware-bridge/mavlink/index.ts';

const argIdx = process.argv.indexOf('--packets');
const N = argIdx > 0 ? Number(process.argv[argIdx + 1]) : 20_000;
const KEY = Buffer.alloc(32, 0x42);

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
  decodePerS: number;
}

function bench(name: string, make: () => MavLinkData, signed: boolean): Row {
  const clock = new WallClock();
  const enc = new MavlinkEncoder({ sysid: 1, compid: 1, ...(signed ? { signing: { key: KEY, linkId: 1, clock } } : {}) });
  const msg = make();
  for (let i = 0; i < 1000; i++) enc.encode(msg); // warm-up
  const frames: Buffer[] = new Array<Buffer>(N);
  let t0 = performance.now();
  for (let i = 0; i < N; i++) frames[i] = enc.encode(msg);
  const encMs = performance.now() - t0;
  const stream = Buffer.concat(frames);
  const chunk = 4096;
  new MavlinkDecoder(signed ? { signing: { key: KEY } } : {}).push(stream.subarray(0, Math.min(stream.length, 50_000))); // warm-up
  const dec = new MavlinkDecoder(signed ? { signing: { key: KEY } } : {});
  let got = 0;
  t0 = performance.now();
  for (let i = 0; i < stream.length; i += chunk) got += dec.push(stream.subarray(i, i + chunk)).length;
  const decMs = performance.now() - t0;
  if (got !== N) throw new Error(`${name}: decoded ${got} of ${N} (stats ${JSON.stringify(dec.stats)})`);
  return { message: name, signed, bytes: frames[0]!.length, encodePerS: (N / encMs) * 1000, decodePerS: (N / decMs) * 1000 };
}

const rows: Row[] = [];
for (const [name, make] of Object.entries(messages())) for (const signed of [false, true]) rows.push(bench(name, make, signed));

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const lines = [
  '## MAVLink codec',
  '',
  `Machine: ${cpu}, ${os.cpus().length} cores; Node ${process.version}; ${new Date().toISOString().slice(0, 10)}. ` +
    `${N.toLocaleString('en-US')} packets per row; decode = stream parse in 4 KiB chunks incl. CRC (and SHA-256 signature + replay check when signed) and field decoding. Command: \`node --import tsx bench/mavlink.ts\`.`,
  '',
  '| message | signed | frame bytes | encode packets/s | decode packets/s |',
  '|---|---|---:|---:|---:|',
  ...rows.map((r) => `| ${r.message} | ${r.signed ? 'yes' : 'no'} | ${r.bytes} | ${fmt(r.encodePerS)} | ${fmt(r.decodePerS)} |`),
  '',
];
const section = lines.join('\n');
console.log(section);

writeBenchmarkSection('MAVLink codec', section);
