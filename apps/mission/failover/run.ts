/**
 * A mission past one machine's single points of failure (issue 19 §4): a clustered broker
 * (`brokerNodes` nats-server nodes on loopback), `controllers` controllers electing a leader
 * (apps/controller/leader/), the SITL fleet with one agent each (on-disk outbox, broker lists),
 * the simulated users, and a chaos schedule that kills the leading controller, kills broker nodes
 * (SIGKILL) and restarts a killed controller at chosen slots. A monitor on the bus notes what
 * happened; the summary says how long each takeover took, whether the plan sequence stayed
 * continuous, how many UAVs reached a failsafe and how much telemetry was lost.
 *
 * The cluster planner flies (the policy trajectory needs its model's scenario: not wired here).
 * Processes share this one Node process, as in `uavmec mission`; a killed controller's MQTT
 * connection is dropped without DISCONNECT, so the broker sees exactly what a crash looks like.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ScaledClock } from '../../../core/clock.ts';
import { startSitl, type SitlFleet } from '../../../sim/autopilot/index.ts';
import { launchPads, uavProfile, WorldService, type Scenario } from '../../../sim/world/index.ts';
import { createAgent, type RunningAgent } from '../../agent/create.ts';
import { Bus, type BrokerCredentials } from '../../common/bus.ts';
import { Recorder } from '../../common/recorder.ts';
import { createLogger, type Logger } from '../../common/log.ts';
import { startNatsCluster, type NatsCluster } from '../../cluster/index.ts';
import type { SlotMetrics } from '../../controller/metrics.ts';
import type { OffloadAlgo } from '../../../engines/planning/offload/index.ts';
import { planContinuity, telemetryLoss, type ChaosStep } from './chaos.ts';
import { spawnController } from './process.ts';
import { Monitor } from './monitor.ts';
import { summarize, type ChaosRecord, type FailoverSummary } from './summary.ts';
import { failoverSecurity, securityTotals, type FailoverSecurity } from './secure.ts';
import { localController, roleOf, type RunningController } from './controllers.ts';
import { runChaos } from './schedule.ts';
import type { MissionSecurityOptions } from '../secure.ts';

export interface FailoverMissionOptions {
  scenario: Scenario;
  speed: number;
  flavour: 'ardupilot' | 'px4';
  algo: OffloadAlgo;
  runDir: string;
  /** Broker nodes (default 3). */
  brokerNodes?: number;
  /** Controllers (default 2). */
  controllers?: number;
  chaos?: ChaosStep[];
  onPhase?: (what: string) => void;
  onSlot?: (m: SlotMetrics, slot: number, controllerId: string) => void;
  /** How long to wait for the UAVs to land after the last slot, simulated s (default 120). */
  landTimeoutS?: number;
  /**
   * Run each controller as its own OS process (`uavmec controller --leader-id …`, process.ts), as
   * on separate hosts; the chaos SIGKILLs the leader's process. Default: in this process, the
   * leader's connections dropped without DISCONNECT.
   */
  controllerProcesses?: boolean;
  /** Called once the cluster is up (`mission --cluster --view` starts the view on a node's MQTT-over-WebSocket URL). */
  onBroker?: (b: { url: string; wsUrl: string; credentials?: (identity: string) => BrokerCredentials }) => void | Promise<void>;
  /**
   * Secure mode (secure.ts): every process under its own identity on a cluster that admits only
   * those (passwords), signed plans verified by the agents, MAVLink signing. Ephemeral keys unless
   * `secretsDir`. In-process controllers only.
   */
  security?: MissionSecurityOptions;
}

export type { RunningController } from './controllers.ts';

const rotate = (urls: string[], i: number) => [...urls.slice(i % urls.length), ...urls.slice(0, i % urls.length)].join(',');

