/** Sharded controllers (issue 19 §3): regions, ownership and handover, balance, the merged picture, the merged books. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TwinState } from '../../../proto/index.ts';
import { MetricsLedger } from '../metrics.ts';
import { balance, crossedInto, createShard, mergedMembers, mergeLedgers, onHandover, onPicture, pictureBody, quotas, regionOf, routeTwin, stripRegions, type PeerPicture } from './index.ts';

const regions = stripRegions(150, 2);
const twin = (uav: number, x: number, tUs = 1): TwinState => ({ header: { version: 1, sender: `uav-${uav}`, t_us: tUs, seq: 1 }, uav_id: uav, position: { x_east_m: x, y_north_m: 50, alt_m: 25 } }) as unknown as TwinState;
const peer = (o: Partial<PeerPicture>): PeerPicture => ({ shard: 2, slot: 0, missionStartUs: 1, owned: [], members: [], users: 0, usersSlot: 1, centroid: undefined, ...o });

void test('regions: two strips of a 150 m area, half-open; crossing needs the margin past the border', () => {
  assert.deepEqual(regions.map((r) => [r.xMinM, r.xMaxM]), [[0, 75], [75, 150]]);
  assert.deepEqual([regionOf(regions, -10), regionOf(regions, 74.9), regionOf(regions, 75), regionOf(regions, 400)], [1, 1, 2, 2]);
  assert.equal(crossedInto(regions, 1, 79, 5), undefined, '4 m past the border: still shard 1');
  assert.equal(crossedInto(regions, 1, 80, 5), 2);
  assert.equal(crossedInto(regions, 2, 71, 5), undefined);
  assert.equal(crossedInto(regions, 2, 69.9, 5), 1);
  assert.throws(() => stripRegions(150, 0), /shards/);
});

void test('ownership: a UAV belongs to the region it is first seen in; only its owner feeds its twin to the core', () => {
  const a = createShard({ shard: 1, regions, areaM: 150 });
  const b = createShard({ shard: 2, regions, areaM: 150 });
  for (const s of [a, b]) {
    routeTwin(s, twin(1, 10), 0, 0);
    routeTwin(s, twin(2, 100), 0, 0);
  }
  assert.deepEqual([[...a.owned], [...b.owned]], [[1], [2]]);
  assert.equal(routeTwin(a, twin(1, 20), 0, 0).feed, true);
  assert.equal(routeTwin(a, twin(2, 100), 0, 0).feed, false, 'shard 1 does not plan UAV 2');
});

void test('handover: the owner hands a UAV over once it is past the margin; the next shard adopts it with its twin state', () => {
  const a = createShard({ shard: 1, regions, areaM: 150 });
  const b = createShard({ shard: 2, regions, areaM: 150 });
  routeTwin(a, twin(3, 10), 0, 0);
  routeTwin(b, twin(3, 10), 0, 0);
  a.planSeq.set(3, 4200);
  assert.equal(routeTwin(a, twin(3, 78), 4, 0).handover, undefined);
  const r = routeTwin(a, twin(3, 81, 99), 4, 5);
  assert.equal(r.feed, false);
  assert.deepEqual({ ...r.handover, twin: r.handover?.twin.uav_id }, { uav_id: 3, from_shard: 1, to_shard: 2, slot: 4, twin: 3, plan_seq: 4200 });
  assert.equal(a.owned.has(3), false);
  assert.deepEqual(a.sent, [{ uavId: 3, to: 2, slot: 4, tUs: 5 }]);
  assert.equal(routeTwin(b, twin(3, 82), 4, 0).feed, false, 'not shard 2\'s before the Handover arrives');
  assert.equal(onHandover(b, r.handover!, 6), true);
  assert.equal(onHandover(b, r.handover!, 7), false, 'a duplicate (QoS 1 redelivery) is ignored');
  assert.equal(onHandover(a, r.handover!, 6), false, 'the sender does not adopt its own handover');
  assert.equal(routeTwin(b, twin(3, 83), 4, 0).feed, true);
  assert.deepEqual(b.adopted, [{ uavId: 3, from: 1, slot: 4, tUs: 6 }]);
});

void test('quotas: proportional to demand, largest remainder, all UAVs placed', () => {
  assert.deepEqual(quotas([11, 5], 4), [3, 1]);
  assert.deepEqual(quotas([10, 10], 5), [3, 2]);
  assert.deepEqual(quotas([16, 0], 4), [4, 0]);
  assert.deepEqual(quotas([0, 0], 4), [0, 0]);
  assert.deepEqual(quotas([1, 1, 1], 6), [2, 2, 2]);
});

void test('balance: a shard above its quota sends its UAV nearest the short region, once, toward its users; no balance before demand is known', () => {
  const a = createShard({ shard: 1, regions, areaM: 150 });
  for (const [u, x] of [[1, 10], [2, 40], [3, 60], [4, 20]] as const) routeTwin(a, twin(u, x), 0, 0);
  const users = Array.from({ length: 11 }, () => [30, 50] as [number, number]);
  assert.deepEqual(balance(a, 0, users).started, [], 'no picture from shard 2 yet');
  onPicture(a, peer({ usersSlot: 0 }));
  assert.deepEqual(balance(a, 0, users).started, [], 'shard 2 has not planned a slot yet');
  onPicture(a, peer({ users: 5, usersSlot: 1, centroid: [120, 40] }));
  const b = balance(a, 1, users);
  assert.deepEqual(b.started, [3], 'UAV 3 is nearest to x = 75');
  assert.deepEqual(b.transits, [{ uavId: 3, to: 2, target: [120, 40] }]);
  assert.deepEqual(a.users, { count: 11, centroid: [30, 50], slot: 2 });
  assert.deepEqual(balance(a, 2, users).started, [], 'the one in transit covers the deficit');
  // Users at the border: the target is kept twice the margin inside the region, so the UAV does cross.
  onPicture(a, peer({ users: 5, usersSlot: 2, centroid: [76, 40] }));
  assert.deepEqual(balance(a, 3, users).transits[0]!.target, [85, 40]);
});

void test('balance: a handover not yet in the receiver\'s picture still counts toward its quota', () => {
  const a = createShard({ shard: 1, regions, areaM: 150 });
  for (const [u, x] of [[1, 10], [2, 40], [3, 60], [4, 70]] as const) routeTwin(a, twin(u, x), 0, 0);
  onPicture(a, peer({ users: 8, usersSlot: 3, slot: 3 }));
  const users = Array.from({ length: 8 }, () => [30, 50] as [number, number]);
  assert.deepEqual(balance(a, 3, users).started, [4, 3]);
  routeTwin(a, twin(4, 90), 3, 0);
  routeTwin(a, twin(3, 90), 4, 0);
  assert.deepEqual(balance(a, 4, users).started, [], 'two handed over since picture 3: quota met');
});

void test('the fleet picture: each shard\'s part, merged by UAV with the freshest report', () => {
  const a = createShard({ shard: 1, regions, areaM: 150 });
  routeTwin(a, twin(1, 10, 50), 0, 0);
  routeTwin(a, twin(2, 100, 50), 0, 0);
  const body = pictureBody(a, 3, 7e6);
  assert.deepEqual([body.shard, body.shards, body.x_east_min_m, body.x_east_max_m, body.slot, body.mission_start_t_us, body.owned_uav_ids], [1, 2, 0, 75, 3, 7e6, [1]]);
  onPicture(a, peer({ owned: [2, 1], members: [{ uav_id: 2, position: { x_east_m: 101, y_north_m: 0, alt_m: 25 }, reported_t_us: 60 }, { uav_id: 1, position: { x_east_m: 9, y_north_m: 0, alt_m: 25 }, reported_t_us: 40 }] }));
  const m = mergedMembers(a);
  assert.deepEqual(m.map((x) => [x.uav_id, x.position?.x_east_m]), [[1, 10], [2, 101]]);
});

void test('the mission\'s books: the shards\' slot rows added up', () => {
  const l1 = new MetricsLedger();
  const l2 = new MetricsLedger();
  l1.beginSlot(0, 10).released = 3;
  l2.beginSlot(0, 12).released = 2;
  l1.slots[0]!.dor = 1.5;
  l2.slots[0]!.dor = 0.5;
  l1.slots[0]!.energyJ[1] = 7;
  l2.slots[0]!.energyJ[2] = 8;
  l2.launch.plansSent = 2;
  const m = mergeLedgers([l1, l2]);
  assert.deepEqual([m.slots[0]!.startUs, m.slots[0]!.released, m.slots[0]!.dor, m.slots[0]!.energyJ, m.launch.plansSent], [10, 5, 2, { 1: 7, 2: 8 }, 2]);
  assert.equal(m.totals().dor, 2);
});
