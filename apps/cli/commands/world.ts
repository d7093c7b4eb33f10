import { Bus, createLogger } from '../../common/index.ts';
import { TASK_MODEL_HELP, WorldService } from '../../../sim/world/index.ts';
import { parse } from '../args.ts';
import { BROKER_AUTH_HELP, BROKER_AUTH_OPTIONS, brokerAuthFrom } from '../broker-auth.ts';
import { UsageError, type Command } from '../command.ts';
import { CLOCK_HELP, CLOCK_OPTIONS, clockFrom, SCENARIO_HELP, SCENARIO_OPTIONS, TASK_MODEL_OPTIONS, taskScenarioFrom } from '../common-options.ts';

const command: Command = {
  name: 'world',
  summary: 'simulate the user devices: release tasks each slot, compute the ones no UAV takes',
  help: `Usage: uavmec world --broker URL [options]

Plays the ground users of a scenario on the bus: on every slot the controller announces, users
walk, release one task each (as the UAV that hears them would relay it) and compute locally the
tasks no plan assigned to a UAV. With --tasks dag users release one dependent task each at every
pool round instead, for the UAVs' computing power pool. Stops after the scenario's last slot or on Ctrl-C.

Options:
  --broker URL      MQTT broker, mqtt://host:port or mqtts://host:port (required)
${BROKER_AUTH_HELP}
${TASK_MODEL_HELP}
${SCENARIO_HELP}
${CLOCK_HELP}

Examples:
  uavmec world --broker mqtt://127.0.0.1:1883 --users 30
  uavmec world --broker mqtt://127.0.0.1:1883 --users 6 --tasks dag --pool-every 40
  uavmec world --broker mqtts://broker.example.org:8884 --ca secrets/ca.crt --username world --password-file secrets/world.pw`,
  async run(argv) {
    const { values: v } = parse(argv, { broker: { type: 'string' }, ...TASK_MODEL_OPTIONS, ...BROKER_AUTH_OPTIONS, ...SCENARIO_OPTIONS, ...CLOCK_OPTIONS });
    if (!v.broker) throw new UsageError('--broker is required');
    const auth = brokerAuthFrom(v, v.broker);
    const scenario = taskScenarioFrom(v);
    const clock = clockFrom(v);
    const log = createLogger({ name: 'world' });
    const bus = await Bus.connect({ url: v.broker, clientId: `uavmec-world-${process.pid}`, sender: 'world', clock, log, ...auth });
    const world = new WorldService(bus, clock, scenario, log);
    await world.start();
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      const poll = setInterval(() => {
        if (world.stats.slots >= scenario.slots) {
          clearInterval(poll);
          resolve();
        }
      }, 500);
    });
    world.stop();
    console.log(JSON.stringify(world.stats));
    await bus.close();
    return 0;
  },
};
export default command;
