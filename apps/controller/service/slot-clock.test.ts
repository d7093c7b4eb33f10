/** Where a joining controller starts on the slot clock (slot-clock.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { followStep, resumeStep } from './slot-clock.ts';

const S = 1e6; // a 1 s slot, µs

test('resumeStep: early in a slot the old leader never started, run it now', () => {
  assert.deepEqual(resumeStep({ slot: 3, slotPlanned: true, missionStartUs: 0 }, 5.2 * S, S), { kind: 'run', slot: 5 });
  assert.deepEqual(resumeStep({ slot: 3, slotPlanned: false, missionStartUs: 0 }, 4.2 * S, S), { kind: 'run', slot: 4 });
  assert.deepEqual(resumeStep({ slot: 3, slotPlanned: true, missionStartUs: 10 * S }, 15.49 * S, S), { kind: 'run', slot: 5 }, 'relative to the mission start');
});

test('resumeStep: the old leader\'s unplanned slot still running is planned now, then the next on time', () => {
  assert.deepEqual(resumeStep({ slot: 3, slotPlanned: false, missionStartUs: 0 }, 3.9 * S, S), { kind: 'wait', next: 4, planOld: true });
});

test('resumeStep: late in a slot, wait for the next slot boundary', () => {
  assert.deepEqual(resumeStep({ slot: 3, slotPlanned: true, missionStartUs: 0 }, 3.2 * S, S), { kind: 'wait', next: 4, planOld: false });
  assert.deepEqual(resumeStep({ slot: 3, slotPlanned: true, missionStartUs: 0 }, 5.7 * S, S), { kind: 'wait', next: 6, planOld: false });
  assert.deepEqual(resumeStep({ slot: 3, slotPlanned: false, missionStartUs: 0 }, 4.7 * S, S), { kind: 'wait', next: 5, planOld: false }, 'its slot is over: not planned late');
});

test('followStep: t0 a hundredth of a slot before the coordinator\'s start; the current slot now if less than half has passed', () => {
  assert.deepEqual(followStep(10 * S, 9 * S, 2), { t0Us: 9.98 * S, slot: 0, now: true, delayMs: 0 }, 'before the start: slot 0 at once');
  assert.deepEqual(followStep(10 * S, 12.5 * S, 2), { t0Us: 9.98 * S, slot: 1, now: true, delayMs: 0 });
  const late = followStep(10 * S, 13.5 * S, 2);
  assert.equal(late.slot, 2);
  assert.equal(late.now, false);
  assert.ok(Math.abs(late.delayMs - 480) < 1e-6, `${late.delayMs} ms to slot 2 at 13.98 s`);
});
