/**
 * Planning engine II — the computing power pool for dependent tasks (SPEC §5.3, paper S1).
 * Pure: plain inputs, seeded `Rng`, no I/O or clock reads.
 *
 * - `dag/`: task model, validation, seeded layered DAG generator with cross-user repeats
 * - `merge/`: global DAG with identical subtasks merged (virtual entry/exit)
 * - `model/`: scenario parameters, movement power (rotary-wing / S1), S1 link rates
 * - `association/`: P1 — weighted K-means++, NN + 2-opt tours, collection timing and energy
 * - `schedule/`: P2 — decoder, improved GA, HEFT and baseline schedulers, exact MILP reference
 * - `pipeline/`: `planPool` = merge → P1 → P2 with alternation; S1's four baselines
 */
export * from './dag/index.ts';
export * from './merge/index.ts';
export * from './model/index.ts';
export * from './association/index.ts';
export * from './schedule/index.ts';
export * from './pipeline/index.ts';
