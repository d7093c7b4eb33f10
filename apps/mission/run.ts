/**
 * A whole mission on one machine: an MQTT broker (the embedded aedes on a free loopback port, or
 * one given by URL), a SITL fleet speaking MAVLink 2 over UDP loopback, one agent per UAV driving
 * its autopilot through the bridge, the simulated users, and the controller — all on one
 * (accelerated) clock. Writes the run folder: summary.json, the MQTT recording, one .tlog per UAV.
 *
 * `security` (issue 9) runs it as a deployment would: every process connects as its own identity
 * (the embedded broker enforces the ACL generated from the topic table), the controller signs
 * plans and the agents pin its key, and each agent provisions MAVLink 2 signing with its autopilot.
 *
 * `policy` (issue 7 §4; policy.ts) flies the trained S3 actors instead of the cluster planner: the
 * scenario is the model's training env, the SITL vehicles stand at its start positions, agents get
 * the model directory and an envelope checked to contain the env's box, the controller sends
 * FLIGHT_MODE_POLICY plans; the same actors are first flown in the env (policy-eval.ts) and
 * summary.policy sets the flight against that prediction slot by slot.
 *
 * Lockstep (`clock: 'virtual'`, the default) runs everything on a discrete-event `VirtualClock`:
 * time jumps to the next timer only when every participant has finished what is due — every bus
 * counts its publishes against their deliveries to the mission's other buses (any broker:
 * embedded, external, TLS), every MAVLink UDP socket its datagrams, the agents their ONNX
 * inferences, model loads and plan handling, and setup steps hold the clock while they do real
 * I/O — and the recorder writes each instant's messages in canonical order. Same scenario and
 * seed → the same summary, recording and tlogs byte for byte whatever the machine's load (their
 * SHA-256 goes into summary.determinism); the mission takes the wall time it needs.
 *
 * `clock: 'scaled'` (real time × `speed`) is for what cannot be in lockstep — separate processes,
 * hardware in the loop. There lateness is measured (timer lag, requests that missed their slot's
 * plan, the real-time factor reached) and reported live (`onTiming`) and in summary.timing, which
 * says when the numbers are degraded.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ScaledClock, VirtualClock, type Clock } from '../../core/clock.ts';
import { recordingSha256, tlogSha256 } from '../replay/digest.ts';
import { startSitl, type SitlFleet } from '../../sim/autopilot/index.ts';
import { poolConfigFor, uavProfile, WorldService, type Scenario } from '../../sim/world/index.ts';
import { createAgent, type RunningAgent } from '../agent/create.ts';
import { Bus, createLogger } from '../common/index.ts';
import { startEmbeddedBroker, type EmbeddedBroker } from '../common/broker.ts';
import { Recorder } from '../common/recorder.ts';
import { ControllerService, type ControllerConfig } from '../controller/service/index.ts';
import { startShards } from './shards.ts';
import { writeReport } from '../report/write.ts';
import type { OffloadAlgo } from '../../engines/planning/offload/index.ts';
import type { SlotMetrics } from '../controller/metrics.ts';
import type { PoolRoundMetrics } from '../controller/slot/index.ts';
import type { MissionSummary } from './summary.ts';
import { ephemeralSecrets, loadSecrets, type BrokerCredentials, type MissionSecrets, type MissionSecurityOptions } from './secure.ts';
import type { AclDenials } from '../security/index.ts';
import { comparePolicyRun, type PolicyMissionSetup } from './policy.ts';
import { predictInEnv, type EnvPrediction } from './policy-eval.ts';
import { TimingMonitor, type SlotTiming } from './timing.ts';
import type { S2MissionSetup } from './s2.ts';
import { compareS2Run, predictS2InEnv, type S2Prediction } from './s2-eval.ts';
import { S2Driver } from '../controller/s2/index.ts';
import { S0WorldService } from '../../sim/world/s0/index.ts';
import { s0AgentOptions, s0ControllerConfig, s0LandTimeoutS, s0LaunchTimeoutS, s0SitlOptions, s0Summary, type S0MissionSetup } from './s0.ts';

export interface MissionOptions {
  scenario: Scenario;
  /** Simulated seconds per wall second (scaled clock only; default 10). */
  speed?: number;
  flavour: 'ardupilot' | 'px4';
  algo: OffloadAlgo;
  /** Use this broker instead of starting the embedded one. */
  brokerUrl?: string;
  runDir: string;
  onSlot?: (m: SlotMetrics, slot: number) => void;
  /** A computing-power-pool round closed (dag mode). */
  onPoolRound?: (m: PoolRoundMetrics) => void;
  onPhase?: (what: string) => void;
  /** How long to wait for the UAVs to land after the last slot, simulated s (default 120). */
  landTimeoutS?: number;
  /** Called once every process is up, before slot 0 (tests inject traffic here). */
  onReady?: (ctx: MissionReadyContext) => void | Promise<void>;
  /** Secure mode (identities + ACL, signed plans, MAVLink signing); default off. */
  security?: MissionSecurityOptions;
  /**
   * 'virtual' (default): lockstep on the discrete-event clock (see the file comment), any broker,
   * secure or not, planner or policy. 'scaled': wall time × `speed`, lateness measured.
   */
  clock?: 'scaled' | 'virtual';
  /** Scaled clock: called at every slot with the lateness so far (for a live console line). */
  onTiming?: (t: SlotTiming) => void;
  /**
   * Fly the trained policy (policy.ts, `preparePolicyMission`) instead of the cluster planner;
   * `scenario` must then be the setup's.
   */
  policy?: PolicyMissionSetup;
  /** Episodes of the env prediction in policy mode (default 5). */
  envEpisodes?: number;
  /** S2 video streaming (s2.ts, `prepareS2Mission`): `scenario` must be the setup's. On the virtual clock the actor's inference holds it. */
  video?: S2MissionSetup;
  /** S0's system (s0.ts, `prepareS0Mission`): coalitions of UAVs serve the MEDs; `scenario` must be the setup's. */
  s0?: S0MissionSetup;
  /** Also serve MQTT over WebSocket on the embedded broker (for the browser view, `mission --view`). */
  websocket?: boolean;
  /** Called once the broker is up, before anything connects (`mission --view` starts the view here). */
  onBroker?: (b: MissionBrokerInfo) => void | Promise<void>;
  /** Sharded controllers (issue 19 §3, shards.ts): N controllers, each planning one strip of the area; default 1. */
  shards?: number;
}

