/**
 * firmware-bridge: MAVLink 2 to PX4 / ArduPilot autopilots (real or SITL).
 * - mavlink/: codec (MavlinkEncoder, MavlinkDecoder, REGISTRY, signing, `mav` message namespaces)
 * - transport/: openTransport(url) for udp/udpin/udpserver/udpout/tcp/tcpin/serial
 * - link/: MavlinkLink (transport + codec + tlog)
 * - tlog/: TlogWriter, TlogReader
 * - bridge/: MavlinkVehicle, the `Vehicle` implementation
 * - vehicle.ts: the `Vehicle` interface the agent drives
 */
export * from './mavlink/index.ts';
export * from './transport/index.ts';
export * from './link/index.ts';
export * from './tlog/index.ts';
export type * from './vehicle.ts';
export * from './bridge/index.ts';
