/**
 * Safety envelope of the on-UAV agent (always on; independent of policy and plan).
 * - `createEnvelope(config) → Result<Envelope>`; `Envelope.constrain(input) → { setpoint, action, reasons }`.
 * - `constrainStep(config, memory, input)` — the same as a pure function of its memory.
 * - `parseQgcPlanFence(text, origin?)` — a QGroundControl `.plan` geofence → NED zones.
 * - Geometry (`horizontalPathClearance`, …), separation (`checkSeparation`, `predictNeighbours`),
 *   battery reserve (`returnEnergyJ`, SPEC §4).
 */
export { createEnvelope, constrainStep, type Envelope, type EnvelopeMemory, type ConstrainInput, type ConstrainOutput, type EnvelopeAction, type OwnState, type DesiredSetpoint } from './envelope.ts';
export { resolveEnvelopeConfig, type EnvelopeConfig, type EnvelopeConfigInput, type BatteryReserveConfig } from './config.ts';
export { parseQgcPlanFence, geoToNe, type PlanFence, type GeoOrigin } from './qgc-plan.ts';
export {
  horizontalPathClearance, horizontalDepth, altitudeDepth, zoneDepth, pointInPolygon, validateFence,
  type HorizontalFence, type Zone, type NE, type AltitudeBand,
} from './geofence.ts';
export { predictNeighbours, checkSeparation, brakingDistanceM, type FleetEntry, type Neighbour, type SeparationParams } from './separation.ts';
export { returnEnergyJ, type ReturnEnergyParams } from './battery.ts';
export { InterventionTracker, type Intervention } from './interventions.ts';
