/**
 * A clustered MQTT broker (issue 19 §2): nats-server nodes with MQTT over JetStream.
 * - `natsNodeConfig(c)`, `natsClusterConfigs(…)`: pure config rendering.
 * - `startNatsCluster({ nodes, dir })` → `{ urls, kill(i), restart(i), stop() }` on free loopback ports.
 * What the cluster gives and lacks against Mosquitto: deploy/cluster/README.md.
 */
export { natsNodeConfig, natsClusterConfigs, type NatsNodeConfig } from './config.ts';
export { startNatsCluster, freePort, waitForMqtt, NATS_SERVER_BIN, type NatsCluster, type NatsClusterOptions, type ClusterNode } from './nats.ts';
export { natsAuthorization, natsAuthorizationFromPasswords, natsPermissions, natsSubject, type NatsPermissions } from './auth.ts';
export { createMqttMessagesStream, natsRequest } from './jetstream.ts';
