/**
 * Video-offloading engine (SPEC §5.4, paper S2): the pure model the S2 learning env, the
 * controller's S2 slot planner, the agents' transcoding and the world's D2D devices share.
 * - model.ts: `S2Model`, association (`s2Association`, `nearestIndex`), transcoding cycles/size/energy,
 *   CPU and transmission energies, β factors.
 * - action.ts: observation and action columns, `mapS2Action`, `moveInBox`, `separationShortfall`.
 * - revenue.ts: `s2Revenue` (U_K, U_J, U_I, Q).
 */
export * from './model.ts';
export * from './action.ts';
export * from './revenue.ts';
