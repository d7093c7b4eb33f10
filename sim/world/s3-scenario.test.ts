import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng } from '../../core/rng.ts';
import { defaultS3Config, S3TrajectoryEnv } from '../envs/s3-trajectory.ts';
import { s3Scenario } from './s3-scenario.ts';
import { createUsers, slotTasks } from './users.ts';

test('the S3 scenario is the env\'s world: users, tasks, UAVs, radio, box, slot and starts', () => {
  const c = defaultS3Config({ layoutSeed: 7, users: 12, thetaMaxDeg: 35, uavCpuHz: 8e9 });
  const r = s3Scenario(c, { seed: 4, slots: 9 });
  assert.ok(r.ok, r.ok ? '' : r.detail);
  const s = r.value;
  const env = new S3TrajectoryEnv(c, 99);
  const devices = createUsers(s, createRng(1));
  assert.deepEqual(devices.map((u) => u.pos), env.userPositions(), 'users stand where the env put them');
  assert.ok(devices.every((u) => u.localCpuHz >= c.userCpuHz[0] && u.localCpuHz <= c.userCpuHz[1]));
  assert.equal(new Set(devices.map((u) => u.localCpuHz)).size, c.users, 'each user its own CPU from the layout draw');
  assert.equal(s.userSpeedMS, 0, 'the env\'s users do not walk');
  assert.deepEqual(s.uavStarts, env.reset(), 'UAVs start where the env starts them');
  assert.deepEqual(s.uavStarts!.map((p) => [p[0], p[1]]), [[0, 0], [50, 0], [0, 50], [50, 50]]);
  assert.equal(s.cruiseAltM, c.altitudeM[0]);
  assert.deepEqual([s.areaM, s.altMinM, s.altMaxM, s.slotS, s.slots, s.seed, s.uavs, s.users], [c.areaM, 10, 20, c.slotS, 9, 4, c.uavs, 12]);
  assert.equal(s.channel.thetaMaxDeg, 35);
  assert.deepEqual([s.uav.cpuHz, s.uav.bandwidthHz, s.uav.txPowerW], [8e9, c.uavBandwidthHz, c.uavTxPowerW]);
  const tasks = slotTasks(devices, s, 3, 0, createRng(5));
  assert.equal(tasks.length, 12);
  for (const t of tasks) {
    assert.ok(t.dataBits >= 100e3 && t.dataBits <= 150e3 && t.cyclesPerBit >= 500 && t.cyclesPerBit <= 1000, 'SPEC §5.5 task distribution');
    assert.equal(t.deadlineS, c.slotS);
    assert.equal(t.txPowerW, c.userTxPowerW);
  }
});

test('an env without one fixed layout cannot be a mission', () => {
  const r = s3Scenario(defaultS3Config({ userLayout: 'per-episode' }), { seed: 1, slots: 5 });
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.reason, 'unsupported_env');
});
