/**
 * The MAVLink vehicle bridge: `MavlinkVehicle` (implements `Vehicle`), plus its pure parts for
 * reuse and tests (mode decoding, telemetry reducer, setpoint messages, command client).
 */
export { MavlinkVehicle } from './mavlink-vehicle.ts';
export type { MavlinkVehicleOptions } from './mavlink-vehicle.ts';
export { decodeMode, flavourOf, modeCommandParams } from './modes.ts';
export type { ModeRequest } from './modes.ts';
export { applyTelemetry, initialState } from './telemetry.ts';
export { setpointMessage, SetpointStream, TYPE_MASK } from './setpoints.ts';
export { CommandEngine, buildCommand } from './commands.ts';
export type { CommandSpec, CommandEngineOptions } from './commands.ts';
export { streamRequests } from './streams.ts';
export { ParamSetter, encodeParamWire, decodeParamWire } from './params.ts';
export type { ParamSetterOptions } from './params.ts';
