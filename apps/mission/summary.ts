/**
 * The mission summary: per-slot rows and totals, as a table for people and as JSON for tools.
 */
import type { SlotMetrics } from '../controller/metrics.ts';
import type { PoolRoundMetrics } from '../controller/slot/index.ts';
import type { PolicyRunSummary } from './policy.ts';
import type { MissionTiming } from './timing.ts';
import { formatS2, type S2RunSummary } from './s2-eval.ts';
import type { S0RunSummary } from './s0.ts';
import type { ShardsSummary } from './shards.ts';

export interface UavSummary {
  uavId: number;
  /** Horizontal + vertical path length flown, m. */
  distanceM: number;
  maxAltM: number;
  /** Flight energy metered by the autopilot (propulsion + avionics), J. */
  flightEnergyJ: number;
  computeEnergyJ: number;
  tasksComputed: number;
  plansAccepted: number;
  plansRefused: number;
  /** Secure missions: plan-signature checks (accepted, unsigned, bad_signature, replay, expired; refused = their sum). */
  planAuth?: { accepted: number; unsigned: number; bad_signature: number; replay: number; expired: number; refused: number };
  setpointsSent: number;
  /** How often each safety-envelope reason fired. */
  envelope: Record<string, number>;
}

export interface MissionSummary {
  scenario: Record<string, unknown>;
  /** Where the trajectories came from: the controller's cluster planner or the UAVs' trained policy. */
  trajectory?: 'planner' | 'policy' | 'video';
  /** S2 missions (SPEC §5.4): revenue per slot as flown against the same actor in its env, parts. */
  video?: S2RunSummary;
  /** Policy missions: the model (files, sha256, training env) and the flight against the env's prediction. */
  policy?: PolicyRunSummary;
  /** Which paper's system flew: S0's coalitions (`s0`); absent = S3's offloading (or S1's pool). */
  system?: 's0';
  /** S0 missions: coalitions, utilisation, energy, utility, formation, fidelity per slot (apps/controller/s0). */
  s0?: S0RunSummary;
  wallS: number;
  simS: number;
  /** Which clock ran the mission; on a real-time (scaled) clock the lateness measured and whether it degraded the numbers. */
  timing?: MissionTiming;
  slots: SlotMetrics[];
  /** Sharded controllers (`--shards N`, shards.ts): each shard's region, UAVs and books, and the handovers. */
  shards?: ShardsSummary;
  totals: {
    released: number;
    completed: number;
    completedOnUav: number;
    late: number;
    failed: number;
    dor: number;
    meanDorPerSlot: number;
    plansSent: number;
    plansAcked: number;
    plansNacked: number;
    missedWindow: number;
    meanDecisionLatencyS: number;
  };
  uavs: UavSummary[];
  /** Computing-power-pool rounds (task model 'dag', SPEC §5.3): measured next to the engine's prediction. */
  pools?: PoolRoundMetrics[];
  bus: { published: number; dropped: Record<string, number>; droppedByTopic: Record<string, number> };
  /** `rejected`: invalid messages the recorder saw, by topic key. */
  recording: { file: string; messages: number; rejected: Record<string, number> };
  tlogs: string[];
  /**
   * Deterministic missions (`clock: 'virtual'`): timer callbacks run, stalls (times the clock
   * advanced with work still pending; 0 means every instant was quiescent) and what stalled, and
   * the SHA-256 of the canonical recording (apps/replay/digest.ts).
   */
  determinism?: { clock: 'virtual'; timersFired: number; stalls: number; stalledOn: Record<string, number>[]; unmatched: number; recordingSha256: string; tlogSha256: Record<string, string> };
  /** Secure missions (issue 9): identities, whether plans and MAVLink were signed, the embedded broker's ACL refusals. */
  security?: { identities: number; signedPlans: boolean; mavlinkSigning: boolean; brokerDenials?: { authenticate: number; publish: number; subscribe: number } };
}

const f = (v: number, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : '—');

