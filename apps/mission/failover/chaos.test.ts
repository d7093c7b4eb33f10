/** The failover analysis (chaos.ts): plan continuity as the agents' gate orders plans, by epoch then plan_seq. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planContinuity, refusedCopies, type SeenPlan } from './chaos.ts';

const p = (uav: number, seq: number, slot: number, epoch: number, planner = 'cd-kkt'): SeenPlan => ({ uav, seq, slot, epoch, planner, tUs: seq });

test('planContinuity: slots without plans, regressions within an epoch, a newer epoch supersedes, stale epochs apart, duplicates ignored', () => {
  const plans = [
    p(1, 100, 0, 0, 'launch'), p(1, 200, 0, 1), p(1, 200, 0, 1), // a QoS 1 duplicate
    p(1, 300, 1, 1), p(1, 250, 2, 1), // a regression within epoch 1
    p(1, 290, 3, 2), // the new leader's first plan: a lower plan_seq, not a regression
    p(1, 400, 3, 1), // the deposed leader, late: stale epoch
    p(1, 500, 5, 2), p(1, 600, 6, 2, 'mission-end'),
  ];
  const c = planContinuity(plans, 6);
  assert.deepEqual(c.slotsWithoutPlans, [4]);
  assert.equal(c.seqRegressions, 1);
  assert.equal(c.staleEpochPlans, 1);
  assert.deepEqual(c.epochs, [1, 2]);
});

test('refusedCopies: refusals of plans the same UAV accepted before (redeliveries), not others', () => {
  const accepted = new Set(['1:100', '2:100', '1:200']);
  assert.equal(refusedCopies([{ uav: 1, seq: 100 }, { uav: 2, seq: 100 }, { uav: 2, seq: 200 }, { uav: 3, seq: 100 }], accepted), 2);
});
