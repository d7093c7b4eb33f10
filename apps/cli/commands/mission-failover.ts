/**
 * `uavmec mission --cluster N --controllers M --chaos …` (issue 19 §4): the mission on a
 * clustered broker with several controllers and chaos (apps/mission/failover/).
 */
import path from 'node:path';
import { formatFailover, parseChaos, runFailoverMission, type FailoverSummary } from '../../mission/failover/index.ts';
import { int, num, oneOf } from '../args.ts';
import { UsageError } from '../command.ts';
import { scenarioFrom } from '../common-options.ts';
import { missionView } from './mission-view.ts';
import { missionSecurityFrom } from '../mission-security.ts';
import { loadSecrets } from '../../mission/secure.ts';

export const FAILOVER_OPTIONS = {
  cluster: { type: 'string' },
  controllers: { type: 'string' },
  chaos: { type: 'string' },
  'controller-processes': { type: 'boolean' },
} as const;

export const FAILOVER_HELP = `Past one machine (issue 19; planner trajectory, wall-clock):
  --cluster N        run the broker as an N-node nats-server cluster (MQTT over JetStream,
                     replicas 3) on free loopback ports; every process gets the list of node URLs
                     and fails over along it (needs /usr/sbin/nats-server; deploy/cluster/README.md)
  --controllers M    M controllers: one leads (a lease on a retained leader record, with a last
                     will), the others stand by with a warm twin and take over when it dies;
                     every plan carries the leader's epoch and agents refuse older epochs
                     (default 2 with --cluster)
  --chaos LIST       what to break, at which slot: leader@K kills the leading controller (its
                     connection drops as in a crash), restart@K starts the last killed controller
                     again with the same id (it rejoins the running mission), broker[N]@K SIGKILLs
                     broker node N (default 1). Prints each takeover (time in slots), the plan
                     sequence, UAVs in failsafe and telemetry lost. Use --speed 1 on a busy machine:
                     a killed node stalls the cluster's QoS 1 for seconds of wall time.
  --controller-processes  run each controller as its own process (\`uavmec controller --leader-id\`),
                     as on separate hosts; leader@K then SIGKILLs the leader's process
  --secure           (with --cluster) a secure deployment on the cluster: keys made in memory for
                     this run (or --secrets DIR), the nodes admit only the run's identities
                     (controller, world, uav-<id>, recorder) with their passwords, each allowed the
                     topics of its ACL; the controllers sign plans (one key: the lease decides who
                     signs) and the agents verify them; MAVLink signing per UAV (--mavlink-signing
                     off to leave it out). Passwords only, in clear over mqtt:// (nats-server's MQTT
                     has no TLS or client-certificate set-up here): loopback or a trusted network.
                     Not with --controller-processes
  --view works here too: the view connects to the last node's MQTT-over-WebSocket endpoint
  (ws://…/mqtt; every node serves one; with --secure it logs in as the read-only recorder).`;

/** Whether the failover options are in use. */
export function wantsFailover(v: Record<string, unknown>): boolean {
  return v.cluster !== undefined || v.controllers !== undefined || v.chaos !== undefined || v['controller-processes'] !== undefined;
}

export async function runFailoverCommand(v: Record<string, string | boolean | undefined>): Promise<number> {
  const conflicting = (['broker', 'deterministic', 'model', 'view-ws'] as const).filter((k) => v[k] !== undefined);
  if (conflicting.length) throw new UsageError(`--${conflicting.join(', --')} cannot be combined with --cluster/--controllers/--chaos`);
  if (v.auth === 'certificate') throw new UsageError('--auth certificate: a clustered broker takes passwords only (nats-server\'s MQTT has no client-certificate set-up here)');
  const security = missionSecurityFrom(v);
  if (security) {
    if (v['controller-processes'] === true) throw new UsageError('--secure runs the controllers in the mission\'s process: leave out --controller-processes (a controller process would need the ephemeral keys on disk)');
  }
  if (v.trajectory !== undefined && v.trajectory !== 'planner') throw new UsageError('--cluster/--controllers/--chaos fly the planner trajectory: use --trajectory planner');
  const nodes = int(v.cluster as string | undefined, 'cluster', 3, 1, 9);
  const controllers = int(v.controllers as string | undefined, 'controllers', 2, 1, 9);
  const chaos = parseChaos(typeof v.chaos === 'string' ? v.chaos : '', nodes);
  if (!chaos.ok) throw new UsageError(`--chaos: ${chaos.detail ?? chaos.reason}`);
  const scenario = scenarioFrom(v);
  if (security?.secretsDir) {
    const l = loadSecrets(security.secretsDir, Array.from({ length: scenario.uavs }, (_, i) => i + 1), security);
    if (!l.ok) throw new UsageError(`--secrets: ${l.detail ?? l.reason}`);
  }
  // --view: the ground-station view on a cluster node's MQTT-over-WebSocket endpoint.
  const view = missionView(v, scenario);
  const runDir = path.join(typeof v.runs === 'string' ? v.runs : 'runs', new Date().toISOString().replace(/[:.]/g, '-'));
  const summary: FailoverSummary = await runFailoverMission({
    scenario,
    speed: num(v.speed as string | undefined, 'speed', 1, 0.1, 200),
    flavour: oneOf(v.flavour as string | undefined, 'flavour', ['ardupilot', 'px4'] as const, 'ardupilot'),
    algo: oneOf(v.algo as string | undefined, 'algo', ['cd-kkt', 'ao', 'al'] as const, 'cd-kkt'),
    runDir, brokerNodes: nodes, controllers, chaos: chaos.value, controllerProcesses: v['controller-processes'] === true,
    ...(security ? { security } : {}),
    onPhase: (p) => process.stderr.write(`· ${p}\n`),
    ...(view.missionOptions.onBroker ? { onBroker: view.missionOptions.onBroker } : {}),
  });
  await view.close();
  console.log(formatFailover(summary));
  console.log(`\nRun folder: ${runDir} (summary.json, mission.log, cluster/ node logs)`);
  const held = new Set(summary.failsafes.map((f) => f.uav)).size;
  const r = summary.requests;
  const ok = summary.continuity.slotsWithoutPlans.length === 0 && summary.continuity.seqRegressions === 0 && held === 0 && summary.telemetry.lost === 0
    && summary.chaos.every((c) => c.kind !== 'leader' || (c.takeover !== undefined && c.takeover.afterSlots <= 1))
    && summary.plans.unanswered === 0 && (!r || (r.received === r.released && r.unaccounted === 0))
    && (!security || (summary.security?.plansVerified ?? 0) > 0);
  if (!ok) console.error(`failover checks not met: every slot planned, plan_seq never going back, no UAV in hold/RTL, no telemetry lost, every takeover within one slot, every plan answered, every request reaching a controller and planned or computed${security ? ', signed plans verified' : ''}`);
  return ok ? 0 : 1;
}
