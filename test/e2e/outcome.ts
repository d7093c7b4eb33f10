/** Assertions every end-to-end mission shares: the mission itself completed as planned. */
import assert from 'node:assert/strict';
import type { MissionSummary } from '../../apps/mission/summary.ts';
import type { Scenario } from '../../sim/world/index.ts';

/** DOR > 0, every plan acked, a plan per UAV per slot at least, every user's task released and completed. */
export function assertMissionCompleted(summary: MissionSummary, scenario: Scenario, what = 'plan'): void {
  assert.ok(summary.totals.dor > 0, 'DOR > 0');
  assert.equal(summary.totals.plansAcked, summary.totals.plansSent, `every ${what} acked`);
  assert.ok(summary.totals.plansSent >= scenario.slots * scenario.uavs);
  assert.equal(summary.totals.released, scenario.users * scenario.slots);
  assert.equal(summary.totals.completed, summary.totals.released, 'every task completed');
}
