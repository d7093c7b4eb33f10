/**
 * The configuration of one nats-server node of a clustered MQTT broker (issue 19 §2). Pure: ports
 * and directories in, the server's config text out.
 *
 * Each node runs JetStream (NATS keeps every piece of MQTT state in JetStream streams: sessions,
 * retained messages, QoS 1 messages in flight) and an MQTT listener, and routes to every other
 * node. `replicas` is the JetStream replication of those MQTT streams: 3 on a 3-node cluster, so
 * any single node can die without losing a session, a retained record or a queued QoS 1 message.
 * What the cluster lacks against Mosquitto is in deploy/cluster/README.md.
 */

export interface NatsNodeConfig {
  /** Unique per node: `server_name` (JetStream needs it). */
  name: string;
  host: string;
  /** NATS client port (monitoring and the nats CLI; the system does not use it). */
  clientPort: number;
  /** Route port the other nodes connect to. */
  clusterPort: number;
  mqttPort: number;
  /** MQTT over WebSocket (ws://host:wsPort, no TLS: loopback trials), for the browser view. Omitted = none. */
  wsPort?: number;
  /** `host:clusterPort` of the other nodes. */
  routes: string[];
  /** JetStream file store of this node. */
  storeDir: string;
  /** Replicas of the MQTT streams (sessions, retained messages, QoS 1 messages); ≤ cluster size. */
  replicas: number;
  /** Cluster name, the same on every node. */
  cluster?: string;
  /** An `authorization { … }` block (auth.ts, `natsAuthorization`): users and permissions. Omitted = open. */
  authorization?: string;
}

const quote = (s: string) => JSON.stringify(s);

export function natsNodeConfig(c: NatsNodeConfig): string {
  const routes = c.routes.map((r) => quote(`nats-route://${r}`)).join(', ');
  return [
    `server_name: ${quote(c.name)}`,
    `listen: ${quote(`${c.host}:${c.clientPort}`)}`,
    `jetstream {`,
    `  store_dir: ${quote(c.storeDir)}`,
    `  max_memory_store: 268435456`,
    `  max_file_store: 1073741824`,
    `}`,
    `mqtt {`,
    `  listen: ${quote(`${c.host}:${c.mqttPort}`)}`,
    `  stream_replicas: ${c.replicas}`,
    `  # A QoS 1 message not acknowledged by a subscriber is redelivered after this long.`,
    `  ack_wait: "5s"`,
    `}`,
    ...(c.authorization ? [c.authorization] : []),
    ...(c.wsPort ? [`websocket {`, `  listen: ${quote(`${c.host}:${c.wsPort}`)}`, `  no_tls: true`, `}`] : []),
    `cluster {`,
    `  name: ${quote(c.cluster ?? 'uavmec')}`,
    `  listen: ${quote(`${c.host}:${c.clusterPort}`)}`,
    `  routes: [${routes}]`,
    `}`,
    '',
  ].join('\n');
}

/** The configs of an n-node cluster on `host`, given 3 ports per node (client, cluster, mqtt) and optionally a 4th (MQTT over WebSocket). */
export function natsClusterConfigs(o: { host: string; ports: ([number, number, number] | [number, number, number, number])[]; dir: (i: number) => string; cluster?: string; authorization?: string }): NatsNodeConfig[] {
  const n = o.ports.length;
  return o.ports.map(([clientPort, clusterPort, mqttPort, wsPort], i) => ({
    name: `n${i + 1}`,
    host: o.host,
    clientPort,
    clusterPort,
    mqttPort,
    ...(wsPort ? { wsPort } : {}),
    routes: o.ports.filter((_, j) => j !== i).map((p) => `${o.host}:${p[1]}`),
    storeDir: o.dir(i),
    replicas: Math.min(3, n),
    ...(o.cluster ? { cluster: o.cluster } : {}),
    ...(o.authorization ? { authorization: o.authorization } : {}),
  }));
}