export function formatSummary(s: MissionSummary): string {
  const ids = s.uavs.map((u) => u.uavId);
  const pol = s.policy;
  const head = ['slot', 'tasks', 'offl', 'done', 'late', 'DOR', 'DOR plan', ...(pol ? ['DOR env', 'DOR oracle', 'pos err m'] : []), 'acked', ...ids.map((i) => `E${i} kJ`)];
  const rows = s.slots.map((m, k) => {
    const r = pol?.rows[k];
    return [
      String(m.slot), String(m.released), String(m.offloaded), String(m.completed), String(m.late), f(m.dor), f(m.predictedDor),
      ...(pol ? [r?.envDor == null ? '—' : f(r.envDor), r?.oracleDor == null ? '—' : f(r.oracleDor), r?.positionErrorM == null ? '—' : f(r.positionErrorM, 1)] : []),
      `${m.plansAcked}/${m.plansSent}`, ...ids.map((i) => f((m.energyJ[i] ?? 0) / 1000, 1)),
    ];
  });
  const t = s.totals;
  const last = s.slots[s.slots.length - 1];
  rows.push([
    'total', String(t.released), String(s.slots.reduce((a, m) => a + m.offloaded, 0)), String(t.completed), String(t.late), f(t.dor), f(s.slots.reduce((a, m) => a + m.predictedDor, 0)),
    ...(pol ? [f(pol.rows.reduce((a, r) => a + (r.envDor ?? 0), 0)), f(pol.rows.reduce((a, r) => a + (r.oracleDor ?? 0), 0)), ''] : []),
    `${t.plansAcked}/${t.plansSent}`, ...ids.map((i) => f((last?.energyJ[i] ?? 0) / 1000, 1)),
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((v, c) => v.padStart(widths[c]!)).join('  ');
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(0, -1).map(line), widths.map((w) => '-'.repeat(w)).join('  '), line(rows[rows.length - 1]!)];
  out.push('');
  out.push('UAV  flown m  max alt m  flight kJ  compute J  tasks  plans ok/refused  setpoints');
  for (const u of s.uavs) {
    out.push(`${String(u.uavId).padStart(3)}  ${f(u.distanceM, 0).padStart(7)}  ${f(u.maxAltM, 1).padStart(9)}  ${f(u.flightEnergyJ / 1000, 1).padStart(9)}  ${f(u.computeEnergyJ, 2).padStart(9)}  ${String(u.tasksComputed).padStart(5)}  ${`${u.plansAccepted}/${u.plansRefused}`.padStart(16)}  ${String(u.setpointsSent).padStart(9)}`);
  }
  out.push('');
  out.push(`DOR: ${f(t.dor)} in total, ${f(t.meanDorPerSlot)} per slot (all-local = 0, upper bound = tasks per slot); ${t.completed}/${t.released} tasks completed (${t.completedOnUav} on UAVs), ${t.late} late, ${t.failed} failed.`);
  out.push(`Decision latency (release → plan) ${f(t.meanDecisionLatencyS * 1000, 0)} ms on average, excluded from the DOR as in S3; ${t.missedWindow} requests arrived after their slot's plan and ran on the device.`);
  for (const p of s.pools ?? []) {
    out.push(
      `Pool round @ slot ${p.slot}: ${p.tasksDone}/${p.tasks} tasks done, ${p.nodesDone}/${p.nodes} merged subtasks (${p.subtasks} original, ${p.sharedNodes} shared) on ${p.uavs} UAVs; ` +
        `total time ${f(p.totalTimeS, 1)} s (plan ${f(p.predicted.totalTimeS, 1)}), compute stage ${f(p.makespanS, 1)} s (plan ${f(p.predicted.makespanS, 1)}); ` +
        `energy max ${f(p.maxEnergyJ / 1000, 1)} kJ / total ${f(p.totalEnergyJ / 1000, 1)} kJ (plan ${f(p.predicted.maxEnergyJ / 1000, 1)} / ${f(p.predicted.totalEnergyJ / 1000, 1)}), compute ${f(p.computeEnergyJ, 2)} J${p.finished ? '' : ' — closed at expiry'}.`,
    );
  }
  if (pol) {
    const md = pol.model;
    out.push(`Trajectory: policy ${md.base} (${md.algo}, env ${md.env}, θ_max ${pol.env.thetaMaxDeg}°, trained at ${md.gitCommit.slice(0, 8)}; env_hash ${md.envHash.matches ? 'matches the env today' : `${md.envHash.trained} at training, ${md.envHash.now} today: the env changed since`}).`);
    for (const a of md.actors) out.push(`  UAV ${a.uavId} ← ${a.file} sha256 ${a.sha256}`);
    out.push(
      `Sim-to-SITL (slots 1–${s.slots.length - 1}, aligned on moves flown): DOR ${f(pol.meanFlownDor)} per slot flown, ${f(pol.meanPlannedDor)} planned at the flown positions, ` +
        `${f(pol.meanEnvDor)} in the env (same actors, ${pol.env.episodes} episodes); UAVs within ${f(pol.meanPositionErrorM, 1)} m of their env positions on average (max ${f(pol.maxPositionErrorM, 1)} m).`,
    );
    out.push(
      `Against the oracle (straight flight from the same starts to the best static placement found, then hover; arrives by slot ${pol.oracle.arrivalSlots}, placement ${f(pol.oracle.placementDorPerSlot)} per slot): ` +
        `flown ${f(pol.meanFlownDor)} per slot = ${f(pol.flownVsOracle)} × the oracle's ${f(pol.meanOracleDor)} in the env over the same slots; the actors in the env ${f(pol.meanEnvDor / pol.meanOracleDor)} ×.`,
    );
  } else if (s.trajectory === 'planner') out.push('Trajectory: the controller\'s cluster planner (hover targets over user clusters).');
  if (s.video) out.push(...formatS2(s.video));
  out.push(`Plans: ${t.plansAcked} acked, ${t.plansNacked} refused, of ${t.plansSent}. Bus: ${s.bus.published} messages published, dropped ${JSON.stringify(s.bus.dropped)}.`);
  const sec = formatSecurity(s);
  if (sec) out.push(sec);
  const tm = s.timing;
  const clock = tm?.clock === 'scaled'
    ? `real time at ${tm.speed}× (reached ${f(tm.realTimeFactor ?? 0, 1)}×); ${tm.note ?? ''}`
    : 'lockstep (simulated time advanced only when every participant had finished what was due)';
  out.push(`Simulated ${f(s.simS, 0)} s in ${f(s.wallS, 1)} s of wall time, ${clock}.`);
  if (tm?.degraded) out.push(`WARNING: ${tm.note}`);
  return out.join('\n');
}

/** The secure mission's line (identities, signing, refusals), or undefined for an open mission. */
export function formatSecurity(s: Pick<MissionSummary, 'security' | 'uavs'>): string | undefined {
  if (!s.security) return undefined;
  const d = s.security.brokerDenials;
  const forged = s.uavs.reduce((a, u) => a + (u.planAuth?.refused ?? 0), 0);
  return `Security: ${s.security.identities} broker identities, signed plans${s.security.mavlinkSigning ? ', MAVLink signing' : ''}; ${forged} unauthentic plans refused by agents${d ? `; broker refused ${d.authenticate} logins, ${d.publish} publishes, ${d.subscribe} subscriptions` : ''}.`;
}
