/**
 * S2 on the controller (SPEC §5.4): the pure slot planner (plan.ts: twin → observation → actor →
 * plans), the books as flown (ledger.ts), the ONNX actor (actor.ts) and the bus shell (driver.ts).
 */
export { planS2Slot, plansFromAction, observeS2, returnEnergyJ, type Actor, type S2SlotInput, type S2SlotPlan, type S2PlannerConfig } from './plan.ts';
export { S2Ledger, FlightMeter, type S2Penalties, type S2SlotAccount } from './ledger.ts';
export { loadS2Actor, type S2Actor } from './actor.ts';
export { S2Driver, type S2DriverConfig } from './driver.ts';
