/**
 * The pure parts of replaying runs several planning cores planned (apps/replay/cores.ts,
 * core-replay.ts): PlanningInputs split by core (core_id, leader_epoch) with redelivered copies
 * dropped and unnamed cores refused, and a step's events put back in the live core's order
 * (slot start, controls among the consumed messages; no slot start for a followed slot or the close).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readRecording, type RecordedMessage } from '../../apps/common/recorder.ts';
import { coreStreams, parseRecording, stepEvents } from '../../apps/replay/index.ts';
import { ControlKind, decode, encode, matchTopic, topicName, type MessageInput, type PlanningInputs } from '../../proto/index.ts';

const FIXTURE = join(import.meta.dirname, '../fixtures/run-2uav-4slot/mqtt.rec');

/** The fixture's first twin state and task request (real messages), with their refs. */
function realMessages(): { twin: RecordedMessage; task: RecordedMessage; ref: (m: RecordedMessage) => { topic: string; sender: string; seq: number; recv_t_us: number } } {
  const { messages } = readRecording(FIXTURE);
  const twin = messages.find((m) => matchTopic(m.topic)?.spec.key === 'twin')!;
  const task = messages.find((m) => matchTopic(m.topic)?.spec.key === 'task')!;
  const ref = (m: RecordedMessage) => {
    const t = matchTopic(m.topic)!;
    const d = decode(t.spec.type as 'TwinState', m.payload);
    assert.ok(d.ok);
    return { topic: m.topic, sender: d.value.header!.sender, seq: d.value.header!.seq, recv_t_us: m.recv_t_us };
  };
  return { twin, task, ref };
}

const T0 = 1_700_000_000_000_000;

function inputs(seq: number, body: Partial<MessageInput<PlanningInputs>>, tUs = T0 + seq): RecordedMessage {
  const msg = { header: { version: 1, sender: 'controller', t_us: tUs, seq }, slot: 0, slot_start_t_us: T0, plan_t_us: T0 + 500_000, consumed: [], consumed_before_start: 0, plan_validity_slots: 2, ...body };
  return { recv_t_us: tUs, topic: topicName('planningInputs'), payload: encode('PlanningInputs', msg as never) };
}

void test('coreStreams: one stream per (core_id, leader_epoch), in seq order; a redelivered copy dropped', () => {
  const rec = parseRecording([
    inputs(1, { core_id: 'shard-1', slot: 0 }), inputs(1, { core_id: 'shard-2', slot: 0 }),
    inputs(2, { core_id: 'shard-2', slot: 1 }), inputs(2, { core_id: 'shard-1', slot: 1 }),
    inputs(2, { core_id: 'shard-1', slot: 1 }), // the same step again (QoS 1 redelivery)
    inputs(1, { core_id: 'c2', leader_epoch: 2, slot: 2 }, T0 + 9),
  ]);
  const s = coreStreams(rec);
  assert.ok(s.ok);
  assert.deepEqual(s.value.map((x) => [x.id, x.epoch, x.inputs.map((i) => i.msg.slot)]), [['shard-1', 0, [0, 1]], ['shard-2', 0, [0, 1]], ['c2', 2, [2]]]);
});

void test('coreStreams: two different steps under one seq and no core_id (recorded before it) are refused', () => {
  const rec = parseRecording([inputs(1, { slot: 0 }), inputs(1, { slot: 0 }, T0 + 7), inputs(2, { slot: 1 })]);
  const s = coreStreams(rec);
  assert.ok(!s.ok);
  assert.equal(s.reason, 'unnamed_cores');
  assert.match(s.detail!, /seq 1 from one unnamed controller.*recorded before they carried core_id/);
});

void test('stepEvents: the slot start and the controls among the consumed messages, as the live core had them', () => {
  const { twin, task, ref } = realMessages();
  const start = T0 + 100;
  const pi = inputs(1, {
    slot: 3, slot_start_t_us: start, plan_t_us: start + 1000, consumed: [ref(twin), ref(task), ref(twin)], consumed_before_start: 1,
    controls: [
      { after_consumed: 1, kind: ControlKind.CONTROL_KIND_RELEASE, uav_id: 2, t_us: start - 1 }, // before the slot start at the same index
      { after_consumed: 1, kind: ControlKind.CONTROL_KIND_RELEASE, uav_id: 3, t_us: start + 1 }, // after it
      { after_consumed: 3, kind: ControlKind.CONTROL_KIND_FOLLOW, slot: 2, slot_planned: true, t_us: start + 900 },
    ],
  });
  const rec = parseRecording([twin, task, pi]);
  const order = (close = false) => {
    const r = stepEvents(rec, rec.planningInputs[0]!.msg, close);
    assert.ok(r.ok);
    return r.value.map((e) => (e.kind === 'release' ? `release ${e.uavId}` : e.kind === 'follow' ? `follow ${e.slot}` : e.kind === 'slotStart' ? `start ${e.slot}` : e.kind));
  };
  assert.deepEqual(order(), ['twin', 'release 2', 'start 3', 'release 3', 'task', 'twin', 'follow 2']);
  assert.deepEqual(order(true), ['twin', 'release 2', 'release 3', 'task', 'twin', 'follow 2'], 'the close has no slot start');
  // A standby that took over mid-slot entered the slot by following the leader: no slot start.
  const followed = parseRecording([twin, task, inputs(1, { slot: 3, slot_start_t_us: start, plan_t_us: start + 1000, consumed: [ref(twin)], controls: [{ after_consumed: 1, kind: ControlKind.CONTROL_KIND_FOLLOW, slot: 3, slot_planned: false, t_us: start, slot_start_t_us: start - 40 }] })]);
  const f = stepEvents(followed, followed.planningInputs[0]!.msg);
  assert.ok(f.ok);
  assert.deepEqual(f.value.map((e) => e.kind), ['twin', 'follow']);
  // The leader's slot start, by which the live core filed task requests, goes back to the core.
  assert.deepEqual(f.value[1], { kind: 'follow', slot: 3, planned: false, nowUs: start, slotStartUs: start - 40 });
});

void test('stepEvents: a consumed message the recording lacks fails, naming the core', () => {
  const { twin, ref } = realMessages();
  const gone = { ...ref(twin), seq: 999_999 };
  const rec = parseRecording([inputs(1, { core_id: 'c2', leader_epoch: 2, slot: 4, consumed: [gone] })]);
  const r = stepEvents(rec, rec.planningInputs[0]!.msg);
  assert.ok(!r.ok);
  assert.match(r.detail!, /^slot 4 \(c2\): the controller consumed uavmec\/v1\/uav\/\d+\/twin seq 999999/);
});
