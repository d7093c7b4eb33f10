/**
 * Semantic hashes of a recording, stream by stream, for "same seed → same recording" checks.
 * Canonical form: receive times, headers (sender, publish time, sequence) and other clock
 * readings are dropped; messages are sorted by their identity (task id, slot and UAV); numbers
 * stay exact. What each stream can prove differs, and the caller should say which it compares:
 * - `tasks`: the seeded world's task requests (ids, users, positions, sizes, deadlines) —
 *   equal across live runs of one scenario and seed, whatever the timing.
 * - `decisions`: who computes which task per slot; `completions`: where each task finished and
 *   whether it was late or failed; `acks`. These depend on where the UAVs were when the
 *   controller planned, i.e. on wall-clock timing of a live (wall-scaled) mission, so they are
 *   equal only for runs on a deterministic clock.
 * Deterministic missions (`runMission({ clock: 'virtual' })`) are compared byte for byte instead,
 * by digest.ts; test/replay/determinism.test.ts checks both there.
 */
import { createHash } from 'node:crypto';
import { NON_SLOT_PLANNERS } from './inputs.ts';
import type { RunRecording } from './recording.ts';

export interface RecordingHashes {
  tasks: string;
  decisions: string;
  completions: string;
  acks: string;
}

const sha = (v: unknown): string => createHash('sha256').update(JSON.stringify(v)).digest('hex');
const byKey = <T>(xs: T[], key: (x: T) => string): T[] => xs.map((x) => [key(x), x] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, x]) => x);

export function hashRecording(rec: RunRecording): RecordingHashes {
  const tasks = byKey(rec.tasks.map(({ msg: m }) => [m.task_id, m.user_id, m.user_position ?? null, m.data_bits, m.cycles_per_bit, m.local_cpu_hz, m.tx_power_w, m.deadline_s, m.subtasks.length, m.edges.length]), (t) => String(t[0]).padStart(12, '0'));
  const decisions = byKey(
    rec.plans.filter((p) => !NON_SLOT_PLANNERS.has(p.msg.planner)).map((p) => [p.msg.slot, p.uavId, p.msg.assignments.map((a) => [a.task_id, a.access_uav_id, a.exec_uav_id]).sort((a, b) => a[0]! - b[0]!)]),
    (d) => `${String(d[0]).padStart(9, '0')}:${String(d[1]).padStart(6, '0')}`,
  );
  const completions = byKey(rec.completions.map(({ msg: c }) => [c.task_id, c.subtask_id, c.site, c.uav_id, c.late, c.failed]), (c) => `${String(c[0]).padStart(12, '0')}:${String(c[1])}:${String(c[2])}`);
  const acks = byKey(rec.acks.map(({ msg: a }) => [a.uav_id, a.accepted, a.reason]), (a) => JSON.stringify(a));
  return { tasks: sha(tasks), decisions: sha(decisions), completions: sha(completions), acks: sha(acks) };
}
