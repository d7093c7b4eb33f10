/**
 * Replay of a failover run (issue 19 §1, `uavmec mission --cluster 3 --controllers 2 --chaos
 * leader@3`): a 3-node nats-server cluster, 2 controllers, 3 SITL UAVs; the leader is killed at
 * slot 3 and the standby takes over under epoch 2. The run's recording (the monitor's persistent
 * session) replays tenure by tenure: c1's core from its PlanningInputs, c2's core from its own —
 * which list everything it consumed as a standby and the leader's slots it followed
 * (PlanningInputs.controls) — every plan of both epochs re-made byte for byte; a recording with
 * one of the new leader's plans changed makes `uavmec replay` exit 1.
 *
 * Wall-clock (a killed controller's last will needs a real broker connection to drop), 8 slots of
 * 2 s: the takeover's timing depends on the machine's load, the replay's verdict does not — it
 * re-makes what each core consumed, whenever it arrived.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { NATS_SERVER_BIN } from '../../apps/cluster/index.ts';
import { parseChaos, runFailoverMission } from '../../apps/mission/failover/index.ts';
import { loadRun, replayRun } from '../../apps/replay/index.ts';
import { ControlKind } from '../../proto/index.ts';
import { defaultScenario } from '../../sim/world/index.ts';
import { replayCli, tamperedCopy } from './run-helpers.ts';

const skip = process.env.UAVMEC_CLUSTER_E2E === '0' ? 'UAVMEC_CLUSTER_E2E=0' : !fs.existsSync(NATS_SERVER_BIN) && `nats-server not installed at ${NATS_SERVER_BIN}`;

const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

test('a failover run replays leader tenure by leader tenure, byte for byte; a tampered recording fails', { timeout: 300_000, skip }, async (t) => {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'uavmec-failover-replay-'));
  const chaos = parseChaos('leader@3', 3);
  assert.ok(chaos.ok);
  const scenario = defaultScenario({ uavs: 3, users: 8, slots: 8, slotS: 2, seed: 3 });
  const f = await runFailoverMission({ scenario, speed: 1, flavour: 'ardupilot', algo: 'cd-kkt', runDir, brokerNodes: 3, controllers: 2, chaos: chaos.value, landTimeoutS: 5 });
  const kill = f.chaos.find((c) => c.kind === 'leader');
  t.diagnostic(`takeover ${JSON.stringify(kill?.takeover)}; ${f.recording?.messages} messages recorded; wall ${f.wallS.toFixed(1)} s`);
  assert.equal(kill?.takeover?.by, 'c2', 'the standby took over');
  const run = loadRun(runDir);
  assert.ok(run.ok, run.ok ? '' : run.detail);

  const rep = replayRun(run.value);
  t.diagnostic(JSON.stringify(rep.cores));
  const cores = rep.cores!.cores;
  assert.deepEqual(cores.map((c) => [c.id, c.epoch]), [['c1', 1], ['c2', 2]]);
  assert.equal(rep.check.first, undefined, JSON.stringify(rep.check.first));
  assert.equal(rep.check.identical, rep.check.compared);
  for (const c of cores) assert.ok(c.compared > 0 && c.identical === c.compared, `${c.id}: ${c.identical}/${c.compared}`);
  assert.equal(cores[0]!.closed, false, 'c1 died before the mission closed');
  assert.equal(cores[1]!.closed, true, 'c2 closed the mission');
  const plans = new Set(run.value.recording.plans.filter((p) => !['launch', 'mission-end'].includes(p.msg.planner)).map((p) => `${p.msg.slot}:${p.uavId}:${p.msg.leader_epoch}`));
  assert.equal(rep.check.compared, plans.size, 'every recorded slot plan of both epochs compared');

  // The new leader's first step names what it did as a standby: the leader's slots it followed.
  const first = run.value.recording.planningInputs.find((p) => p.msg.core_id === 'c2')!;
  const follows = first.msg.controls.filter((c) => c.kind === ControlKind.CONTROL_KIND_FOLLOW);
  assert.ok(follows.length > 0, 'c2 followed c1\'s slots');
  assert.ok(first.msg.consumed.length > 0 && first.msg.consumed[0]!.recv_t_us < Number(first.msg.plan_t_us) - 2e6, 'c2\'s first inputs reach back into its standby');

  const cli = await replayCli(runDir);
  assert.equal(cli.code, 0, cli.out);
  assert.match(cli.out, /Replayed 2 planning cores \(leader tenures\)/);
  const bad = tamperedCopy(runDir, (p) => Number(p.leader_epoch) === 2 && p.planner !== 'launch' && p.planner !== 'mission-end');
  dirs.push(bad.dir);
  const res = await replayCli(bad.dir);
  assert.equal(res.code, 1, res.out);
  assert.match(res.out, new RegExp(`First divergence: slot ${bad.slot}, UAV ${bad.uavId}, byte \\d+, field flight\\.target\\.x_east_m`));
  dirs.push(runDir); // kept for inspection when an assertion above fails
});
