/**
 * End-to-end S0 (issue 15): `mission --system s0` on the deterministic clock — SITL ArduCopters
 * climbing to 800 m over 1 km², agents, the MEDs and the HAP running the coalition game with the
 * generative warm start (onnxruntime) — then the report and the replay of the recording.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { runMission } from '../../apps/mission/run.ts';
import { prepareS0Mission } from '../../apps/mission/s0.ts';
import { loadRun } from '../../apps/replay/recording.ts';
import { replayS0Run } from '../../apps/replay/s0.ts';
import { ExecutionSite } from '../../proto/index.ts';

test('an S0 mission flies: coalitions planned by the HAP, every share computed once, MED tasks complete, twin corrected, replay identical', { timeout: 900_000 }, async (t) => {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'uavmec-s0-'));
  const setup = prepareS0Mission({ seed: 4, uavs: 5, meds: 2, slots: 4, warmStart: 'models/coalition-warmstart.onnx' });
  assert.ok(setup.ok);
  const s = setup.value;
  const summary = await runMission({ scenario: s.scenario, s0: s, speed: 10, flavour: 'ardupilot', algo: 'cd-kkt', runDir, clock: 'virtual', landTimeoutS: 1 });
  const r = summary.s0!;
  const tt = r.totals;
  t.diagnostic(`shares ${tt.sharesComputed}/${tt.sharesPlanned}, MEDs complete ${tt.medsCompleted}/${tt.servedMeds} (late ${tt.medsLate}), F_f ${tt.firstFidelity.toFixed(3)} → ${tt.lastFidelity.toFixed(3)}, μ ${tt.flownUtilisation.toFixed(3)}, iterations ${tt.iterations} (cold ${tt.iterationsCold}), plans ${summary.totals.plansAcked}/${summary.totals.plansSent}`);

  // The HAP planned coalitions every slot and the fleet acked every (signed-ready, validated) plan.
  assert.equal(r.slots.length, 4);
  assert.equal(summary.totals.plansAcked, summary.totals.plansSent, 'every plan acked');
  assert.ok(summary.totals.plansSent >= 4 * 5);
  assert.ok(tt.servedMeds > 0 && tt.sharesPlanned > tt.servedMeds, 'at least one coalition with several members');
  for (const m of r.slots) assert.equal(m.energySaving + m.coalitions.reduce((a, c) => a + c.uavIds.length, 0), m.uavs, 'a UAV is in a coalition or saving energy');
  // Every share computed once; every served MED's task completes (late ones counted late).
  assert.equal(tt.sharesComputed, tt.sharesPlanned, 'every share computed');
  assert.equal(tt.sharesDuplicate, 0);
  assert.equal(tt.sharesFailed, 0);
  assert.equal(tt.medsCompleted, tt.servedMeds, 'every served MED complete');
  assert.equal(r.world.completed, tt.servedMeds, 'the MEDs saw every task complete');
  assert.equal(r.world.late, tt.medsLate, 'the MEDs and the HAP agree on lateness');
  assert.equal(r.world.served + r.world.unserved, r.world.released);
  // The HAP's mission ledger got every MED's outcome: complete (late or not) or not served.
  assert.equal(summary.totals.released, r.world.released);
  assert.equal(summary.totals.completed, summary.totals.released, 'every request answered');
  assert.equal(summary.totals.late, tt.medsLate);
  assert.equal(summary.totals.failed, r.world.unserved, 'only requests no coalition took count as failed');
  for (const u of summary.uavs) assert.ok(u.maxAltM > 700, `UAV ${u.uavId} reached the S0 altitude (${u.maxAltM.toFixed(0)} m)`);
  // The twin learnt each working UAV's real compute: fidelity rises after the correction.
  assert.ok(tt.firstFidelity < 0.99, `uncorrected fidelity ${tt.firstFidelity} (the UAVs deliver 75–100 % of what they advertise)`);
  assert.ok(tt.lastFidelity > tt.firstFidelity && tt.lastFidelity > 0.98, `corrected fidelity ${tt.lastFidelity}`);
  for (const u of r.fleet.filter((x) => x.sharesMeasured > 0)) assert.ok(Math.abs(u.learntRatio - 1 / u.computeEfficiency) < 0.01, `UAV ${u.uavId}: ρ ${u.learntRatio} vs 1/η ${1 / u.computeEfficiency}`);
  assert.ok(tt.flownEnergyJ > 0 && tt.flownUtilisation > 0 && tt.u2uMessagesWithoutDt > tt.u2uMessages);

  // Replay re-makes every coalition plan byte for byte; the recording has the share completions.
  const run = loadRun(runDir);
  assert.ok(run.ok);
  const rep = replayS0Run(run.value, 'grand');
  assert.ok(rep.check.compared >= 4 * 5);
  assert.equal(rep.check.identical, rep.check.compared, JSON.stringify(rep.check.first));
  assert.ok(rep.whatIf && rep.whatIf.alternative.length === 4);
  const shares = run.value.recording.completions.filter((c) => c.msg.site === ExecutionSite.EXECUTION_SITE_UAV && c.msg.part_bits > 0 && c.msg.uav_id > 0);
  assert.ok(shares.length >= tt.sharesPlanned);
  // The report's coalition timeline shows who served whom.
  const html = fs.readFileSync(path.join(runDir, 'report.html'), 'utf8');
  assert.match(html, /served by UAV/);
  assert.match(html, /S0: coalitions/);
});

test('a secure S0 mission: own identities under the generated ACL, signed plans, MAVLink signing; no denial, every share computed', { timeout: 900_000 }, async (t) => {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'uavmec-s0-secure-'));
  const setup = prepareS0Mission({ seed: 2, uavs: 3, meds: 1, slots: 2 });
  assert.ok(setup.ok);
  const s = setup.value;
  const summary = await runMission({ scenario: s.scenario, s0: s, speed: 10, flavour: 'ardupilot', algo: 'cd-kkt', runDir, clock: 'virtual', landTimeoutS: 1, security: { mavlinkSigning: true } });
  const sec = summary.security!;
  const tt = summary.s0!.totals;
  t.diagnostic(`identities ${sec.identities}, denials ${JSON.stringify(sec.brokerDenials)}, shares ${tt.sharesComputed}/${tt.sharesPlanned}, plans ${summary.totals.plansAcked}/${summary.totals.plansSent}`);
  assert.equal(sec.signedPlans, true);
  assert.equal(sec.mavlinkSigning, true);
  assert.deepEqual(sec.brokerDenials, { authenticate: 0, publish: 0, subscribe: 0 }, 'the ACL from the topic table admits every S0 message its sender should send');
  assert.equal(summary.totals.plansAcked, summary.totals.plansSent, 'every signed plan acked');
  assert.ok(tt.sharesPlanned > 0);
  assert.equal(tt.sharesComputed, tt.sharesPlanned, 'every share computed');
  fs.rmSync(runDir, { recursive: true, force: true });
});
