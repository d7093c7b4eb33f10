/**
 * Subtask schedules with dependency waits (SPEC §5.3, computing power pool):
 * - `ScheduleProgress` / `entriesFromPlan` (runner.ts): the pure decision of what starts when;
 * - `ScheduleDriver` (driver.ts): runs it on the executor, publishes one completion per subtask;
 * - `createScheduleDriver`, `announcedResults`, `uavTransferS` (wire.ts): fleet state and UAV–UAV link.
 */
export * from './runner.ts';
export * from './driver.ts';
export * from './wire.ts';
