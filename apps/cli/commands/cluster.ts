import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { natsAuthorizationFromPasswords, startNatsCluster } from '../../cluster/index.ts';
import { generatePassword } from '../../security/index.ts';
import { int, parse } from '../args.ts';
import { UsageError, type Command } from '../command.ts';

const command: Command = {
  name: 'cluster',
  summary: 'run a clustered MQTT broker on this machine: N nats-server nodes (MQTT over JetStream)',
  help: `Usage: uavmec cluster [--nodes N] [--dir DIR] [--secrets DIR]

Starts N nats-server nodes (MQTT over JetStream, MQTT state replicated 3 times, routes between
every pair) on free loopback ports, prints the broker list to give every uavmec process as
--broker, and runs until Ctrl-C. What the cluster gives and lacks against Mosquitto:
deploy/cluster/README.md. Needs nats-server (Debian: apt-get install nats-server; or NATS_SERVER=path).

Options:
  --nodes N   nodes (default 3; 1–9)
  --dir DIR   node configs, JetStream stores and logs (default a new directory under the system temp)
  --secrets DIR  a \`uavmec keys\` directory: the nodes take only its identities (controller, world,
              uav-<id>, recorder) with its passwords (passwords.json), each allowed just the topics
              its Mosquitto ACL allows (generated from the same topic table). Then run the processes
              as on Mosquitto: uavmec mission --broker <the list> --secure --secrets DIR. Passwords
              travel in clear over mqtt:// (nats-server's MQTT TLS is not set up): loopback or a
              trusted network only; plans stay Ed25519-signed.

Each node also serves MQTT over WebSocket (ws://…, printed on stderr) for the browser view:
uavmec view --broker ws://127.0.0.1:PORT. The QoS 1 message stream is created with limits
retention before any client connects (deploy/cluster/README.md says why).

Example:
  uavmec cluster --nodes 3
  uavmec controller --broker mqtt://127.0.0.1:41001,mqtt://127.0.0.1:41002,mqtt://127.0.0.1:41003`,
  async run(argv) {
    const { values: v } = parse(argv, { nodes: { type: 'string' }, dir: { type: 'string' }, secrets: { type: 'string' } });
    const nodes = int(v.nodes, 'nodes', 3, 1, 9);
    const authorization = v.secrets === undefined ? undefined : clusterAuthorization(v.secrets);
    const dir = v.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'uavmec-cluster-'));
    process.stderr.write(`starting ${nodes} nats-server nodes in ${dir}${authorization ? ` (users and permissions from ${v.secrets})` : ''} …\n`);
    const c = await startNatsCluster({ nodes, dir, ...(authorization ? { authorization } : {}) });
    for (const n of c.nodes) process.stderr.write(`  ${n.name}: ${n.url}, MQTT over WebSocket ${n.wsUrl} (pid ${n.pid})\n`);
    console.log(c.urls.join(','));
    await new Promise<void>((resolve) => process.once('SIGINT', resolve));
    await c.stop();
    return 0;
  },
};
/** The nodes' users from a `uavmec keys` directory's passwords.json, plus a set-up identity of this run's own. */
export function clusterAuthorization(secretsDir: string): { block: string; systemUser: { user: string; password: string } } {
  const file = path.join(secretsDir, 'passwords.json');
  let table: Record<string, unknown>;
  try {
    table = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new UsageError(`--secrets: cannot read ${file} (${(e as Error).message}); make it with \`uavmec keys --fleet N --recorder\``);
  }
  const systemUser = { user: 'uavmec-cluster-admin', password: generatePassword() };
  try {
    return { block: natsAuthorizationFromPasswords(table, systemUser), systemUser };
  } catch (e) {
    throw new UsageError(`--secrets: ${(e as Error).message}`);
  }
}

export default command;
