import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../../core/clock.ts';
import { FlightMode, type MessageInput, type Plan, type TaskCompletion } from '../../../proto/index.ts';
import { DEFAULT_POOL_PARAMS, uavRateBps } from '../../../engines/scheduling/index.ts';
import { SimulatedExecutor } from '../executor/index.ts';
import { ScheduleDriver } from './driver.ts';
import { entriesFromPlan, ScheduleProgress } from './runner.ts';
import { announcedResults, uavLinkRateBps, uavTransferS, type UavLinkParams } from './wire.ts';

/** The engine's default pool link as the agent's profile carries it. */
const LINK: UavLinkParams = {
  bandwidthHz: DEFAULT_POOL_PARAMS.bandwidthHz, txPowerW: DEFAULT_POOL_PARAMS.uavTxW, refGain: DEFAULT_POOL_PARAMS.h0,
  pathLossExponent: DEFAULT_POOL_PARAMS.alpha, noiseW: DEFAULT_POOL_PARAMS.noiseW,
};

const T0 = 1_700_000_000_000_000;
type P3 = [number, number, number];

/**
 * UAV 1's plan: A (1e9 cycles at 1 GHz = 1 s, planned 2 s after valid_from), then C, which needs
 * A (local) and B (computed on UAV 2, 4e6 result bits), planned at 4 s.
 */
function plan(flight: Plan['flight'] = { mode: FlightMode.FLIGHT_MODE_GOTO, target: { x_east_m: 0, y_north_m: 0, alt_m: 20 }, waypoints: [], speed_m_s: 0, model_sha256: '' }): Plan {
  const base = { task_id: 7, user_id: 3, release_t_us: T0, serves: [], output_bits: 1e5 };
  return {
    uav_id: 1, plan_seq: 1, slot: 0, valid_from_t_us: T0, expires_t_us: T0 + 60e6, flight, assignments: [], planner: 'pool', objective: 0, signature: new Uint8Array(), shares: [], energy_saving: false, leader_epoch: 0,
    schedule: [
      { ...base, subtask_id: 'a', node_key: '7/a', cycles: 1e9, cpu_hz: 1e9, start_s: 2, end_s: 3, predecessor_ids: [], predecessor_uav_ids: [], predecessor_ready_s: [], predecessor_output_bits: [] },
      { ...base, subtask_id: 'c', node_key: '7/c', cycles: 2e9, cpu_hz: 2e9, start_s: 4, end_s: 5, predecessor_ids: ['7/a', '8/b'], predecessor_uav_ids: [0, 2], predecessor_ready_s: [3, 3.9], predecessor_output_bits: [1e5, 4e6] },
    ],
  };
}

function rig(p: Plan = plan()) {
  const clock = new ManualClock(T0);
  const completions: MessageInput<TaskCompletion>[] = [];
  let fleetResults = new Map<string, number>();
  const positions: Record<number, P3> = { 1: [0, 0, 20], 2: [300, 400, 20] };
  const progress: [number, number][] = [];
  const driver = new ScheduleDriver(
    {
      clock,
      executor: new SimulatedExecutor({ clock, fMaxHz: 10e9 }),
      complete: (c) => completions.push(c),
      ownPos: () => positions[1],
      remoteDone: () => fleetResults,
      transferS: (from, bits) => (positions[from] ? uavTransferS(LINK, positions[from], positions[1]!, bits) : undefined),
      onProgress: (seq, done) => progress.push([seq, done.size]),
    },
    { uavId: 1, kappa: 1e-28 },
  );
  driver.load(p);
  const announce = (m: Map<string, number>) => {
    fleetResults = m;
    driver.poke();
  };
  return { clock, driver, completions, announce, positions, progress };
}

/** Lets the executor's promise continuations run between clock steps. */
const settle = () => new Promise((r) => setImmediate(r));
async function advance(clock: ManualClock, ms: number, step = 10): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    clock.advance(Math.min(step, ms - t));
    await settle();
  }
}

