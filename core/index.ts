/** Shared pure foundations: seeded randomness, injected clocks, boundary results, the papers' models. */
export * from './rng.ts';
export * from './clock.ts';
export * from './result.ts';
