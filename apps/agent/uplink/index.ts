/**
 * The agent's ordered uplink to the controller (memory queue + on-disk outbox across outages).
 * - `new Uplink({ bus, outbox?, log }, { maxInMemory?, maxInMemoryNoOutbox? })`;
 *   `send(key, params, msg, cls?)`, `onConnected()`, `onDisconnected()`, `depth()`, `dropped()`,
 *   `flushed(timeoutMs)`, `close()`, `stats`.
 */
export { Uplink, type UplinkBus, type UplinkOptions, type UplinkStats } from './uplink.ts';
