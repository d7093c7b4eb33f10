/**
 * The controllers of a failover mission: in this process (two connections each — the main one
 * with its last will and a persistent session, the heartbeat one — the lease, the service) or as
 * separate OS processes (process.ts); what each received (twin seqs, task ids) for the analysis,
 * and its role as far as the mission can tell.
 */
import type { Clock } from '../../../core/clock.ts';
import { poolConfigFor, type Scenario } from '../../../sim/world/index.ts';
import { decode } from '../../../proto/index.ts';
import { Bus, type BrokerCredentials } from '../../common/bus.ts';
import type { Logger } from '../../common/log.ts';
import { ControllerService } from '../../controller/service/index.ts';
import { Leadership, leaderWill } from '../../controller/leader/index.ts';
import type { SlotMetrics } from '../../controller/metrics.ts';
import type { OffloadAlgo } from '../../../engines/planning/offload/index.ts';
import type { KeyObject } from 'node:crypto';
import type { ControllerProcess } from './process.ts';

export interface RunningController {
  id: string;
  rank: number;
  killed: boolean;
  /** In this process. */
  local?: { bus: Bus; heartbeat: Bus; service: ControllerService; leadership: Leadership };
  /** A separate process. */
  proc?: ControllerProcess;
  /** Twin header seqs this controller received, per UAV (which subscribers missed a lost message). */
  twinSeqs: Map<number, Set<number>>;
  /** Task request ids this controller received (in process only). */
  taskIds?: Set<number>;
}

export interface LocalControllerEnv {
  /** The broker list this controller connects along. */
  brokers: string;
  clientTag: string;
  scenario: Scenario;
  algo: OffloadAlgo;
  clock: Clock;
  log: Logger;
  /** The `controller` identity's login in a secure mission ({} otherwise). */
  cred: BrokerCredentials;
  planSigningKey?: KeyObject;
  onSlot?: (m: SlotMetrics, slot: number, controllerId: string) => void;
}

/** Connects a controller in this process and builds its lease and service (not started). */
export async function localController(id: string, rank: number, e: LocalControllerEnv): Promise<RunningController> {
  const s = e.scenario;
  const clog = e.log.child({ c: id });
  const bus = await Bus.connect({ url: e.brokers, clientId: `uavmec-${id}-${e.clientTag}`, sender: 'controller', clock: e.clock, log: clog, will: leaderWill(id), ...e.cred,
    // A persistent session rides out the cluster closing the connection mid-stall: subscriptions
    // stay (no JetStream consumers to re-create while it re-elects), QoS 1 plans in flight are resent.
    persistentSession: true });
  const heartbeat = await Bus.connect({ url: e.brokers, clientId: `uavmec-${id}-hb-${e.clientTag}`, sender: 'controller', clock: e.clock, log: clog, ...e.cred });
  const leadership = new Leadership(bus, e.clock, { controllerId: id, rank, slotS: s.slotS, slots: s.slots }, clog);
  const service = new ControllerService(bus, e.clock, {
    slots: s.slots, slotS: s.slotS, algo: e.algo, channel: s.channel, cruiseAltM: s.cruiseAltM, speedMS: s.uavSpeedMS,
    uavTxPowerW: s.uav.txPowerW, seed: s.seed, waitForUavs: s.uavs, readyTimeoutS: 30, leadership, heartbeatBus: heartbeat,
    // A broker node's death stalls QoS 1 (plans) for seconds; plans outlive that stall.
    planValiditySlots: 4,
    ...(e.planSigningKey ? { planSigningKey: e.planSigningKey } : {}),
    ...(poolConfigFor(s) ? { pool: poolConfigFor(s)! } : {}),
  }, clog, { ...(e.onSlot ? { onSlot: (m: SlotMetrics, k: number) => e.onSlot!(m, k, id) } : {}) });
  const c: RunningController = { id, rank, local: { bus, heartbeat, service, leadership }, killed: false, twinSeqs: new Map(), taskIds: new Set() };
  // Which node each connection is on, and when it drops (the chaos analysis reads mission.log).
  bus.onConnectionChange((up) => clog.info({ conn: 'main', up, node: bus.brokerUrl, role: leadership.role }, up ? 'connected' : 'disconnected'));
  heartbeat.onConnectionChange((up) => clog.info({ conn: 'heartbeat', up, node: heartbeat.brokerUrl, role: leadership.role }, up ? 'connected' : 'disconnected'));
  bus.tap((topic, payload) => noteTwin(c.twinSeqs, topic, payload));
  bus.tap((topic, payload) => topic.endsWith('/task') && noteTask(c.taskIds!, payload));
  return c;
}

/** Notes the header seq of a twin state a controller received. */
function noteTwin(seqs: Map<number, Set<number>>, topic: string, payload: Buffer): void {
  if (!topic.endsWith('/twin')) return;
  const r = decode('TwinState', payload);
  if (!r.ok) return;
  const set = seqs.get(r.value.uav_id) ?? new Set<number>();
  set.add(r.value.header!.seq);
  seqs.set(r.value.uav_id, set);
}

/** Notes the id of a task request a controller received. */
function noteTask(ids: Set<number>, payload: Buffer): void {
  const r = decode('TaskRequest', payload);
  if (r.ok) ids.add(r.value.task_id);
}

/** A controller's role as far as the mission can tell (in process: its lease state; a process: its log). */
export function roleOf(c: RunningController): string {
  if (c.local) return c.local.leadership.role;
  const e = c.proc!.events.at(-1);
  return e ? (e.event === 'standby' ? 'standby' : 'leader') : 'joining';
}
