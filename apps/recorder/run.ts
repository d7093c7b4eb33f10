/**
 * Records a mission flown as separate processes: subscribes to `uavmec/#` (read-only: the
 * `recorder` identity of the ACL reads everything and may publish nothing), writes every message
 * to `<out>/mqtt.rec` as a mission does, and when the mission is over — the controller's close
 * (its last PlanningInputs, slot = the slot count) plus `graceS`, or a stop signal — writes
 * `<out>/summary.json` from the recording (summary.ts) so `uavmec replay` and `uavmec report` work
 * on the folder as on any mission's.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Clock } from '../../core/clock.ts';
import { fail, ok, type Result } from '../../core/result.ts';
import { Bus, type BusOptions } from '../common/bus.ts';
import type { Logger } from '../common/log.ts';
import { Recorder, readRecording } from '../common/recorder.ts';
import { decode, matchTopic } from '../../proto/index.ts';
import { parseRecording } from '../replay/recording.ts';
import { summaryFromRecording } from './summary.ts';
import type { MissionSummary } from '../mission/summary.ts';

export interface RecorderOptions {
  broker: Pick<BusOptions, 'url' | 'username' | 'password' | 'ca' | 'cert' | 'key'>;
  clientId: string;
  outDir: string;
  clock: Clock;
  log: Logger;
  /** The mission's scenario (the same options as its processes'). */
  scenario: Record<string, unknown>;
  /** Clock seconds to keep recording after the controller closed the mission (default 2). */
  graceS?: number;
  /** Resolves to stop early (a signal): the summary is still written. */
  stop?: Promise<void>;
  onMessage?: (count: number) => void;
}

export async function recordMission(o: RecorderOptions): Promise<Result<MissionSummary, 'no_mission' | 'missing_input' | 'bad_recording' | 'unsupported'>> {
  fs.mkdirSync(o.outDir, { recursive: true });
  const file = path.join(o.outDir, 'mqtt.rec');
  if (fs.existsSync(file)) fs.rmSync(file);
  const wall0 = performance.now();
  const bus = await Bus.connect({ ...o.broker, clientId: o.clientId, sender: 'recorder', clock: o.clock, log: o.log });
  const recorder = new Recorder(file);
  let closed!: () => void;
  const missionClosed = new Promise<void>((r) => (closed = r));
  const slots = Number(o.scenario.slots);
  // One subscription (a tracked bus may not hold overlapping ones): record, and watch for the close.
  await bus.subscribeRaw('uavmec/#', (topic, payload, recvUs) => {
    recorder.write({ recv_t_us: Math.round(recvUs), topic, payload });
    o.onMessage?.(recorder.count);
    if (matchTopic(topic)?.spec.key !== 'planningInputs') return;
    const d = decode('PlanningInputs', payload);
    if (d.ok && d.value.slot >= slots) closed();
  });
  await Promise.race([missionClosed.then(() => o.clock.sleep((o.graceS ?? 2) * 1000)), o.stop ?? new Promise(() => {})]);
  await bus.close();
  await recorder.close();
  const { messages, truncated, problem } = readRecording(file);
  if (truncated) return fail('bad_recording', `${file}: ${problem}`);
  const s = summaryFromRecording(parseRecording(messages), {
    scenario: o.scenario, wallS: (performance.now() - wall0) / 1000, messages: recorder.count, rejected: { ...recorder.rejected },
  });
  if (!s.ok) return s;
  fs.writeFileSync(path.join(o.outDir, 'summary.json'), JSON.stringify(s.value, null, 2));
  return ok(s.value);
}
