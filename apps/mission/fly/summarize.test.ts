/** The summary's pure pieces (summarize.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunningAgent } from '../../agent/create.ts';
import type { UavTwin } from '../../controller/twin/index.ts';
import { mergeCounts, uavRow } from './summarize.ts';

test('mergeCounts: summed by key over every counter set', () => {
  assert.deepEqual(mergeCounts([]), {});
  assert.deepEqual(mergeCounts([{ a: 1, b: 2 }, {}, { b: 3, c: 4 }]), { a: 1, b: 5, c: 4 });
});

test('uavRow: the agent\'s counters; flight energy from the autopilot, else the twin; compute energy from the twin', () => {
  const service = {
    uavId: 2, planAuth: undefined, envelopeReasons: { accel: 3 },
    stats: { distanceM: 120.5, maxAltM: 20, tasksDone: 7, plansAccepted: 9, plansRefused: 1, setpoints: 400 },
  } as unknown as RunningAgent['service'];
  const tw = { flightEnergyJ: 5000, computeEnergyJ: 30 } as UavTwin;
  const row = uavRow(service, 6000, tw);
  assert.deepEqual(row, {
    uavId: 2, distanceM: 120.5, maxAltM: 20, flightEnergyJ: 6000, computeEnergyJ: 30, tasksComputed: 7, plansAccepted: 9, plansRefused: 1, setpointsSent: 400, envelope: { accel: 3 },
  });
  assert.notEqual(row.envelope, service.envelopeReasons, 'a copy');
  assert.equal(uavRow(service, undefined, tw).flightEnergyJ, 5000);
  assert.deepEqual([uavRow(service, undefined, undefined).flightEnergyJ, uavRow(service, undefined, undefined).computeEnergyJ], [0, 0]);
});
