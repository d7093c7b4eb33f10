/**
 * S0 on the HAP (SPEC §2, §5.2, §5.6): the pure slot planner (`planS0Slot`: requests + twin →
 * plans with coalition shares), the compute-fidelity twin (`recordShare`), the per-slot ledger
 * (`S0Ledger`), the controller state (`S0Controller`) and the generative warm start run with
 * onnxruntime (`WarmStartModel`).
 */
export * from './types.ts';
export { planS0Slot, coalitionInstance, DEADLINE_GUARD } from './plan.ts';
export { emptyFidelity, fidelityOf, recordShare, RATIO_ALPHA, RATIO_BOUNDS, type ComputeFidelity, type ShareMeasurement } from './fidelity.ts';
export { S0Ledger, type S0Coalition, type S0SlotMetrics, type S0Totals } from './metrics.ts';
export { S0Controller, buildS0Input, medRequest, uavState, type S0ControllerConfig, type S0FleetSpec, type S0Step } from './controller.ts';
export { WarmStartModel } from './warmstart.ts';