export interface MissionBrokerInfo {
  url: string;
  /** The embedded broker's MQTT-over-WebSocket URL (with `websocket`). */
  wsUrl?: string;
  /** In secure mode: how an identity connects (the view logs in as the read-only `recorder`). */
  credentials?: (identity: string) => BrokerCredentials;
}

export interface MissionReadyContext {
  brokerUrl: string;
  clock: Clock;
  /** In secure mode: how an identity connects, and the embedded broker's ACL refusals so far. */
  security?: { credentials(identity: string): BrokerCredentials; denials?: Readonly<AclDenials> };
  /** Stops one agent as if its process died (tests: a UAV goes silent mid-mission). */
  killAgent(uavId: number): Promise<void>;
}

export async function runMission(o: MissionOptions): Promise<MissionSummary> {
  const summary = await fly(o);
  if (summary.determinism) {
    // The tlogs are complete once the agents closed (in fly's cleanup).
    for (const t of summary.tlogs) summary.determinism.tlogSha256[t] = tlogSha256(path.join(o.runDir, t));
    fs.writeFileSync(path.join(o.runDir, 'summary.json'), JSON.stringify(summary, null, 2));
  }
  return summary;
}

async function fly(o: MissionOptions): Promise<MissionSummary> {
  const s = o.scenario;
  fs.mkdirSync(o.runDir, { recursive: true });
  const log = createLogger({ name: 'mission', file: path.join(o.runDir, 'mission.log') });
  const wall0 = performance.now();
  const virtual = (o.clock ?? 'virtual') === 'virtual';
  if (o.video && o.video.scenario !== s) throw new Error('an S2 mission flies the scenario derived from its model (prepareS2Mission(...).scenario)');
  if (o.policy && o.policy.scenario !== s) throw new Error('a policy mission flies the scenario derived from its model (preparePolicyMission(...).scenario)');
  const speed = o.speed ?? 10;
  if (o.s0 && (o.s0.scenario !== s || o.policy || o.flavour !== 'ardupilot')) throw new Error('an S0 mission flies its own scenario (prepareS0Mission(...).scenario) with ArduCopter SITL and no policy');
  const vclock = virtual ? new VirtualClock() : undefined;
  const clock: Clock = vclock ?? new ScaledClock(speed);
  const timing = vclock ? undefined : new TimingMonitor(clock, speed, s.slotS);
  const activity = vclock?.activity;
  /** Setup steps that do real I/O hold a virtual clock until they are done. */
  const held = <T>(p: Promise<T>): Promise<T> => (activity ? activity.during(p) : p);
  vclock?.start();
  const sim0 = clock.nowUs();
  const phase = (p: string) => {
    log.info(p);
    o.onPhase?.(p);
  };
  const cleanup: (() => Promise<void> | void)[] = [];
  try {
    let prediction: EnvPrediction | undefined;
    if (o.policy) {
      const p = await held(predictInEnv(o.policy.model, { seed: s.seed, slots: s.slots, episodes: o.envEpisodes ?? 5 }));
      if (!p.ok) throw new Error(`policy model ${o.policy.model.base}: ${p.detail ?? p.reason}`);
      prediction = p.value;
      phase(`policy ${o.policy.model.base} (${o.policy.model.meta.algo}, ${o.policy.model.actors.length} actors${o.policy.model.envHash.matches ? '' : ', env_hash differs from training'}): the env predicts DOR ${prediction.meanDor.toFixed(2)} per slot over ${s.slots} slots`);
    }
    let s2Prediction: S2Prediction | undefined;
    if (o.video) {
      s2Prediction = await held(predictS2InEnv(o.video, { seed: s.seed, slots: s.slots, episodes: o.envEpisodes ?? 5 }));
      phase(`S2 actor ${o.video.actor.file} (${o.video.actor.meta.algo}): the env predicts revenue Q ${s2Prediction.mean.Q.toFixed(1)} per slot over ${s.slots} slots`);
    }
    const uavIds = Array.from({ length: s.uavs }, (_, i) => i + 1);
    let secrets: MissionSecrets | undefined;
    if (o.security?.secretsDir) {
      const l = loadSecrets(o.security.secretsDir, uavIds, o.security);
      if (!l.ok) throw new Error(`secure mission: ${l.detail ?? l.reason}`);
      secrets = l.value;
    } else if (o.security) {
      if (o.brokerUrl) throw new Error('secure mission with an external broker needs its keys (security.secretsDir from `uavmec keys`)');
      secrets = ephemeralSecrets(uavIds, o.security);
    }
    const cred = (identity: string): BrokerCredentials => secrets?.credentials(identity) ?? {};
    let broker: EmbeddedBroker | undefined;
    const hooks = !o.brokerUrl && secrets ? secrets.brokerHooks() : undefined;
    if (!o.brokerUrl) {
      broker = await startEmbeddedBroker({ ...(hooks ? { hooks } : {}), ...(o.websocket ? { wsPort: 0 } : {}) });
      cleanup.push(() => broker!.close());
    }
    const url = o.brokerUrl ?? broker!.url;
    phase(`broker ${url}${secrets ? `: secure (${secrets.identities.length} identities, ACL, signed plans${secrets.mavlinkKeys.size ? ', MAVLink signing' : ''})` : ''}`);
    await o.onBroker?.({ url, ...(broker?.wsUrl ? { wsUrl: broker.wsUrl } : {}), ...(secrets ? { credentials: cred } : {}) });
    // Client ids never reach the recording; unique, so two missions can share a broker.
    const uniq = `${process.pid}-${Date.now().toString(36)}`;

    const recBus = await Bus.connect({ url, clientId: `uavmec-recorder-${uniq}`, sender: 'recorder', clock, log: log.child({ c: 'recorder' }), ...cred('recorder') });
    const recorder = new Recorder(path.join(o.runDir, 'mqtt.rec'), { canonical: virtual });
    await recorder.attach(recBus);
    let recording = true;
    const stopRecording = async () => {
      if (!recording) return;
      recording = false;
      // Time stops first, so the recording ends at a quiescent instant (its tail does not depend on how long closing takes).
      await vclock?.stop();
      await recBus.close();
      await recorder.close();
    };
    cleanup.push(stopRecording);

    const ctlBus = await Bus.connect({ url, clientId: `uavmec-controller-${uniq}`, sender: 'controller', clock, log: log.child({ c: 'controller' }), ...cred('controller') });
    cleanup.push(() => ctlBus.close());
    const video = o.video ? new S2Driver(ctlBus, clock, o.video.driver, o.video.actor.act, log.child({ c: 's2' }), held) : undefined;
    const s0cfg = o.s0 ? await s0ControllerConfig(o.s0, held) : undefined;
    if (s0cfg?.warmStart) cleanup.push(() => s0cfg.warmStart!.close());
    const ctlCfg: ControllerConfig = {
      slots: s.slots, slotS: s.slotS, algo: o.algo, channel: s.channel, cruiseAltM: s.cruiseAltM, speedMS: s.uavSpeedMS,
      uavTxPowerW: s.uav.txPowerW, seed: s.seed, waitForUavs: s.uavs, readyTimeoutS: 30, ...(secrets ? { planSigningKey: secrets.planSigningKey } : {}),
      ...(poolConfigFor(s) ? { pool: poolConfigFor(s)! } : {}),
      ...(o.policy ? { trajectory: o.policy.trajectory } : {}),
      ...(o.video && video ? { trajectory: o.video.trajectory, video, drainSlots: o.video.drainSlots } : {}),
      ...(o.s0 && s0cfg ? { s0: s0cfg, launchTimeoutS: s0LaunchTimeoutS(o.s0) } : {}),
    };
    const shards = (o.shards ?? 1) > 1 ? await startShards({ count: o.shards!, scenario: s, url, uniq, clock, log, cfg: ctlCfg, coordinatorBus: ctlBus }) : undefined;
    if (shards) cleanup.push(() => shards.close());
    const ctl = new ControllerService(ctlBus, clock, shards ? { ...ctlCfg, shard: shards.coordinatorLink } : ctlCfg, log.child({ c: shards ? 'shard-1' : 'controller' }), {
      onSlot: (m, k) => {
        o.onSlot?.(m, k);
        if (timing) o.onTiming?.(timing.slot(k, ctl.ledger.slots));
      },
      ...(o.onPoolRound ? { onPoolRound: o.onPoolRound } : {}),
    });
    // Subscribed before anyone else publishes (see ControllerService.attach).
    await ctl.attach();

    const sitl: SitlFleet = await held(startSitl({ vehicles: s.uavs, flavour: o.flavour, clock, home: s.origin, spacingM: 6, basePort: 0, batteryJ: s.uav.batteryJ,
      ...(o.policy ? { homeOffsetsM: o.policy.homeOffsetsM } : {}), ...(o.video ? { homeOffsetsM: o.video.homeOffsetsM } : {}), ...(o.s0 ? s0SitlOptions(o.s0) : {}) }));
    cleanup.push(() => sitl.stop());
    phase(`SITL: ${s.uavs} ${o.flavour} vehicles on ${sitl.vehicles.map((v) => v.url).join(', ')}`);

    const agents: RunningAgent[] = [];
    const killed = new Set<RunningAgent>();
    const closeAgent = async (a: RunningAgent) => {
      if (killed.has(a)) return;
      killed.add(a);
      await a.close();
    };
    for (const v of sitl.vehicles) {
      // Not held as a whole: MAVLink signing provisioning waits for the autopilot's heartbeats,
      // which need clock time; createAgent holds the clock for each piece of real I/O itself.
      const a = await createAgent({
        uavId: v.sysid, autopilotUrl: v.url, broker: { url, ...cred(`uav-${v.sysid}`) }, clientId: `uavmec-uav-${v.sysid}-${uniq}`, clock, log: log.child({ c: `uav-${v.sysid}` }),
        profile: uavProfile(s, v.sysid, clock.nowUs()),
        tlogPath: path.join(o.runDir, `uav-${v.sysid}.tlog`),
        ...(o.policy ? { modelsDir: o.policy.model.dir, envelope: o.policy.envelope } : {}),
        ...(o.video ? { envelope: o.video.envelope } : {}),
        ...(o.s0 ? s0AgentOptions(o.s0, v.sysid, clock.nowUs()) : {}),
        ...(secrets ? { planVerifyKey: secrets.planVerifyKey } : {}),
        ...(secrets?.mavlinkKeys.get(v.sysid) ? { mavlinkSigningKey: secrets.mavlinkKeys.get(v.sysid)! } : {}),
      });
      agents.push(a);
      cleanup.push(() => closeAgent(a));
    }
    await Promise.all(agents.map(async (a) => {
      const r = await a.vehicle.waitConnected(10_000);
      if (!r.ok) throw new Error(`agent could not reach its autopilot (${r.reason})`);
    }));
    phase(`${agents.length} agents connected to their autopilots`);

    const worldBus = await Bus.connect({ url, clientId: `uavmec-world-${uniq}`, sender: 'world', clock, log: log.child({ c: 'world' }), ...cred('world') });
    const world = o.video ? o.video.startWorld(worldBus, clock, log.child({ c: 'world' })) : o.s0 ? new S0WorldService(worldBus, clock, o.s0.setting, log.child({ c: 'world' })) : new WorldService(worldBus, clock, s, log.child({ c: 'world' }));
    await held(world.start());
    cleanup.push(async () => {
      world.stop();
      await worldBus.close();
    });

    for (const a of agents) a.service.publishTwin();
    await o.onReady?.({
      brokerUrl: url, clock,
      killAgent: async (uavId) => {
        const a = agents.find((x) => x.service.uavId === uavId);
        if (a) await closeAgent(a);
      },
      ...(secrets ? { security: { credentials: (id: string) => secrets.credentials(id), ...(hooks ? { denials: hooks.denials } : {}) } } : {}),
    });
    if (shards) await shards.start();
    await ctl.start();
    await ctl.finished;
    await shards?.finished();
    phase('last slot done; UAVs returning to launch');

    const landBy = clock.nowUs() + (o.landTimeoutS ?? (o.s0 ? s0LandTimeoutS(o.s0) : 120)) * 1e6;
    while (clock.nowUs() < landBy && agents.some((a) => !killed.has(a) && a.vehicle.state().armed)) await clock.sleep(500);
    const landed = agents.filter((a) => !a.vehicle.state().armed).length;
    phase(`${landed}/${agents.length} UAVs landed and disarmed`);
    await stopRecording();
    const determinism: MissionSummary['determinism'] = vclock
      ? {
          clock: 'virtual', timersFired: vclock.stats.fired, stalls: vclock.stats.stalls, stalledOn: vclock.stats.stalledOn, unmatched: vclock.activity.unmatched,
          recordingSha256: recordingSha256(path.join(o.runDir, 'mqtt.rec')), tlogSha256: {},
        }
      : undefined;

    const books = shards ? shards.books(ctl) : ctl.ledger;
    const summary: MissionSummary = {
      scenario: { ...s, flavour: o.flavour, algo: o.algo, ...(virtual ? {} : { speed }), broker: o.brokerUrl ? 'external' : 'embedded' } as unknown as Record<string, unknown>,
      timing: timing ? timing.summary(books.slots) : { clock: 'lockstep', degraded: false },
      ...(secrets ? { security: {
        identities: secrets.identities.length, signedPlans: true, mavlinkSigning: secrets.mavlinkKeys.size > 0,
        ...(hooks ? { brokerDenials: { ...hooks.denials } } : {}),
      } } : {}),
      trajectory: o.policy ? 'policy' : o.video ? 'video' : 'planner',
      ...(o.video && video?.accounts && s2Prediction ? { video: compareS2Run(o.video, video.accounts, { ...video.ledger.counts, missedSegments: video.missedSegments, latencyS: video.ledger.latencyS }, s2Prediction) } : {}),
      ...(o.s0 && ctl.s0 && world instanceof S0WorldService ? { system: 's0' as const, s0: s0Summary(o.s0, ctl.s0, world.stats) } : {}),
      ...(o.policy && prediction ? { policy: comparePolicyRun(o.policy, prediction, ctl.ledger.slots, ctl.positionsBySlot) } : {}),
      wallS: (performance.now() - wall0) / 1000,
      simS: (clock.nowUs() - sim0) / 1e6,
      slots: books.slots,
      totals: books.totals(),
      ...(shards ? { shards: shards.summary(ctl) } : {}),
      ...(ctl.pool ? { pools: ctl.ledger.pools } : {}),
      uavs: agents.map((a) => {
        const st = a.vehicle.state();
        const tw = shards ? shards.twinOf(ctl, a.service.uavId) : ctl.twin.get(a.service.uavId);
        return {
          uavId: a.service.uavId,
          distanceM: a.service.stats.distanceM,
          maxAltM: a.service.stats.maxAltM,
          flightEnergyJ: st.batteryConsumedJ ?? tw?.flightEnergyJ ?? 0,
          computeEnergyJ: tw?.computeEnergyJ ?? 0,
          tasksComputed: a.service.stats.tasksDone,
          plansAccepted: a.service.stats.plansAccepted,
          plansRefused: a.service.stats.plansRefused,
          ...(a.service.planAuth ? { planAuth: a.service.planAuth } : {}),
          setpointsSent: a.service.stats.setpoints,
          envelope: { ...a.service.envelopeReasons },
        };
      }),
      bus: {
        published: ctlBus.stats.published + worldBus.stats.published + agents.reduce((n, a) => n + a.bus.stats.published, 0),
        dropped: mergeCounts([ctlBus.stats.dropped, worldBus.stats.dropped, ...agents.map((a) => a.bus.stats.dropped)]),
        droppedByTopic: mergeCounts([ctlBus.stats.droppedByTopic, worldBus.stats.droppedByTopic, ...agents.map((a) => a.bus.stats.droppedByTopic)]),
      },
      recording: { file: 'mqtt.rec', messages: recorder.count, rejected: { ...recorder.rejected } },
      tlogs: agents.map((a) => `uav-${a.service.uavId}.tlog`),
      ...(determinism ? { determinism } : {}),
    };
    fs.writeFileSync(path.join(o.runDir, 'summary.json'), JSON.stringify(summary, null, 2));
    const rep = writeReport([o.runDir]);
    phase(rep.ok ? `report ${rep.value}` : `report not written: ${rep.detail ?? rep.reason}`);
    return summary;
  } finally {
    for (const c of cleanup.reverse()) {
      try {
        await c();
      } catch (e) {
        log.warn({ err: e }, 'cleanup step failed');
      }
    }
    log.flush();
  }
}

function mergeCounts(list: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of list) for (const [k, v] of Object.entries(c)) out[k] = (out[k] ?? 0) + v;
  return out;
}


