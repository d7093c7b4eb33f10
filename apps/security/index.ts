/**
 * Security (issue 9): who may say what on the bus, who signed a plan, and the keys for both.
 * - acl.ts: `aclForRole`, `aclForIdentity`, `mayPublish`, `maySubscribe`, `mosquittoAcl` — least
 *   privilege generated from the topic table; identities controller | world | uav-<id> | recorder.
 * - aedes-hooks.ts: `aedesHooks(cfg)` — the same rules for the embedded broker (`startEmbeddedBroker({ hooks })`).
 * - passwords.ts: Mosquitto-compatible `$7$` password hashes, shared by Mosquitto and aedes.
 * - mosquitto.ts: `mosquittoConf` — TLS (client certificates) and/or password listeners.
 * - plan-signing.ts: Ed25519 `signPlan`, `signedPlanBytes`, `verifyPlan`, `PlanVerifier` (replays, expiry), keys.
 * - fleet-keys.ts: `createFleetKeys` (behind `uavmec keys`): CA, certificates (openssl CLI), passwords, keys.
 * - mavlink-signing.ts: `provisionMavlinkSigning` (SETUP_SIGNING over a direct link), key parsing.
 */
export * from './acl.ts';
export { aedesHooks, type AedesAclConfig, type AedesHooks, type AclDenials } from './aedes-hooks.ts';
export * from './passwords.ts';
export * from './mosquitto.ts';
export * from './plan-signing.ts';
export { createFleetKeys, type FleetKeyOptions, type FleetKeys } from './fleet-keys.ts';
export * from './mavlink-signing.ts';
