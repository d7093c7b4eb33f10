/**
 * The view's first chart names what the mission's planner optimises: S3's DOR (flown and planned),
 * S0's coalition worth, another planner's objective — never a DOR the mission does not have.
 * The page's own module, loaded in node (it touches the DOM only when drawing).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
// @ts-expect-error plain browser JavaScript without type declarations
import { objectiveSeries, SERIES } from '../../apps/view/public/js/charts.js';
// @ts-expect-error plain browser JavaScript without type declarations
import { SlotLedger } from '../../apps/view/public/js/slots.js';

interface Series { title: string; lines: [string, string, unknown][] }
const dor = (SERIES as Series[])[0]!;
const plan = (slot: number, planner: string, objective: number) => ({ slot, planner, objective, assignments: [] });
const rowsOf = (...plans: ReturnType<typeof plan>[]) => {
  const l = new SlotLedger();
  for (const p of plans) l.plan(p);
  return l.upTo(99);
};
const titleOf = (rows: unknown[]) => (objectiveSeries(dor, rows) as Series);

void test('S3 planners keep the DOR chart; S0 shows the coalition worth; others their objective; transit plans do not count', () => {
  assert.equal(titleOf(rowsOf(plan(0, 'cd-kkt', 3.2))).title, 'DOR per slot');
  assert.deepEqual(titleOf(rowsOf(plan(0, 'cd-kkt', 3.2))).lines.map((l) => l[0]), ['flown', 'planned']);
  const s0 = titleOf(rowsOf(plan(0, 'launch', 0), plan(1, 'coalition', 40.1)));
  assert.equal(s0.title, 'S0 coalition worth per slot (coalition)');
  assert.deepEqual(s0.lines.map((l) => l[0]), ['planned'], 'no flown DOR under S0');
  assert.equal(titleOf(rowsOf(plan(0, 'td3', 1.5))).title, 'planner objective per slot (td3)');
  const rows = rowsOf(plan(4, 'cd-kkt', 2.5), plan(4, 'shard-transit', 0)) as { plannedDor: number; plans: number }[];
  assert.deepEqual([rows[0]!.plannedDor, rows[0]!.plans], [2.5, 1], 'a shard transit plan does not overwrite the slot\'s planned DOR');
});
