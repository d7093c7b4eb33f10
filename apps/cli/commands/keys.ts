import { createFleetKeys } from '../../security/fleet-keys.ts';
import { int, parse } from '../args.ts';
import { UsageError, type Command } from '../command.ts';

const command: Command = {
  name: 'keys',
  summary: 'create a CA, broker/client certificates, MQTT passwords, plan-signing and MAVLink signing keys for a fleet',
  help: `Usage: uavmec keys --fleet N --out DIR [options]

Creates the key material of a secure deployment (README, "Deploying securely") in DIR:
  ca.crt, ca.key                 certificate authority (EC P-256); keep ca.key offline
  broker.crt, broker.key         Mosquitto's server certificate (SAN = --broker-host)
  <identity>.crt, <identity>.key client certificates, CN = identity: controller, world,
                                 uav-1 … uav-N (and recorder with --recorder)
  passwd, passwords.json         MQTT passwords: Mosquitto password file (hashed) and the
                                 plaintext to hand out (one per identity)
  acl                            Mosquitto ACL generated from the topic table
  mosquitto.conf                 TLS listener with client certificates (--cert-port) and a TLS
                                 listener with passwords (--password-port)
  plan-signing.key, .pub         Ed25519 plan-signing key (controller) / pinned key (agents)
  mavlink-uav-<i>.key            32-byte MAVLink 2 signing key per UAV (hex), for SETUP_SIGNING
Private files are written with mode 0600. Certificates are made with the openssl command-line
tool, which must be on PATH.

Options:
  --fleet N            number of UAVs (required; 1–10000)
  --out DIR            output directory (required; created if missing)
  --days D             certificate lifetime in days (default 825)
  --broker-host H      name or IP clients use to reach the broker; repeat for several
                       (default 127.0.0.1 and localhost)
  --recorder           also create the read-only 'recorder' identity
  --cert-port P        mosquitto.conf: client-certificate listener (default 8883)
  --password-port P    mosquitto.conf: password listener, 0 = none (default 8884)
  --ws-port P          mosquitto.conf: MQTT-over-WebSocket listener (TLS, passwords) for
                       \`uavmec view --broker wss://HOST:P --username recorder\` (default 0 = none;
                       the browser must trust ca.crt)
  --bind H             mosquitto.conf: listen address (default 0.0.0.0)
  --mosquitto-user U   mosquitto.conf: user to run as when started as root (default: Mosquitto's)
  --force              replace keys already in DIR

Example:
  uavmec keys --fleet 4 --out ./secrets --broker-host broker.example.org --broker-host 10.0.0.2
  mosquitto -c ./secrets/mosquitto.conf`,
  async run(argv) {
    const { values: v } = parse(argv, {
      fleet: { type: 'string' },
      out: { type: 'string' },
      days: { type: 'string' },
      'broker-host': { type: 'string', multiple: true },
      recorder: { type: 'boolean' },
      'cert-port': { type: 'string' },
      'password-port': { type: 'string' },
      'ws-port': { type: 'string' },
      bind: { type: 'string' },
      'mosquitto-user': { type: 'string' },
      force: { type: 'boolean' },
    });
    if (v.fleet === undefined) throw new UsageError('--fleet is required');
    if (v.out === undefined) throw new UsageError('--out is required');
    const r = await createFleetKeys({
      fleet: int(v.fleet, 'fleet', 0, 1, 10_000),
      out: v.out,
      days: int(v.days, 'days', 825, 1, 36_500),
      ...(v['broker-host'] ? { brokerHosts: v['broker-host'] } : {}),
      recorder: v.recorder === true,
      certPort: int(v['cert-port'], 'cert-port', 8883, 1, 65535),
      passwordPort: int(v['password-port'], 'password-port', 8884, 0, 65535),
      wsPort: int(v['ws-port'], 'ws-port', 0, 0, 65535),
      ...(v.bind ? { bindHost: v.bind } : {}),
      ...(v['mosquitto-user'] ? { mosquittoUser: v['mosquitto-user'] } : {}),
      force: v.force === true,
    });
    if (!r.ok) {
      console.error(`uavmec keys: ${r.detail ?? r.reason}`);
      return 1;
    }
    console.log(`wrote ${r.value.files.length} files to ${r.value.dir} for ${r.value.identities.join(', ')}`);
    return 0;
  },
};
export default command;
