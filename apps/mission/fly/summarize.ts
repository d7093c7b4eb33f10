/**
 * The mission's summary (summary.json): scenario, timing, security, the mode's comparison with its
 * env prediction (policy, S2) or S0's books, slots and totals, per-UAV rows, bus counters, the
 * recording and, in lockstep, what determinism rests on.
 */
import path from 'node:path';
import { recordingSha256 } from '../../replay/digest.ts';
import type { RunningAgent } from '../../agent/create.ts';
import type { UavTwin } from '../../controller/twin/index.ts';
import { S0WorldService } from '../../../sim/world/s0/index.ts';
import { comparePolicyRun } from '../policy.ts';
import { compareS2Run } from '../s2-eval.ts';
import { s0Summary } from '../s0.ts';
import type { MissionSummary, UavSummary } from '../summary.ts';
import type { MissionBroker } from './broker.ts';
import type { MissionCtx } from './context.ts';
import type { MissionGround } from './controller.ts';
import type { MissionFleet } from './fleet.ts';
import type { Predictions } from './predict.ts';
import type { MissionRecording } from './record.ts';
import type { MissionWorld } from './world.ts';

/** Sums counters by key. Pure. */
export function mergeCounts(list: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of list) for (const [k, v] of Object.entries(c)) out[k] = (out[k] ?? 0) + v;
  return out;
}

/** One UAV's row: the agent's counters, energies from the autopilot (else the twin). Pure. */
export function uavRow(service: RunningAgent['service'], batteryConsumedJ: number | undefined, tw: UavTwin | undefined): UavSummary {
  const st = service.stats;
  return {
    uavId: service.uavId,
    distanceM: st.distanceM,
    maxAltM: st.maxAltM,
    flightEnergyJ: batteryConsumedJ ?? tw?.flightEnergyJ ?? 0,
    computeEnergyJ: tw?.computeEnergyJ ?? 0,
    tasksComputed: st.tasksDone,
    plansAccepted: st.plansAccepted,
    plansRefused: st.plansRefused,
    ...(service.planAuth ? { planAuth: service.planAuth } : {}),
    setpointsSent: st.setpoints,
    envelope: { ...service.envelopeReasons },
  };
}

/** The lockstep clock's record and the recording's SHA-256 (the tlogs' are added once the agents closed). */
export function determinism(c: MissionCtx): MissionSummary['determinism'] {
  const v = c.vclock;
  if (!v) return undefined;
  return {
    clock: 'virtual', timersFired: v.stats.fired, stalls: v.stats.stalls, stalledOn: v.stats.stalledOn, unmatched: v.activity.unmatched,
    recordingSha256: recordingSha256(path.join(c.o.runDir, 'mqtt.rec')), tlogSha256: {},
  };
}

export interface FlownMission {
  broker: MissionBroker;
  predictions: Predictions;
  recording: MissionRecording;
  ground: MissionGround;
  fleet: MissionFleet;
  world: MissionWorld;
}

export function summarize(c: MissionCtx, m: FlownMission, det: MissionSummary['determinism']): MissionSummary {
  const { o, s, clock } = c;
  const { ctl, ctlBus, video, shards } = m.ground;
  const { agents } = m.fleet;
  const secrets = m.broker.secrets;
  const hooks = m.broker.hooks;
  const books = shards ? shards.books(ctl) : ctl.ledger;
  const buses = [ctlBus.stats, m.world.bus.stats, ...agents.map((a) => a.bus.stats)];
  return {
    scenario: { ...s, flavour: o.flavour, algo: o.algo, ...(c.virtual ? {} : { speed: c.speed }), broker: o.brokerUrl ? 'external' : 'embedded' } as unknown as Record<string, unknown>,
    timing: c.timing ? c.timing.summary(books.slots) : { clock: 'lockstep', degraded: false },
    ...(secrets ? { security: {
      identities: secrets.identities.length, signedPlans: true, mavlinkSigning: secrets.mavlinkKeys.size > 0,
      ...(hooks ? { brokerDenials: { ...hooks.denials } } : {}),
    } } : {}),
    trajectory: o.policy ? 'policy' : o.video ? 'video' : 'planner',
    ...(o.video && video?.accounts && m.predictions.s2 ? { video: compareS2Run(o.video, video.accounts, { ...video.ledger.counts, missedSegments: video.missedSegments, latencyS: video.ledger.latencyS }, m.predictions.s2) } : {}),
    ...(o.s0 && ctl.s0 && m.world.world instanceof S0WorldService ? { system: 's0' as const, s0: s0Summary(o.s0, ctl.s0, m.world.world.stats) } : {}),
    ...(o.policy && m.predictions.policy ? { policy: comparePolicyRun(o.policy, m.predictions.policy, ctl.ledger.slots, ctl.positionsBySlot) } : {}),
    wallS: (performance.now() - c.wall0) / 1000,
    simS: (clock.nowUs() - c.sim0) / 1e6,
    slots: books.slots,
    totals: books.totals(),
    ...(shards ? { shards: shards.summary(ctl) } : {}),
    ...(ctl.pool ? { pools: ctl.ledger.pools } : {}),
    uavs: agents.map((a) => uavRow(a.service, a.vehicle.state().batteryConsumedJ, shards ? shards.twinOf(ctl, a.service.uavId) : ctl.twin.get(a.service.uavId))),
    bus: {
      published: buses.reduce((n, b) => n + b.published, 0),
      dropped: mergeCounts(buses.map((b) => b.dropped)),
      droppedByTopic: mergeCounts(buses.map((b) => b.droppedByTopic)),
    },
    recording: { file: 'mqtt.rec', messages: m.recording.recorder.count, rejected: { ...m.recording.recorder.rejected } },
    tlogs: agents.map((a) => `uav-${a.service.uavId}.tlog`),
    ...(det ? { determinism: det } : {}),
  };
}
