/** Per-slot fleet planning: hover targets over user clusters + offloading with KKT allocation. */
export * from './plan-slot.ts';
export * from './hover.ts';
