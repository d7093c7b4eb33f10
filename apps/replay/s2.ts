/**
 * Replay of an S2 run (mission --system s2, SPEC §5.4): every slot's recorded VideoSlot carries the
 * observation the controller fed its actor and the action it got. The replay loads the same actor
 * (sha256 checked), re-runs it on each recorded observation and checks the action bit for bit,
 * then re-makes the decision (`mapS2Action`) and the UAV flight plans (`moveInBox` from the observed
 * positions) and checks them against the recorded plans and device plans: targets, speeds, CPU,
 * prices, transcoding level, the devices' splits. With `what-if` another S2 actor decides the
 * same observations, and the decisions are set side by side.
 */
import { readRecording } from '../common/recorder.ts';
import { decode, DeviceRole, FlightMode, matchTopic, type DevicePlan, type Plan, type VideoSlot } from '../../proto/index.ts';
import { mapS2Action, moveInBox, type S2Model } from '../../engines/video/index.ts';
import type { S2Actor } from '../controller/s2/index.ts';

export interface S2ReplaySlot {
  slot: number;
  actionMatches: boolean;
  /** What differs, e.g. "UAV 3 target", "user 4 ratios"; empty when the slot is reproduced. */
  mismatches: string[];
  whatIf?: { ratios: [number, number, number]; pk: number; pj: number; levelMbps: number; meanSpeed: number };
  recorded: { ratios: [number, number, number]; pk: number; pj: number; levelMbps: number; meanSpeed: number };
}

export interface S2Replay { slots: S2ReplaySlot[]; reproduced: number; whatIf?: string }

function messages<T>(file: string, key: string): T[] {
  const out: T[] = [];
  for (const m of readRecording(file).messages) {
    const t = matchTopic(m.topic);
    if (t?.spec.key !== key) continue;
    const d = decode(t.spec.type, m.payload);
    if (d.ok) out.push(d.value as T);
  }
  return out;
}

const same = (a: number, b: number) => a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/** Replays the run in `dir` with `actor` (the recorded one), and optionally decides again with `whatIf`. */
export async function replayS2(dir: string, m: S2Model, actor: S2Actor, whatIf?: S2Actor): Promise<S2Replay> {
  const file = `${dir}/mqtt.rec`;
  const records = messages<VideoSlot>(file, 'videoSlot').filter((r) => !r.closed);
  const plans = messages<Plan>(file, 'plan').filter((p) => p.planner.startsWith('s2-'));
  const devices = messages<DevicePlan>(file, 'devicePlan');
  const slots: S2ReplaySlot[] = [];
  for (const r of records) {
    const mismatches: string[] = [];
    if (r.model_sha256 !== actor.sha256) mismatches.push(`actor sha256 ${r.model_sha256.slice(0, 12)} recorded, ${actor.sha256.slice(0, 12)} replayed`);
    const action = await actor.act(r.observation);
    const actionMatches = action.length === r.action.length && action.every((a, i) => a === r.action[i]);
    if (!actionMatches) mismatches.push('action');
    const dec = mapS2Action(m, action);
    if (!same(dec.pk, r.uav_price_per_ghz) || !same(dec.pj, r.idle_price_per_ghz) || dec.levelMbps !== r.transcode_level_mbps) mismatches.push('prices or level');
    for (const p of plans.filter((x) => x.slot === r.slot)) {
      const k = p.uav_id - 1;
      if (p.flight?.mode !== FlightMode.FLIGHT_MODE_GOTO) continue; // RTL: the reserve, checked by the planner's tests
      const from = [r.observation[3 * m.busy + 1 + 3 * k]!, r.observation[3 * m.busy + 2 + 3 * k]!, r.observation[3 * m.busy + 3 + 3 * k]!];
      const t = moveInBox(m, from, dec.velocities[k]!).next;
      const g = p.flight.target!;
      if (!same(g.x_east_m, t[0]) || !same(g.y_north_m, t[1]) || !same(g.alt_m, t[2]) || !same(p.flight.speed_m_s, dec.speeds[k]!)) mismatches.push(`UAV ${p.uav_id} target`);
      if (!p.video || !same(p.video.cpu_hz, Math.max(dec.fkHz, 0.01 * m.fkMaxHz)) || !same(p.video.price_per_ghz, dec.pk) || p.video.transcode_level_mbps !== dec.levelMbps) mismatches.push(`UAV ${p.uav_id} video`);
    }
    for (const d of devices.filter((x) => x.slot === r.slot && x.role === DeviceRole.DEVICE_ROLE_BUSY)) {
      if (!same(d.ratio_uav, r.ratio_uav) || !same(d.ratio_d2d, r.ratio_d2d) || !same(d.ratio_local, r.ratio_local)) mismatches.push(`user ${d.user_id} ratios`);
    }
    const speeds = (v: number[]) => v.reduce((a, x) => a + x, 0) / Math.max(1, v.length);
    const row: S2ReplaySlot = {
      slot: r.slot, actionMatches, mismatches,
      recorded: { ratios: [r.ratio_uav, r.ratio_d2d, r.ratio_local], pk: r.uav_price_per_ghz, pj: r.idle_price_per_ghz, levelMbps: r.transcode_level_mbps, meanSpeed: speeds(dec.speeds) },
    };
    if (whatIf) {
      const w = mapS2Action(m, await whatIf.act(r.observation));
      row.whatIf = { ratios: w.ratios, pk: w.pk, pj: w.pj, levelMbps: w.levelMbps, meanSpeed: speeds(w.speeds) };
    }
    slots.push(row);
  }
  return { slots, reproduced: slots.filter((s) => s.mismatches.length === 0).length, ...(whatIf ? { whatIf: whatIf.file } : {}) };
}

export function formatS2Replay(r: S2Replay): string {
  const f = (v: number) => v.toFixed(2);
  const dec = (d: S2ReplaySlot['recorded']) => `ε ${d.ratios.map(f).join('/')} p_k ${f(d.pk)} p_j ${f(d.pj)} b_O ${d.levelMbps} |v| ${f(d.meanSpeed)}`;
  const lines = r.slots.map((s) => `slot ${s.slot}: ${s.mismatches.length ? `DIFFERS (${s.mismatches.join(', ')})` : 'reproduced'}; ${dec(s.recorded)}${s.whatIf ? `  ← what-if: ${dec(s.whatIf)}` : ''}`);
  lines.push(`${r.reproduced}/${r.slots.length} S2 slots reproduced (actor re-run on the recorded observations; decisions, UAV plans and device splits re-made)${r.whatIf ? `; what-if actor ${r.whatIf}` : ''}.`);
  return lines.join('\n');
}
