import fs from 'node:fs';
import { readTlogFile } from '../../../firmware-bridge/tlog/index.ts';
import { sniffNotTlog } from '../../../firmware-bridge/tlog/sniff.ts';
import { formatTlogSummary, summariseTlog } from '../../report/tlog-summary.ts';
import { parse } from '../args.ts';
import { UsageError, type Command } from '../command.ts';

const command: Command = {
  name: 'tlog',
  summary: 'inspect MAVLink .tlog files from any ground station (uavmec tlog summary <file>)',
  help: `Usage: uavmec tlog summary <file.tlog>... [--json]

Reads telemetry logs written by any ground station (uavmec's agents, QGroundControl, MAVProxy,
Mission Planner: 8-byte big-endian µs timestamp + raw MAVLink 1/2 frame per record) and prints,
per file: message counts per type (ids no dialect defines appear as MSGID_<n>), the flight modes
each vehicle reported in its heartbeats (in the order first seen), flight time (airborne by
EXTENDED_SYS_STATE landed_state, else by relative altitude > 1 m, else armed time) and the
maximum altitude (GLOBAL_POSITION_INT relative to home, and AMSL). Modes are named by vehicle
type (HEARTBEAT's MAV_TYPE): ArduPilot Plane's mode 11 is RTL, Copter's DRIFT; PX4's are the same
for all. Junk bytes and a truncated tail are skipped and reported, not fatal; a file that is not a
tlog (no timestamped records, mostly junk, or a raw MAVLink stream without timestamps) is refused
with exit 1.

Options:
  --json      print the summaries as JSON instead of text (default: text)

Example:
  uavmec tlog summary runs/2026-11-21T05-45-47-517Z/uav-1.tlog`,
  async run(argv) {
    const { values: v, positionals } = parse(argv, { json: { type: 'boolean' } }, true);
    const [sub, ...files] = positionals;
    if (sub !== 'summary') throw new UsageError(sub === undefined ? 'missing subcommand: summary' : `unknown subcommand '${sub}' (known: summary)`);
    if (files.length === 0) throw new UsageError('tlog summary needs at least one .tlog file');
    const all = [];
    let failed = 0;
    for (const file of files) {
      let r;
      try {
        r = await readTlogFile(file);
      } catch (e) {
        console.error(`${file}: ${(e as Error).message}`);
        failed++;
        continue;
      }
      const refused = notATlog(file, r.records.length, r.summary.skippedBytes);
      if (refused) {
        console.error(refused);
        failed++;
        continue;
      }
      const s = summariseTlog(r.records, r.summary);
      if (v.json) all.push({ file, ...s });
      else console.log(formatTlogSummary(file, s) + '\n');
    }
    if (v.json) console.log(JSON.stringify(all, null, 2));
    return failed ? 1 : 0;
  },
};
/**
 * Why `file` is not a tlog (undefined when it is): no record read, or more junk than records.
 * A raw MAVLink stream is named as such (it has frames but no timestamps).
 */
function notATlog(file: string, records: number, skippedBytes: number): string | undefined {
  const size = fs.statSync(file).size;
  if (records > 0 && skippedBytes <= 0.5 * size) return undefined;
  const what = sniffNotTlog(fs.readFileSync(file).subarray(0, 1 << 20));
  if (what.kind === 'empty') return `${file}: empty file, not a tlog`;
  if (what.kind === 'raw_mavlink') return `${file}: a raw MAVLink stream (${what.frames} frames back to back, no timestamps), not a tlog (8-byte µs timestamp before each frame); record it with a ground station's telemetry log, or \`uavmec agent --tlog\``;
  return `${file}: not a tlog (${records === 0 ? 'no' : `only ${records}`} timestamped MAVLink records in ${size} bytes${records ? `, ${skippedBytes} bytes of junk` : ''})`;
}

export default command;
