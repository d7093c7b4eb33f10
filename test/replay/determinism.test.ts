/**
 * Issue 8's evidence: deterministic missions (`clock: 'virtual'`) — same seed → identical
 * recordings and tlogs by SHA-256 (after the canonicalisation stated in apps/replay/digest.ts),
 * another seed → another hash, the recording replays byte-identically through the controller's
 * planning core from its PlanningInputs, and a cut or corrupt recording is refused.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runMission } from '../../apps/mission/run.ts';
import type { MissionSummary } from '../../apps/mission/summary.ts';
import { readRecording, type RecordedMessage } from '../../apps/common/recorder.ts';
import { checkRounds, configFromSummary, hashRecording, loadRun, replayRun, replayThroughCore } from '../../apps/replay/index.ts';
import { recordingDigest, recordingSha256, tlogDigest, tlogSha256 } from '../../apps/replay/digest.ts';
import { summaryFromRecording } from '../../apps/recorder/summary.ts';
import { defaultScenario } from '../../sim/world/index.ts';
import { matchTopic } from '../../proto/index.ts';

async function fly(seed: number): Promise<{ dir: string; summary: MissionSummary }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `uavmec-det-${seed}-`));
  const summary = await runMission({
    scenario: defaultScenario({ uavs: 2, users: 10, slots: 4, slotS: 6, seed }),
    speed: 1, flavour: 'ardupilot', algo: 'cd-kkt', runDir: dir, clock: 'virtual', landTimeoutS: 10,
  });
  return { dir, summary };
}

const runs = new Map<number | string, { dir: string; summary: MissionSummary }>();
const run = async (key: number | string, seed: number) => {
  if (!runs.has(key)) runs.set(key, await fly(seed));
  return runs.get(key)!;
};

void test('same seed → identical recording and tlogs by SHA-256; another seed → another hash', { timeout: 900_000 }, async (t) => {
  const a = await run('a', 11);
  const b = await run('b', 11);
  const c = await run('c', 12);
  const da = a.summary.determinism!;
  const db = b.summary.determinism!;
  t.diagnostic(`wall ${a.summary.wallS.toFixed(1)} s for ${a.summary.simS.toFixed(1)} sim s, ${da.timersFired} timers, ${a.summary.recording.messages} messages; hash ${da.recordingSha256}`);
  for (const d of [da, db, c.summary.determinism!]) {
    assert.equal(d.stalls, 0, JSON.stringify(d.stalledOn));
    assert.equal(d.unmatched, 0);
  }
  // The recordings carry traffic of every kind, offloading included.
  assert.ok(a.summary.recording.messages > 200);
  assert.ok(a.summary.totals.released > 0);
  assert.ok(a.summary.totals.dor > 0, 'some tasks were offloaded');
  assert.equal(da.recordingSha256, db.recordingSha256);
  assert.equal(recordingSha256(path.join(a.dir, 'mqtt.rec')), da.recordingSha256);
  assert.deepEqual(da.tlogSha256, db.tlogSha256);
  assert.equal(Object.keys(da.tlogSha256).length, 2);
  for (const f of Object.keys(da.tlogSha256)) assert.equal(tlogSha256(path.join(b.dir, f)), db.tlogSha256[f]);
  assert.notEqual(c.summary.determinism!.recordingSha256, da.recordingSha256);
  // The semantic stream hashes agree too, decisions and completions included.
  const ra = loadRun(a.dir);
  const rb = loadRun(b.dir);
  assert.ok(ra.ok && rb.ok);
  assert.deepEqual(hashRecording(ra.value.recording), hashRecording(rb.value.recording));
  assert.equal(a.summary.simS, b.summary.simS);
});

void test('the raw recordings of one seed differ at most in the agents\' host readings (the one canonicalisation besides order)', { timeout: 900_000 }, async () => {
  const a = readRecording(path.join((await run('a', 11)).dir, 'mqtt.rec')).messages;
  const b = readRecording(path.join((await run('b', 11)).dir, 'mqtt.rec')).messages;
  assert.equal(a.length, b.length);
  const same = (x: RecordedMessage, y: RecordedMessage) => x.recv_t_us === y.recv_t_us && x.topic === y.topic && Buffer.compare(Buffer.from(x.payload), Buffer.from(y.payload)) === 0;
  let differing = 0;
  a.forEach((x, i) => {
    const y = b[i]!;
    if (same(x, y)) return;
    differing++;
    assert.equal(x.topic, y.topic, `record ${i}`);
    assert.equal(matchTopic(x.topic)?.spec.key, 'health', `record ${i} on ${x.topic} differs`);
  });
  assert.ok(differing < a.length / 4);
});

void test('a deterministic recording replays byte-identically through the controller\'s planning core, from its PlanningInputs', { timeout: 900_000 }, async () => {
  const a = await run('a', 11);
  const r = loadRun(a.dir);
  assert.ok(r.ok);
  assert.deepEqual(r.value.recording.planningInputs.map((p) => p.msg.slot), [0, 1, 2, 3, 4], 'one PlanningInputs per slot, and the close');
  // Offloading decisions are part of what is checked, not only flight targets.
  assert.ok(r.value.recording.plans.some((p) => p.msg.assignments.length > 0));
  const rep = replayRun(r.value);
  assert.equal(rep.throughCore, true);
  assert.equal(rep.check.compared, 8);
  assert.equal(rep.check.identical, rep.check.compared, JSON.stringify(rep.check.first));
  // A planner change is seen: the same inputs through another planner's core diverge somewhere.
  // The core, driven to the end, counted the mission as the controller did (plans aside: the launch is not replayed).
  const again = replayThroughCore(r.value.recording, configFromSummary(r.value.summary));
  assert.ok(again.ok);
  const { plansSent: _s, plansAcked: _a, plansNacked: _n, ...replayed } = again.value.core.ledger.totals();
  const { plansSent: _s2, plansAcked: _a2, plansNacked: _n2, ...flown } = a.summary.totals;
  assert.deepEqual(replayed, flown);
  const other = replayThroughCore(r.value.recording, { ...configFromSummary(r.value.summary), algo: 'al' });
  assert.ok(other.ok);
  const changed = checkRounds(other.value.steps.filter((x) => x.kind === 'slot'), 'slot');
  assert.ok(changed.identical < changed.compared, 'another planner makes other plans');
});

void test('a truncated or corrupt recording is refused with a clear error, and `uavmec replay` exits non-zero', { timeout: 900_000 }, async () => {
  const a = await run('a', 11);
  const bytes = fs.readFileSync(path.join(a.dir, 'mqtt.rec'));
  const cases: [string, Buffer][] = [
    ['cut inside a record', bytes.subarray(0, Math.floor(bytes.length * 0.6))],
    ['cut at a record boundary', recordPrefix(bytes, 30)],
    ['garbage in the middle', Buffer.concat([recordPrefix(bytes, 10), Buffer.from([0x05, 0xff, 0xff, 0xff, 0xff, 0xff]), bytes.subarray(recordPrefix(bytes, 10).length)])],
    ['empty', Buffer.alloc(0)],
  ];
  const replay = (await import('../../apps/cli/commands/replay.ts')).default;
  for (const [what, buf] of cases) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uavmec-trunc-'));
    fs.copyFileSync(path.join(a.dir, 'summary.json'), path.join(dir, 'summary.json'));
    fs.writeFileSync(path.join(dir, 'mqtt.rec'), buf);
    const r = loadRun(dir);
    assert.equal(r.ok, false, `${what}: refused`);
    if (!r.ok) assert.equal(r.reason, 'bad_recording', `${what}: ${r.detail}`);
    const errors: string[] = [];
    const orig = console.error;
    console.error = (s: string) => void errors.push(s);
    try {
      assert.equal(await replay.run([dir]), 1, `${what}: exit 1`);
    } finally {
      console.error = orig;
    }
    assert.equal(errors.length, 1, `${what}: one line`);
    assert.match(errors[0]!, /uavmec replay: .*(truncated|cut short|no records)/, `${what}: says why`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

void test('replay makes plans valid for the controller\'s planValiditySlots, read from the recorded PlanningInputs', { timeout: 900_000 }, async () => {
  const a = await run('a', 11);
  const r = loadRun(a.dir);
  assert.ok(r.ok);
  assert.ok(r.value.recording.planningInputs.every((p) => p.msg.plan_validity_slots === 2), 'the default, 2 slots, is recorded');
  // The same inputs recorded with 4 slots of validity: replay re-makes plans expiring 2 slots later.
  for (const p of r.value.recording.planningInputs) p.msg.plan_validity_slots = 4;
  const rep = replayRun(r.value);
  assert.equal(rep.check.identical, 0, 'every slot plan now differs');
  assert.equal(rep.check.first?.field, 'expires_t_us');
  assert.equal(Number(rep.check.first!.replayed) - Number(rep.check.first!.recorded), 2 * (r.value.summary.scenario.slotS as number) * 1e6);
});

void test('runs several controllers planned without naming their cores are refused with one line: an old failover summary, plans of several epochs, a restarting input sequence', { timeout: 900_000 }, async () => {
  const a = await run('a', 11);
  const replay = (await import('../../apps/cli/commands/replay.ts')).default;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uavmec-failover-'));
  fs.writeFileSync(path.join(dir, 'summary.json'), JSON.stringify({ scenario: {}, chaos: [], continuity: {}, slots: [] }));
  const errors: string[] = [];
  const orig = console.error;
  console.error = (s: string) => void errors.push(s);
  try {
    assert.equal(await replay.run([dir]), 1);
  } finally {
    console.error = orig;
  }
  assert.equal(errors.length, 1);
  assert.match(errors[0]!, /uavmec replay: .* is a failover run recorded before failover missions kept a recording \(mqtt\.rec\): nothing to replay$/);
  fs.rmSync(dir, { recursive: true, force: true });
  // A recording (e.g. by `uavmec recorder`) with plans from two leadership epochs.
  const r = loadRun(a.dir);
  assert.ok(r.ok);
  r.value.recording.plans.forEach((p, i) => (p.msg.leader_epoch = i < 2 ? 1 : 2));
  assert.throws(() => replayRun(r.value), /holds plans of 2 leadership epochs: several controllers planned it, .* do not say which core made which step/);
  // `uavmec recorder` keeps such a recording but writes no summary counted by one controller's core.
  const rec = summaryFromRecording(r.value.recording, { scenario: r.value.summary.scenario, wallS: 1, messages: 1, rejected: {} });
  assert.equal(rec.ok ? 'ok' : rec.reason, 'unsupported');
  // Planning inputs whose sequence restarts: a second controller process published them.
  for (const p of r.value.recording.plans) p.msg.leader_epoch = 0;
  assert.doesNotThrow(() => replayRun(r.value));
  r.value.recording.planningInputs[2]!.msg.header!.seq = 1;
  assert.throws(() => replayRun(r.value), /two different planning steps with seq 1 from one unnamed controller: .*recorded before they carried core_id/);
});

/** The first `n` length-delimited records of a recording. */
function recordPrefix(buf: Buffer, n: number): Buffer {
  let p = 0;
  for (let i = 0; i < n; i++) {
    let len = 0;
    let shift = 0;
    for (;;) {
      const b = buf[p++]!;
      len += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (b < 0x80) break;
    }
    p += len;
  }
  return buf.subarray(0, p);
}

