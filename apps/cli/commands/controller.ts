import { Bus, createLogger } from '../../common/index.ts';
import { publicKeyFingerprint } from '../../security/plan-signing.ts';
import { BROKER_AUTH_HELP, BROKER_AUTH_OPTIONS, brokerAuthFrom, planSigningKeyFrom } from '../broker-auth.ts';
import { ControllerService } from '../../controller/service/index.ts';
import { Leadership, leaderWill } from '../../controller/leader/index.ts';
import { int, oneOf, parse } from '../args.ts';
import { poolConfigFor, TASK_MODEL_HELP } from '../../../sim/world/index.ts';
import { UsageError, type Command } from '../command.ts';
import { CLOCK_HELP, CLOCK_OPTIONS, clockFrom, SCENARIO_HELP, SCENARIO_OPTIONS, TASK_MODEL_OPTIONS, taskScenarioFrom } from '../common-options.ts';

const ALGOS = ['cd-kkt', 'ao', 'al'] as const;

const command: Command = {
  name: 'controller',
  summary: 'run the ground/HAP controller: digital twin, per-slot planning, plans to the fleet',
  help: `Usage: uavmec controller --broker URL [options]

Runs the controller: keeps the digital twin from the agents' telemetry and, every slot, plans
offloading and allocation (SPEC §5.1) and publishes one plan per UAV. Runs until the last slot,
then sends every UAV home (RTL), prints the mission totals and exits. With --tasks dag it plans
the users' dependent tasks as computing-power-pool rounds (SPEC §5.3: merged subtasks, collection
tours, subtask schedules) and prints each round's metrics too.

Options:
  --broker URL      MQTT broker, mqtt://host:port or mqtts://host:port, or a comma-separated list of
                    a clustered broker's nodes to fail over along (required)
  --algo NAME       planner: ${ALGOS.join(', ')} (default cd-kkt)
  --wait-uavs N     start slot 0 once N UAVs have reported (default: the scenario's UAV count)
  --client-id ID    MQTT client id (default uavmec-controller, or uavmec-controller-<ID> with --leader-id)
  --leader-id ID    take part in leader election with this controller id (issue 19, docs/failover.md):
                    one controller leads under a lease (retained record + last will on the broker),
                    the others stand by with a warm twin and take over, resuming the mission's slot
                    numbering; every plan carries the leader's epoch. Start one per host with the same
                    scenario and clock options and a broker list: --broker mqtt://a:1883,mqtt://b:1883
  --rank N          with --leader-id: standbys of higher rank wait longer before taking over (default 0)
  --plan-valid-slots N  how many slots a slot plan stays valid (default 2; 4 on a clustered broker
                    rides out the seconds a dying node stalls QoS 1: deploy/cluster/README.md)
  --plan-key FILE   sign every plan with this Ed25519 private key (PKCS#8 PEM; \`uavmec keys\`
                    writes plan-signing.key); agents pinning its public half refuse anything else.
                    Prints the key's fingerprint to compare with the agents' (default: plans unsigned)
${BROKER_AUTH_HELP}
${TASK_MODEL_HELP}
${SCENARIO_HELP}
${CLOCK_HELP}

Examples:
  uavmec controller --broker mqtt://10.0.0.2:1883 --uavs 4 --slots 600 --slot-s 1
  uavmec controller --broker mqtt://10.0.0.2:1883 --uavs 3 --tasks dag --pool-every 40
  uavmec controller --broker mqtt://10.0.0.2:4001,mqtt://10.0.0.3:4001,mqtt://10.0.0.4:4001 --leader-id hap-a --uavs 4
  uavmec controller --broker mqtts://broker.example.org:8883 --ca secrets/ca.crt \\
    --cert secrets/controller.crt --key secrets/controller.key --plan-key secrets/plan-signing.key --uavs 4`,
  async run(argv) {
    const { values: v } = parse(argv, {
      broker: { type: 'string' },
      algo: { type: 'string' },
      'wait-uavs': { type: 'string' },
      'client-id': { type: 'string' },
      'plan-key': { type: 'string' },
      'leader-id': { type: 'string' },
      rank: { type: 'string' },
      'plan-valid-slots': { type: 'string' },
      ...TASK_MODEL_OPTIONS,
      ...BROKER_AUTH_OPTIONS,
      ...SCENARIO_OPTIONS,
      ...CLOCK_OPTIONS,
    });
    if (!v.broker) throw new UsageError('--broker is required');
    const scenario = taskScenarioFrom(v);
    const pool = poolConfigFor(scenario);
    const clock = clockFrom(v);
    const auth = brokerAuthFrom(v, v.broker);
    const planSigningKey = v['plan-key'] ? planSigningKeyFrom(v['plan-key']) : undefined;
    const log = createLogger({ name: 'controller' });
    if (planSigningKey) log.info({ fingerprint: publicKeyFingerprint(planSigningKey) }, 'signing plans (the agents must pin this key)');
    else log.warn('plans are NOT signed (no --plan-key): agents that pin a key will refuse them');
    const leaderId = v['leader-id'];
    if (leaderId !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(leaderId)) throw new UsageError(`--leader-id '${leaderId}': use 1–64 letters, digits, '-' or '_'`);
    if (leaderId === undefined && v.rank !== undefined) throw new UsageError('--rank needs --leader-id');
    const clientId = v['client-id'] ?? (leaderId ? `uavmec-controller-${leaderId}` : 'uavmec-controller');
    const bus = await Bus.connect({ url: v.broker, clientId, sender: 'controller', clock, log, ...auth, ...(leaderId ? { will: leaderWill(leaderId), persistentSession: true } : {}) });
    // The heartbeat on a connection of its own, so a clustered broker's QoS 1 stall does not hold it (deploy/cluster/README.md).
    const heartbeat = leaderId ? await Bus.connect({ url: v.broker, clientId: `${clientId}-hb`, sender: 'controller', clock, log, ...auth }) : undefined;
    const leadership = leaderId ? new Leadership(bus, clock, { controllerId: leaderId, rank: int(v.rank, 'rank', 0, 0, 100), slotS: scenario.slotS, slots: scenario.slots }, log) : undefined;
    const ctl = new ControllerService(bus, clock, {
      slots: scenario.slots, slotS: scenario.slotS, algo: oneOf(v.algo, 'algo', ALGOS, 'cd-kkt'), channel: scenario.channel,
      cruiseAltM: scenario.cruiseAltM, speedMS: scenario.uavSpeedMS, uavTxPowerW: scenario.uav.txPowerW, seed: scenario.seed,
      waitForUavs: v['wait-uavs'] ? Number(v['wait-uavs']) : scenario.uavs, ...(planSigningKey ? { planSigningKey } : {}), ...(pool ? { pool } : {}),
      ...(leadership && heartbeat ? { leadership, heartbeatBus: heartbeat } : {}),
      ...(v['plan-valid-slots'] !== undefined ? { planValiditySlots: int(v['plan-valid-slots'], 'plan-valid-slots', 2, 1, 100) } : {}),
    }, log, {
      onSlot: (m) => log.info({ slot: m.slot, released: m.released, predictedDor: m.predictedDor, serving: m.servingUavs }, 'slot planned'),
      onPoolRound: (m) => log.info(m, 'pool round closed'),
    });
    process.once('SIGINT', () => ctl.stop());
    await ctl.start();
    await ctl.finished;
    console.log(JSON.stringify(pool ? { ...ctl.ledger.totals(), pools: ctl.ledger.pools } : ctl.ledger.totals(), null, 2));
    if (ctl.stoppedBecause) log.warn({ why: ctl.stoppedBecause }, 'stopped without leading the mission to its end');
    await heartbeat?.close();
    await bus.close();
    return 0;
  },
};
export default command;
