/**
 * Replay tests' helpers: `uavmec replay` run in this process (exit code and output), and a copy of
 * a run folder whose recording has one plan changed (its flight target moved 1 m east,
 * re-encoded), as a tampered or corrupted recording would.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeRecord, readRecording } from '../../apps/common/recorder.ts';
import { decode, encode, matchTopic, type Plan } from '../../proto/index.ts';
import replayCommand from '../../apps/cli/commands/replay.ts';

/** Copies `dir` with the first plan `pick` accepts changed; returns the copy and what was changed. */
export function tamperedCopy(dir: string, pick: (p: Plan) => boolean): { dir: string; slot: number; uavId: number } {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'uavmec-tampered-'));
  fs.copyFileSync(path.join(dir, 'summary.json'), path.join(out, 'summary.json'));
  const { messages } = readRecording(path.join(dir, 'mqtt.rec'));
  let hit: { slot: number; uavId: number } | undefined;
  const bytes = messages.map((m) => {
    const t = matchTopic(m.topic);
    if (hit || t?.spec.key !== 'plan') return encodeRecord(m);
    const d = decode('Plan', m.payload);
    if (!d.ok || !pick(d.value) || !d.value.flight?.target) return encodeRecord(m);
    hit = { slot: d.value.slot, uavId: d.value.uav_id };
    const changed = { ...d.value, flight: { ...d.value.flight, target: { ...d.value.flight.target, x_east_m: d.value.flight.target.x_east_m + 1 } } };
    return encodeRecord({ ...m, payload: encode('Plan', changed as never) });
  });
  if (!hit) throw new Error('no plan to tamper with');
  fs.writeFileSync(path.join(out, 'mqtt.rec'), Buffer.concat(bytes));
  return { dir: out, ...hit };
}

/** Runs `uavmec replay <dir>` in this process: exit code and what it printed. */
export async function replayCli(dir: string): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const log = console.log;
  const err = console.error;
  console.log = (...a: unknown[]) => void lines.push(a.join(' '));
  console.error = (...a: unknown[]) => void lines.push(a.join(' '));
  try {
    const code = await replayCommand.run([dir]);
    return { code, out: lines.join('\n') };
  } finally {
    console.log = log;
    console.error = err;
  }
}
