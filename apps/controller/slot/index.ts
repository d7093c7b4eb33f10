/** Per-slot fleet planning: hover targets over user clusters (or the onboard policy) + offloading with KKT allocation; pool rounds for DAG tasks (SPEC §5.3). */
export * from './plan-slot.ts';
export * from './hover.ts';
export * from './pool-slot.ts';
export * from './pool-round.ts';
export * from './policy-slot.ts';
