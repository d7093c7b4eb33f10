import { startEmbeddedBroker } from '../../common/broker.ts';
import { int, parse } from '../args.ts';
import type { Command } from '../command.ts';

const command: Command = {
  name: 'broker',
  summary: 'run the embedded MQTT broker (aedes) for a quick test setup',
  help: `Usage: uavmec broker [--host H] [--port P]

Runs the embedded MQTT broker until Ctrl-C. For deployments use Mosquitto (see README,
"Deploying securely"); this is for trying things on one machine.

Options:
  --host H   address to bind (default 127.0.0.1)
  --port P   port (default 0 = any free port; the URL is printed)

Example:
  uavmec broker --port 1884`,
  async run(argv) {
    const { values: v } = parse(argv, { host: { type: 'string' }, port: { type: 'string' } });
    const b = await startEmbeddedBroker({ host: v.host ?? '127.0.0.1', port: int(v.port, 'port', 0, 0, 65535) });
    console.log(b.url);
    await new Promise<void>((resolve) => process.once('SIGINT', resolve));
    await b.close();
    return 0;
  },
};
export default command;
