/**
 * Task requests are filed by their release time (consume.ts, slot.ts): a request released for the
 * next slot that reaches the core while it is still in the slot before — a standby whose leader
 * record for the new slot comes after the slot's first requests, as at a failover takeover
 * (docs/failover.md) — waits and is planned in its own slot; one released in its slot but arriving
 * after that slot's plan is still booked missed and left to its device.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultChannelParams } from '../../../engines/planning/offload/index.ts';
import { ControlKind, FlightState, topicName, type TaskRequest } from '../../../proto/index.ts';
import { createCore, step, type CoreState } from './index.ts';

const T0 = 1_700_000_000_000_000;
const SLOT_US = 3_000_000;
const slotAt = (k: number) => T0 + k * SLOT_US;

function core(): CoreState {
  const st = createCore({ slots: 8, slotS: 3, algo: 'cd-kkt', channel: defaultChannelParams(), cruiseAltM: 25, speedMS: 10, uavTxPowerW: 1, seed: 7 });
  const msg = {
    header: { version: 1, sender: 'uav-1', t_us: T0 - 1000, seq: 1 }, uav_id: 1, position: { x_east_m: 50, y_north_m: 50, alt_m: 25 },
    compute_energy_used_j: 0, cpu_hz_available: 10e9, bandwidth_hz: 20e6, cache_bits_available: 1e9, flight_state: FlightState.FLIGHT_STATE_FLYING,
    plan_seq: 0, autopilot_link_up: true, autopilot_mode: 'GUIDED', armed: true, tasks_in_progress: 0,
  };
  step(st, { kind: 'twin', topic: topicName('twin', { uav: 1 }), recvUs: T0 - 1000, msg });
  return st;
}

/** A compute-heavy task (1 s on the device) of a user under the UAV, released at `releaseUs`. */
function task(id: number, releaseUs: number, recvUs: number, st: CoreState): void {
  const msg: TaskRequest = {
    header: { version: 1, sender: 'world', t_us: releaseUs, seq: id }, task_id: id, user_id: id, user_position: { x_east_m: 52, y_north_m: 48, alt_m: 0 },
    data_bits: 1e5, cycles_per_bit: 1e4, local_cpu_hz: 1e9, tx_power_w: 0.2, deadline_s: 0, release_t_us: releaseUs, subtasks: [], edges: [], channel_gains: [],
  };
  step(st, { kind: 'task', topic: topicName('task', { user: id }), recvUs, msg });
}

/** The task ids a step's plans hand to the UAVs. */
function planned(st: CoreState, k: number, nowUs: number): number[] {
  const out = step(st, { kind: 'plan', slot: k, nowUs });
  return out.plans.flatMap((p) => (p.plan.assignments ?? []).map((a) => Number(a.task_id))).sort((a, b) => a - b);
}

void test('a standby: a request released for the next slot before the leader\'s record of it waits for that slot and is planned there; a late one is missed', () => {
  const st = core();
  // The leader started slot 3 at slotAt(3); its record reached this standby 0.4 s later, and its plan after that.
  step(st, { kind: 'follow', slot: 3, planned: false, nowUs: slotAt(3) + 400_000, slotStartUs: slotAt(3) });
  task(31, slotAt(3) + 2000, slotAt(3) + 5000, st);
  step(st, { kind: 'follow', slot: 3, planned: true, nowUs: slotAt(3) + 900_000, slotStartUs: slotAt(3) });
  // Slot 4's first request (released 1 ms into slot 4) comes before the record of slot 4 — before the
  // follow's own time + a slot, so only the leader's slot start tells it is slot 4's.
  task(41, slotAt(4) + 1000, slotAt(4) + 3000, st);
  // Slot 3's request released in slot 3 but arriving after its plan: too late, left to the device.
  task(32, slotAt(3) + 2000, slotAt(4) + 3500, st);
  assert.equal(st.ledger.slots[3]!.missedWindow, 1, 'only the late slot-3 request missed slot 3');
  assert.equal(st.ledger.slots[3]!.released, 2);
  assert.deepEqual([...st.early.keys()], [41]);

  step(st, { kind: 'follow', slot: 4, planned: false, nowUs: slotAt(4) + 300_000, slotStartUs: slotAt(4) });
  task(42, slotAt(4) + 1000, slotAt(4) + 310_000, st);
  assert.deepEqual([...st.pending.keys()], [41, 42], 'slot 4\'s early request filed in slot 4');
  assert.equal(st.ledger.slots[4]!.released, 2);
  // The leader died before planning slot 4: this controller plans it (join.ts, planOld).
  assert.deepEqual(planned(st, 4, slotAt(4) + 1_000_000), [41, 42], 'both planned onto the UAV in slot 4');
  assert.equal(st.ledger.slots[4]!.missedWindow, 0);
  assert.equal(st.ledger.slots[4]!.offloaded, 2);
});