export async function runFailoverMission(o: FailoverMissionOptions): Promise<FailoverSummary> {
  const s = o.scenario;
  fs.mkdirSync(o.runDir, { recursive: true });
  const log = createLogger({ name: 'mission', file: path.join(o.runDir, 'mission.log') });
  const phase = (p: string) => {
    log.info(p);
    o.onPhase?.(p);
  };
  // Anchored at wall time now: controller processes given the same anchor and speed share this clock.
  const anchorMs = Date.now();
  const clock = new ScaledClock(o.speed, undefined, anchorMs);
  const wall0 = performance.now();
  const uniq = `${process.pid}-${Date.now().toString(36)}`;
  const cleanup: (() => Promise<void> | void)[] = [];
  const nCtl = o.controllers ?? 2;
  if (o.security && o.controllerProcesses) throw new RangeError('a secure failover mission runs its controllers in this process (a controller process would need the ephemeral keys on its command line or on disk)');
  const sec: FailoverSecurity | undefined = o.security ? failoverSecurity(o.security, Array.from({ length: s.uavs }, (_, i) => i + 1)) : undefined;
  const cred = (identity: string) => sec?.cred(identity) ?? {};
  try {
    const cluster: NatsCluster = await startNatsCluster({ nodes: o.brokerNodes ?? 3, dir: path.join(o.runDir, 'cluster'), ...(sec ? { authorization: sec.clusterAuth } : {}) });
    cleanup.push(() => cluster.stop());
    const urls = cluster.urls;
    phase(`broker: ${urls.length}-node nats-server cluster (MQTT over JetStream, R${Math.min(3, urls.length)}): ${urls.join(', ')}${sec ? `; secure: ${sec.secrets.identities.length} identities with their passwords and grants, signed plans${sec.secrets.mavlinkKeys.size ? ', MAVLink signing' : ''}` : ''}`);
    // The view on every node's MQTT over WebSocket (nats-server serves it on /mqtt), from the last
    // (the chaos kills node 1 by default); it moves along the list when its node dies.
    await o.onBroker?.({ url: urls.join(','), wsUrl: rotate(cluster.wsUrls, cluster.wsUrls.length - 1), ...(sec ? { credentials: sec.cred } : {}) });
    const monitor = await Monitor.start(rotate(urls, urls.length - 1), clock, log.child({ c: 'monitor' }), uniq, cred('recorder'));
    cleanup.push(() => monitor.bus.close());
    // The run's recording (uavmec replay re-makes every leader's plans from it), on the monitor's persistent session.
    const recorder = new Recorder(path.join(o.runDir, 'mqtt.rec'));
    await recorder.attach(monitor.bus);
    cleanup.push(() => recorder.close());

    const sitl: SitlFleet = await startSitl({ vehicles: s.uavs, flavour: o.flavour, clock, home: s.origin, homeOffsetsM: launchPads(s), basePort: 0, batteryJ: s.uav.batteryJ });
    cleanup.push(() => sitl.stop());
    const agents: RunningAgent[] = [];
    for (const [i, v] of sitl.vehicles.entries()) {
      const a = await createAgent({
        uavId: v.sysid, autopilotUrl: v.url, broker: { url: rotate(urls, i), ...cred(`uav-${v.sysid}`) }, clientId: `uavmec-uav-${v.sysid}-${uniq}`, clock, log: log.child({ c: `uav-${v.sysid}` }), profile: uavProfile(s, v.sysid, clock.nowUs()),
        stateDir: path.join(o.runDir, 'agents', `uav-${v.sysid}`),
        ...(sec ? { planVerifyKey: sec.secrets.planVerifyKey } : {}),
        ...(sec?.secrets.mavlinkKeys.get(v.sysid) ? { mavlinkSigningKey: sec.secrets.mavlinkKeys.get(v.sysid)! } : {}),
      });
      agents.push(a);
      cleanup.push(() => a.close());
    }
    await Promise.all(agents.map(async (a) => {
      const r = await a.vehicle.waitConnected(10_000);
      if (!r.ok) throw new Error(`agent could not reach its autopilot (${r.reason})`);
    }));
    phase(`SITL: ${s.uavs} ${o.flavour} vehicles; ${agents.length} agents, each with the broker list from a different node`);

    const worldBus = await Bus.connect({ url: rotate(urls, 1), clientId: `uavmec-world-${uniq}`, sender: 'world', clock, log: log.child({ c: 'world' }), persistentSession: true, ...cred('world') });
    const world = new WorldService(worldBus, clock, s, log.child({ c: 'world' }));
    await world.start();
    cleanup.push(async () => {
      world.stop();
      await worldBus.close();
    });

    const controllers: RunningController[] = [];
    let resolveDone!: (c: RunningController | undefined) => void;
    let rejectDone!: (e: Error) => void;
    const done = new Promise<RunningController | undefined>((r, j) => ((resolveDone = r), (rejectDone = j)));
    let failed = false;
    done.catch(() => (failed = true));
    const startProcess = (id: string, rank: number): RunningController => {
      const proc = spawnController({ id, rank, brokers: rotate(urls, rank + 1), scenario: s, runDir: o.runDir, speed: o.speed, anchorMs, algo: o.algo, clock });
      const c: RunningController = { id, rank, killed: false, proc, twinSeqs: new Map() };
      controllers.push(c);
      void proc.exited.then(() => {
        if (!c.killed && proc.totals) resolveDone(c);
      });
      return c;
    };
    const startLocal = async (id: string, rank: number): Promise<RunningController> => {
      const c = await localController(id, rank, {
        brokers: rotate(urls, rank + 1), clientTag: `${uniq}-${controllers.length}`, scenario: s, algo: o.algo, clock, log, cred: cred('controller'),
        ...(sec ? { planSigningKey: sec.secrets.planSigningKey } : {}), ...(o.onSlot ? { onSlot: o.onSlot } : {}),
      });
      const service = c.local!.service;
      controllers.push(c);
      void service.finished.then(() => {
        if (!c.killed && !service.stoppedBecause) resolveDone(c);
      });
      service.start().catch((e: unknown) => {
        log.child({ c: id }).error({ err: e }, 'controller failed');
        // A controller that fails by itself (not killed by the chaos) ends the mission: nothing would lead it.
        if (!c.killed) rejectDone(new Error(`controller ${id} failed: ${(e as Error).message}`));
      });
      return c;
    };
    const startController = async (id: string, rank: number): Promise<RunningController> => (o.controllerProcesses ? startProcess(id, rank) : startLocal(id, rank));
    cleanup.push(async () => {
      for (const c of controllers) {
        if (c.proc && c.proc.child.exitCode === null) c.proc.child.kill('SIGKILL');
        if (!c.local) continue;
        c.local.service.stop();
        if (!c.killed) await Promise.all([c.local.bus.close(), c.local.heartbeat.close()]).catch(() => undefined);
      }
    });
    // Controller processes: the run ends when the mission's leader says FINISHED on the bus.
    if (o.controllerProcesses) {
      void (async () => {
        while (!monitor.leaders.some((l) => l.state === 'finished')) await clock.sleep(100);
        await clock.sleep(s.slotS * 1000);
        resolveDone(undefined);
      })();
    }
    for (const a of agents) a.service.publishTwin();
    const first = await startController('c1', 0);
    const until0 = clock.nowUs() + 60e6;
    while (!monitor.leaders.some((l) => l.state === 'leading' && l.controllerId === 'c1') && clock.nowUs() < until0 && !failed) await clock.sleep(100);
    for (let j = 2; j <= nCtl; j++) {
      const c = await startController(`c${j}`, j - 2);
      // A standby is only a standby once it has subscribed and read the lease (JetStream consumers take a while).
      const until = clock.nowUs() + 30e6;
      while (roleOf(c) === 'joining' && clock.nowUs() < until && !failed) await clock.sleep(100);
    }
    phase(`controllers${o.controllerProcesses ? ' (separate processes)' : ''}: ${first.id} leads; ${nCtl > 1 ? `${Array.from({ length: nCtl - 1 }, (_, j) => `c${j + 2}`).join(', ')} standby with a warm twin` : 'no standby'}`);

    const records: ChaosRecord[] = [];
    let finishedFlag = false;
    const chaos = runChaos(o.chaos ?? [], { monitor, controllers, cluster, clock, slotS: s.slotS, phase, startController, finished: () => finishedFlag }, records);
    // Also on a failure: the chaos loop stops waiting for its slots.
    const winner = await done.finally(() => (finishedFlag = true));
    const tEndUs = clock.nowUs();
    await chaos;
    const fin = monitor.leaders.find((l) => l.state === 'finished');
    phase(`last slot done (${fin?.controllerId ?? winner?.id ?? '?'} led it, epoch ${fin?.epoch ?? '?'}); UAVs returning to launch`);

    const landBy = clock.nowUs() + (o.landTimeoutS ?? 120) * 1e6;
    while (clock.nowUs() < landBy && agents.some((a) => a.vehicle.state().armed)) await clock.sleep(500);
    const landed = agents.filter((a) => !a.vehicle.state().armed).length;
    phase(`${landed}/${agents.length} UAVs landed and disarmed`);

    const last = controllers.filter((c) => c.id === fin?.controllerId && !c.killed).at(-1);
    if (last?.proc) await Promise.race([last.proc.exited, clock.sleep(10_000)]);
    const summary = summarize({
      scenario: s, algo: o.algo, records, controllers, monitor, tEndUs, landed,
      ...(last?.proc?.totals ? { processTotals: last.proc.totals } : {}),
      continuity: planContinuity(monitor.plans, s.slots),
      telemetry: telemetryLoss(monitor.twinSeqs),
      uplinkDropped: agents.reduce((n, a) => n + a.uplink.dropped(), 0),
      agentFailovers: agents.reduce((n, a) => n + a.bus.stats.connects - 1, 0),
      wallS: (performance.now() - wall0) / 1000,
      brokerNodes: urls.length,
      world: world.stats,
      ...(sec ? { security: securityTotals(sec, agents.map((a) => a.service.planAuth)) } : {}),
    });
    summary.recording = { file: 'mqtt.rec', messages: recorder.count, rejected: { ...recorder.rejected } };
    fs.writeFileSync(path.join(o.runDir, 'summary.json'), JSON.stringify(summary, null, 2));
    return summary;
  } finally {
    for (const f of cleanup.reverse()) {
      try {
        await f();
      } catch (e) {
        (log as Logger).warn({ err: e }, 'cleanup step failed');
      }
    }
  }
}