void test('a subtask waits for its planned start, its local predecessor, and a remote result plus the UAV-to-UAV transfer', async () => {
  const { clock, driver, completions, announce, progress } = rig();
  await advance(clock, 1990);
  assert.equal(driver.starts.length, 0, 'nothing before the planned start');
  await advance(clock, 20);
  assert.deepEqual(driver.starts.map((s) => [s.key, s.startUs]), [['7/a', T0 + 2e6]]);
  await advance(clock, 2000); // t = 4 s: A done at 3 s; C's planned start has come, but B's result has not
  assert.equal(completions.length, 1);
  assert.equal(completions[0]!.subtask_id, '7/a');
  assert.equal(completions[0]!.done_t_us, T0 + 3e6);
  assert.deepEqual(progress, [[1, 1]]);
  assert.equal(driver.starts.length, 1, 'C waits: B is not announced');
  // B finished on UAV 2 at 4.5 s; the controller relays it at 4.7 s.
  await advance(clock, 700);
  announce(new Map([['8/b', T0 + 4.5e6]]));
  const transferS = 4e6 / uavLinkRateBps(LINK, 500);
  assert.ok(transferS > 0.05, `a visible transfer (${transferS} s)`);
  const expected = T0 + 4.5e6 + transferS * 1e6;
  await advance(clock, 3000);
  const c = driver.starts.find((s) => s.key === '7/c')!;
  assert.ok(Math.abs(c.startUs - Math.max(expected, T0 + 4.7e6)) < 1, `C starts when B's result is here (${c.startUs - T0} µs)`);
  assert.deepEqual(c.waited.map((w) => w.key), ['7/a', '8/b']);
  assert.equal(c.waited[0]!.transferS, 0, 'a local result needs no transfer');
  const done = completions.find((x) => x.subtask_id === '7/c')!;
  assert.equal(done.service_start_t_us, Math.round(c.startUs));
  assert.ok(Math.abs((done.done_t_us as number) - (c.startUs + 1e6)) <= 1, '2e9 cycles at 2 GHz');
  assert.ok(Math.abs((done.relay_s as number) - transferS) < 1e-9);
  assert.equal(done.uav_id, 1);
  assert.equal(done.task_id, 7);
  assert.ok(Math.abs(driver.computeEnergyJ - (1e-28 * 1e18 * 1e9 + 1e-28 * 4e18 * 2e9)) < 1e-9, 'κ f² cycles per subtask');
  assert.equal(driver.inProgress, 0);
});

void test('a remote result announced early still waits out the transfer; an unknown source position blocks', () => {
  const p = new ScheduleProgress(entriesFromPlan(plan()), 1, new Map([['7/a', T0 + 3e6]]));
  const ctx = (nowUs: number, tS: number | undefined) => ({ nowUs, collectedUs: null, remoteDone: new Map([['8/b', T0 + 3.95e6]]), transferS: () => tS });
  const w = p.step(ctx(T0 + 4e6, 0.2));
  assert.equal(w.kind, 'wait');
  assert.equal(w.kind === 'wait' && w.untilUs, T0 + 4.15e6);
  const s = p.step(ctx(T0 + 4.15e6, 0.2));
  assert.equal(s.kind, 'start');
  assert.equal(s.kind === 'start' && s.startUs, T0 + 4.15e6);
  const blocked = p.step(ctx(T0 + 9e6, undefined));
  assert.deepEqual(blocked.kind === 'wait' && blocked.blockedBy, ['8/b']);
  p.started('7/c');
  assert.equal(p.step(ctx(T0 + 9e6, 0.2)).kind, 'busy', 'one subtask at a time');
  p.ended('7/c', T0 + 10e6);
  assert.equal(p.step(ctx(T0 + 9e6, 0.2)).kind, 'finished');
});

void test('with a collection tour, nothing starts before the UAV is at its last waypoint', async () => {
  const tour = { mode: FlightMode.FLIGHT_MODE_WAYPOINTS, waypoints: [{ x_east_m: 50, y_north_m: 0, alt_m: 20 }, { x_east_m: 100, y_north_m: 0, alt_m: 20 }], speed_m_s: 8, model_sha256: '' };
  const { clock, driver, positions } = rig(plan(tour));
  await advance(clock, 3000);
  assert.equal(driver.starts.length, 0, 'still collecting at 3 s');
  positions[1] = [95, 0, 20]; // within ARRIVE_M of (100, 0, 20)
  await advance(clock, 500);
  driver.poke(); // a fleet state arrives
  await settle();
  assert.deepEqual(driver.starts.map((s) => [s.key, s.startUs]), [['7/a', T0 + 3.5e6]]);
});

void test('restored progress is not redone; a newer plan replaces the schedule', async () => {
  const { clock, driver, completions } = rig();
  driver.load(plan(), new Map([['7/a', T0 + 3e6]]));
  await advance(clock, 5000);
  assert.equal(driver.starts.length, 0, 'C still waits for B; A is not recomputed');
  driver.load({ ...plan(), plan_seq: 2, schedule: [] });
  assert.equal(driver.inProgress, 0);
  await advance(clock, 5000);
  assert.equal(completions.length, 0);
});

void test('announced results are read index-aligned from the fleet state', () => {
  const m = announcedResults({ slot: 1, slot_s: 2, members: [], results_ready: ['a', 'b'], results_ready_t_us: [5, 7], launching: false });
  assert.deepEqual([...m], [['a', 5], ['b', 7]]);
  assert.equal(announcedResults(undefined).size, 0);
  assert.equal(uavTransferS(LINK, [0, 0, 0], [3, 4, 0], 0), 0);
  assert.equal(uavTransferS(LINK, [0, 0, 0], [3, 4, 0], 1e6), 1e6 / uavRateBps(DEFAULT_POOL_PARAMS, 5));
});

void test('the agent\'s UAV–UAV link rate is the pool engine\'s (SPEC §3 S1)', () => {
  for (const d of [0.5, 1, 10, 250, 2000]) assert.equal(uavLinkRateBps(LINK, d), uavRateBps(DEFAULT_POOL_PARAMS, d));
});