void test('digests canonicalise order within an instant only', () => {
  const enc = new TextEncoder();
  const m = (t: number, topic: string, p: string): RecordedMessage => ({ recv_t_us: t, topic, payload: enc.encode(p) });
  const base = [m(1, 'uavmec/v1/x', 'a'), m(1, 'uavmec/v1/w', 'b'), m(2, 'uavmec/v1/x', 'c')];
  const d = recordingDigest(base);
  assert.equal(recordingDigest([base[1]!, base[0]!, base[2]!]), d);
  assert.notEqual(recordingDigest([m(1, 'uavmec/v1/x', 'a'), m(1, 'uavmec/v1/w', 'B'), m(2, 'uavmec/v1/x', 'c')]), d);
  assert.notEqual(recordingDigest([m(1, 'uavmec/v1/x', 'a'), m(2, 'uavmec/v1/w', 'b'), m(2, 'uavmec/v1/x', 'c')]), d);
  // tlog: two records at one timestamp in either order hash alike; a changed timestamp does not.
  const rec = (tUs: number, seq: number) => {
    const b = Buffer.alloc(8 + 10 + 9 + 2);
    b.writeBigUInt64BE(BigInt(tUs));
    b[8] = 0xfd;
    b[9] = 9;
    b[12] = seq;
    return b;
  };
  const t1 = tlogDigest(Buffer.concat([rec(5, 1), rec(5, 2)]));
  assert.equal(tlogDigest(Buffer.concat([rec(5, 2), rec(5, 1)])), t1);
  assert.notEqual(tlogDigest(Buffer.concat([rec(5, 1), rec(6, 2)])), t1);
});

after(() => {
  for (const r of runs.values()) fs.rmSync(r.dir, { recursive: true, force: true });
});
