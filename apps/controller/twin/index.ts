/** The controller's digital twin of the fleet, with fidelity tracking (SPEC §2). */
export * from './twin.ts';
export { TwinStore } from './store.ts';
