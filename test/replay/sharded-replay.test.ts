/**
 * Replay of a sharded run (issue 19 §3, `uavmec mission --shards 2`): one recording, two planning
 * cores. A lockstep mission (the same recording on any load) with 2 shards — a UAV handed over at
 * the border, transit plans from shard 1's balance — replays core by core: every slot plan of
 * both shards re-made byte for byte from each shard's own PlanningInputs, including the UAVs each
 * core released (PlanningInputs.controls). Without those release events the replay diverges; a
 * recording with one plan changed is caught (`uavmec replay` exits 1 naming the divergence).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { runMission } from '../../apps/mission/run.ts';
import { loadRun, replayRun } from '../../apps/replay/index.ts';
import { ControlKind } from '../../proto/index.ts';
import { defaultScenario } from '../../sim/world/index.ts';
import { replayCli, tamperedCopy } from './run-helpers.ts';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

test('a sharded lockstep run replays shard by shard, byte for byte; a tampered recording fails', { timeout: 300_000 }, async (t) => {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'uavmec-shard-replay-'));
  dirs.push(runDir);
  const scenario = defaultScenario({ uavs: 4, users: 16, slots: 16, seed: 7 });
  const summary = await runMission({ scenario, flavour: 'ardupilot', algo: 'cd-kkt', runDir, shards: 2, landTimeoutS: 10, clock: 'virtual' });
  assert.ok(summary.shards!.handovers.some((h) => h.from === 1 && h.to === 2), 'a UAV was handed 1→2');
  const run = loadRun(runDir);
  assert.ok(run.ok, run.ok ? '' : run.detail);

  const rep = replayRun(run.value);
  t.diagnostic(JSON.stringify(rep.cores));
  assert.deepEqual(rep.cores!.cores.map((c) => c.id), ['shard-1', 'shard-2']);
  assert.equal(rep.check.first, undefined, JSON.stringify(rep.check.first));
  assert.equal(rep.check.identical, rep.check.compared);
  for (const c of rep.cores!.cores) {
    assert.ok(c.compared > 0, `${c.id} re-made plans`);
    assert.equal(c.identical, c.compared, `${c.id}: every plan byte-identical`);
    assert.ok(c.closed, `${c.id}: replayed to the mission's close`);
  }
  assert.deepEqual(rep.cores!.conflicts, []);
  // Every recorded slot plan is one of the re-made ones: the cores' plans, the launch, the RTL and the transits.
  const kinds = (p: string) => (p === 'launch' || p === 'mission-end' ? 'ends' : p === 'shard-transit' ? 'transit' : 'core');
  const recordedCore = new Set(run.value.recording.plans.filter((p) => kinds(p.msg.planner) === 'core').map((p) => `${p.msg.slot}:${p.uavId}`));
  assert.equal(rep.check.compared, recordedCore.size);
  assert.ok((rep.cores!.outsideCore['shard-transit'] ?? 0) > 0, 'shard 1 sent transit plans (counted, not re-made)');

  // The release events matter: without them shard 1's core keeps planning the UAVs it let go.
  const releases = run.value.recording.planningInputs.flatMap((p) => p.msg.controls).filter((c) => c.kind === ControlKind.CONTROL_KIND_RELEASE);
  assert.ok(releases.length > 0, 'a shard released a UAV');
  for (const p of run.value.recording.planningInputs) p.msg.controls = [];
  const blind = replayRun(run.value);
  assert.ok(blind.check.identical < blind.check.compared, 'without the release events the replay diverges');

  // A core that stopped between publishing a step's inputs and its plans (a killed leader): the
  // step's plans are named as not in the recording, not compared; one of them missing is a divergence.
  const cut = (keep: (n: number) => boolean) => {
    const r = loadRun(runDir);
    assert.ok(r.ok);
    const rec = r.value.recording;
    rec.planningInputs = rec.planningInputs.filter((p) => !(p.msg.core_id === 'shard-1' && p.msg.slot === scenario.slots));
    const last = rec.planningInputs.filter((p) => p.msg.core_id === 'shard-1').at(-1)!.msg;
    let n = 0;
    rec.plans = rec.plans.filter((p) => !(p.msg.slot === last.slot && p.msg.valid_from_t_us === last.plan_t_us && p.msg.planner !== 'shard-transit' && keep(n++)));
    return { rep: replayRun(r.value), last, removed: n };
  };
  const stopped = cut(() => true);
  const s1 = stopped.rep.cores!.cores.find((c) => c.id === 'shard-1')!;
  assert.ok(stopped.removed > 1);
  assert.deepEqual([s1.closed, s1.unpublished], [false, { slot: stopped.last.slot, plans: stopped.removed }]);
  assert.equal(stopped.rep.check.first, undefined, 'the rest still byte-identical');
  assert.equal(stopped.rep.check.compared, rep.check.compared - stopped.removed);
  const partly = cut((i) => i === 0);
  assert.equal(partly.rep.cores!.cores.find((c) => c.id === 'shard-1')!.unpublished, undefined);
  assert.equal(partly.rep.check.identical, partly.rep.check.compared - 1, 'a plan missing from a step that was published is a divergence');

  const cli = await replayCli(runDir);
  assert.equal(cli.code, 0, cli.out);
  assert.match(cli.out, /Replayed 2 planning cores \(shards\).*: (\d+)\/\1 plans byte-identical/);

  const bad = tamperedCopy(runDir, (p) => p.planner !== 'launch' && p.planner !== 'shard-transit' && p.slot >= 10 && p.assignments.length > 0);
  dirs.push(bad.dir);
  const res = await replayCli(bad.dir);
  assert.equal(res.code, 1, res.out);
  assert.match(res.out, new RegExp(`First divergence: slot ${bad.slot}, UAV ${bad.uavId}, byte \\d+, field flight\\.target\\.x_east_m`));
});
