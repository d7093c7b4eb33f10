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
import { poolConfigFor, uavProfile, WorldService, type Scenario } from '../../../sim/world/index.ts';
import { createAgent, type RunningAgent } from '../../agent/create.ts';
import { Bus } from '../../common/bus.ts';
import { createLogger, type Logger } from '../../common/log.ts';
import { startNatsCluster, type NatsCluster } from '../../cluster/index.ts';
import { ControllerService } from '../../controller/service.ts';
import { Leadership, leaderWill } from '../../controller/leader/index.ts';
import type { SlotMetrics } from '../../controller/metrics.ts';
import type { OffloadAlgo } from '../../../engines/planning/offload/index.ts';
import { planContinuity, telemetryLoss, type ChaosStep } from './chaos.ts';
import { Monitor } from './monitor.ts';
import { summarize, type ChaosRecord, type FailoverSummary } from './summary.ts';

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
}

export interface RunningController {
  id: string;
  bus: Bus;
  heartbeat: Bus;
  service: ControllerService;
  leadership: Leadership;
  killed: boolean;
}

const rotate = (urls: string[], i: number) => [...urls.slice(i % urls.length), ...urls.slice(0, i % urls.length)].join(',');

export async function runFailoverMission(o: FailoverMissionOptions): Promise<FailoverSummary> {
  const s = o.scenario;
  fs.mkdirSync(o.runDir, { recursive: true });
  const log = createLogger({ name: 'mission', file: path.join(o.runDir, 'mission.log') });
  const phase = (p: string) => {
    log.info(p);
    o.onPhase?.(p);
  };
  const clock = new ScaledClock(o.speed);
  const wall0 = performance.now();
  const uniq = `${process.pid}-${Date.now().toString(36)}`;
  const cleanup: (() => Promise<void> | void)[] = [];
  const nCtl = o.controllers ?? 2;
  try {
    const cluster: NatsCluster = await startNatsCluster({ nodes: o.brokerNodes ?? 3, dir: path.join(o.runDir, 'cluster') });
    cleanup.push(() => cluster.stop());
    const urls = cluster.urls;
    phase(`broker: ${urls.length}-node nats-server cluster (MQTT over JetStream, R${Math.min(3, urls.length)}): ${urls.join(', ')}`);
    const monitor = await Monitor.start(rotate(urls, urls.length - 1), clock, log.child({ c: 'monitor' }), uniq);
    cleanup.push(() => monitor.bus.close());

    const sitl: SitlFleet = await startSitl({ vehicles: s.uavs, flavour: o.flavour, clock, home: s.origin, spacingM: 6, basePort: 0, batteryJ: s.uav.batteryJ });
    cleanup.push(() => sitl.stop());
    const agents: RunningAgent[] = [];
    for (const [i, v] of sitl.vehicles.entries()) {
      const a = await createAgent({
        uavId: v.sysid, autopilotUrl: v.url, broker: { url: rotate(urls, i) }, clientId: `uavmec-uav-${v.sysid}-${uniq}`, clock, log: log.child({ c: `uav-${v.sysid}` }), profile: uavProfile(s, v.sysid, clock.nowUs()),
        stateDir: path.join(o.runDir, 'agents', `uav-${v.sysid}`),
      });
      agents.push(a);
      cleanup.push(() => a.close());
    }
    await Promise.all(agents.map(async (a) => {
      const r = await a.vehicle.waitConnected(10_000);
      if (!r.ok) throw new Error(`agent could not reach its autopilot (${r.reason})`);
    }));
    phase(`SITL: ${s.uavs} ${o.flavour} vehicles; ${agents.length} agents, each with the broker list from a different node`);

    const worldBus = await Bus.connect({ url: rotate(urls, 1), clientId: `uavmec-world-${uniq}`, sender: 'world', clock, log: log.child({ c: 'world' }), persistentSession: true });
    const world = new WorldService(worldBus, clock, s, log.child({ c: 'world' }));
    await world.start();
    cleanup.push(async () => {
      world.stop();
      await worldBus.close();
    });

    const controllers: RunningController[] = [];
    let resolveDone!: (c: RunningController) => void;
    const done = new Promise<RunningController>((r) => (resolveDone = r));
    const startController = async (id: string, rank: number): Promise<RunningController> => {
      const clog = log.child({ c: id });
      const bus = await Bus.connect({ url: rotate(urls, rank + 1), clientId: `uavmec-${id}-${uniq}-${controllers.length}`, sender: 'controller', clock, log: clog, will: leaderWill(id),
        // A persistent session rides out the cluster closing the connection mid-stall: subscriptions
        // stay (no JetStream consumers to re-create while it re-elects), QoS 1 plans in flight are resent.
        persistentSession: true });
      const heartbeat = await Bus.connect({ url: rotate(urls, rank + 1), clientId: `uavmec-${id}-hb-${uniq}-${controllers.length}`, sender: 'controller', clock, log: clog });
      const leadership = new Leadership(bus, clock, { controllerId: id, rank, slotS: s.slotS, slots: s.slots }, clog);
      const service = new ControllerService(bus, clock, {
        slots: s.slots, slotS: s.slotS, algo: o.algo, channel: s.channel, cruiseAltM: s.cruiseAltM, speedMS: s.uavSpeedMS,
        uavTxPowerW: s.uav.txPowerW, seed: s.seed, waitForUavs: s.uavs, readyTimeoutS: 30, leadership, heartbeatBus: heartbeat,
        // A broker node's death stalls QoS 1 (plans) for seconds; plans outlive that stall.
        planValiditySlots: 4,
        ...(poolConfigFor(s) ? { pool: poolConfigFor(s)! } : {}),
      }, clog, { ...(o.onSlot ? { onSlot: (m: SlotMetrics, k: number) => o.onSlot!(m, k, id) } : {}) });
      const c: RunningController = { id, bus, heartbeat, service, leadership, killed: false };
      controllers.push(c);
      void service.finished.then(() => {
        if (!c.killed && !service.stoppedBecause) resolveDone(c);
      });
      service.start().catch((e: unknown) => clog.error({ err: e }, 'controller failed'));
      return c;
    };
    cleanup.push(async () => {
      for (const c of controllers) {
        c.service.stop();
        if (!c.killed) await Promise.all([c.bus.close(), c.heartbeat.close()]).catch(() => undefined);
      }
    });
    for (const a of agents) a.service.publishTwin();
    const first = await startController('c1', 0);
    await first.leadership.lead;
    for (let j = 2; j <= nCtl; j++) {
      const c = await startController(`c${j}`, j - 2);
      // A standby is only a standby once it has subscribed and read the lease (JetStream consumers take a while).
      const until = clock.nowUs() + 30e6;
      while (c.leadership.role === 'joining' && clock.nowUs() < until) await clock.sleep(100);
    }
    phase(`controllers: c1 leads; ${nCtl > 1 ? `${Array.from({ length: nCtl - 1 }, (_, j) => `c${j + 2}`).join(', ')} standby with a warm twin` : 'no standby'}`);

    const records: ChaosRecord[] = [];
    let finishedFlag = false;
    let lastKilled: string | undefined;
    const chaos = (async () => {
      for (const step of o.chaos ?? []) {
        while (monitor.slot < step.slot && !finishedFlag) await clock.sleep(s.slotS * 50);
        if (finishedFlag) return;
        const tUs = clock.nowUs();
        if (step.kind === 'leader') {
          const c = controllers.find((x) => !x.killed && x.leadership.isLeader);
          if (!c) continue;
          c.killed = true;
          lastKilled = c.id;
          records.push({ slot: step.slot, tUs, kind: 'leader', target: c.id, epoch: c.leadership.epoch });
          c.service.stop();
          await Promise.all([c.bus.kill(), c.heartbeat.kill()]);
          phase(`chaos @ slot ${step.slot}: killed the leader ${c.id} (epoch ${c.leadership.epoch})`);
        } else if (step.kind === 'broker') {
          records.push({ slot: step.slot, tUs, kind: 'broker', target: `node ${step.node}` });
          await cluster.kill(step.node - 1);
          phase(`chaos @ slot ${step.slot}: SIGKILLed broker node ${step.node} (${urls[step.node - 1]})`);
        } else if (lastKilled) {
          const id = lastKilled;
          lastKilled = undefined;
          records.push({ slot: step.slot, tUs, kind: 'restart', target: id });
          await startController(id, controllers.filter((x) => !x.killed).length);
          phase(`chaos @ slot ${step.slot}: restarted ${id} with the same command: it rejoins`);
        }
      }
    })();
    const winner = await done;
    finishedFlag = true;
    const tEndUs = clock.nowUs();
    await chaos;
    phase(`last slot done (${winner.id} led it, epoch ${winner.leadership.epoch}); UAVs returning to launch`);

    const landBy = clock.nowUs() + (o.landTimeoutS ?? 120) * 1e6;
    while (clock.nowUs() < landBy && agents.some((a) => a.vehicle.state().armed)) await clock.sleep(500);
    const landed = agents.filter((a) => !a.vehicle.state().armed).length;
    phase(`${landed}/${agents.length} UAVs landed and disarmed`);

    const summary = summarize({
      scenario: s, records, controllers, monitor, tEndUs, landed,
      continuity: planContinuity(monitor.plans, s.slots),
      telemetry: telemetryLoss(monitor.twinSeqs),
      uplinkDropped: agents.reduce((n, a) => n + a.uplink.dropped(), 0),
      agentFailovers: agents.reduce((n, a) => n + a.bus.stats.connects - 1, 0),
      wallS: (performance.now() - wall0) / 1000,
      brokerNodes: urls.length,
    });
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