void test('the recorded FOLLOW carries the leader\'s slot start, so a replay files requests the same way', () => {
  const st = core();
  const out = step(st, { kind: 'follow', slot: 2, planned: true, nowUs: slotAt(2) + 700_000, slotStartUs: slotAt(2) });
  assert.deepEqual(out.plans, []);
  assert.deepEqual(st.controls.map((c) => [c.kind, c.slot, c.t_us, c.slot_start_t_us]), [[ControlKind.CONTROL_KIND_FOLLOW, 2, slotAt(2) + 700_000, slotAt(2)]]);
  assert.equal(st.nextSlotUs, slotAt(3));
  // A recording made before the field (0): requests are filed in the slot the core is in, as then.
  const old = core();
  step(old, { kind: 'follow', slot: 2, planned: true, nowUs: slotAt(2) + 700_000 });
  assert.equal(old.nextSlotUs, Infinity);
  task(31, slotAt(3) + 1000, slotAt(3) + 2000, old);
  assert.equal(old.ledger.slots[2]!.missedWindow, 1);
  assert.equal(old.early.size, 0);
});

void test('the next slot counts from a hundredth of a slot before its start: the leader\'s timer may fire a few ms early', () => {
  const st = core();
  step(st, { kind: 'follow', slot: 3, planned: true, nowUs: slotAt(3) + 900_000, slotStartUs: slotAt(3) });
  task(41, slotAt(4) - 1600, slotAt(4) + 3000, st); // the leader's slot-4 timer fired 1.6 ms early
  task(32, slotAt(4) - 40_000, slotAt(4) + 3000, st); // 40 ms before slot 4 (over 3 s / 100): slot 3's, late
  assert.deepEqual([...st.early.keys()], [41]);
  assert.equal(st.ledger.slots[3]!.missedWindow, 1);
});

void test('the core\'s own slots: a request released at the slot\'s end waits for the next slot start; a slot skipped books its early requests missed as before', () => {
  const st = core();
  step(st, { kind: 'slotStart', slot: 0, nowUs: slotAt(0) });
  task(1, slotAt(0) + 100, slotAt(0) + 200, st);
  assert.deepEqual(planned(st, 0, slotAt(0) + 750_000), [1]);
  task(2, slotAt(1), slotAt(1), st); // released exactly at slot 1's start, before the core's slot start
  assert.equal(st.ledger.slots[0]!.missedWindow, 0);
  step(st, { kind: 'slotStart', slot: 1, nowUs: slotAt(1) });
  assert.deepEqual(planned(st, 1, slotAt(1) + 750_000), [2]);
  assert.equal(st.ledger.slots[1]!.released, 1);

  // A standby that never saw slot 2's record: slot 2's early request is booked missed in slot 1, as before.
  task(3, slotAt(2) + 500, slotAt(2) + 800, st);
  step(st, { kind: 'follow', slot: 3, planned: false, nowUs: slotAt(3) + 100, slotStartUs: slotAt(3) });
  assert.equal(st.ledger.slots[1]!.missedWindow, 1);
  assert.equal(st.ledger.slots[1]!.released, 2);
  assert.deepEqual([...st.pending.keys()], []);
  assert.equal(st.early.size, 0);
});

void test('a request a broker stall held back past its own slot is booked missed, not planned a slot late', () => {
  const st = core();
  step(st, { kind: 'slotStart', slot: 5, nowUs: slotAt(5) });
  task(51, slotAt(5) + 100, slotAt(5) + 200, st);
  assert.deepEqual(planned(st, 5, slotAt(5) + 750_000), [51]);
  step(st, { kind: 'slotStart', slot: 6, nowUs: slotAt(6) });
  task(52, slotAt(5) + 100, slotAt(6) + 400_000, st); // slot 5's, delivered 1.4 s after its slot ended
  task(61, slotAt(6) - 1000, slotAt(6) + 410_000, st); // slot 6's: its timer fired 1 ms early
  task(62, slotAt(6) + 100, slotAt(6) + 420_000, st);
  assert.deepEqual(planned(st, 6, slotAt(6) + 750_000), [61, 62], 'slot 5\'s request left to its device');
  assert.equal(st.ledger.slots[6]!.missedWindow, 1);
  assert.equal(st.ledger.slots[6]!.released, 3);
});
