import { startEmbeddedBroker } from '../../common/broker.ts';
import { int, parse } from '../args.ts';
import type { Command } from '../command.ts';

const command: Command = {
  name: 'broker',
  summary: 'run the embedded MQTT broker (aedes) for a quick test setup',
  help: `Usage: uavmec broker [--host H] [--port P] [--ws-port P]

Runs the embedded MQTT broker until Ctrl-C. For deployments use Mosquitto (see README,
"Deploying securely"); this is for trying things on one machine.

Options:
  --host H   address to bind (default 127.0.0.1)
  --port P   port (default 0 = any free port; the URL is printed)
  --ws-port P  also serve MQTT over WebSocket on this port, for \`uavmec view\` in a browser
             (0 = any free port; default: no WebSocket listener). Mosquitto: add
             \`listener 9001\` + \`protocol websockets\` to its config (README)

Example:
  uavmec broker --port 1884`,
  async run(argv) {
    const { values: v } = parse(argv, { host: { type: 'string' }, port: { type: 'string' }, 'ws-port': { type: 'string' } });
    const wsPort = v['ws-port'] === undefined ? undefined : int(v['ws-port'], 'ws-port', 0, 0, 65535);
    const b = await startEmbeddedBroker({ host: v.host ?? '127.0.0.1', port: int(v.port, 'port', 0, 0, 65535), ...(wsPort !== undefined ? { wsPort } : {}) });
    console.log(b.url);
    if (b.wsUrl) console.log(b.wsUrl);
    await new Promise<void>((resolve) => process.once('SIGINT', resolve));
    await b.close();
    return 0;
  },
};
export default command;
