import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import fc from 'fast-check';
import { decode, encode, matchTopic, topicFilter, topicName, TOPICS, type MessageName } from '../../proto/index.ts';
import { generateTypes } from '../../scripts/gen-proto-types.ts';
import fs from 'node:fs';

const header = { version: 1, sender: 'uav-3', t_us: 1_700_000_000_123_456, seq: 7 };

test('TwinState round-trips with optional fields absent when unset', () => {
  const bytes = encode('TwinState', { header, uav_id: 3, position: { x_east_m: 1.5, y_north_m: -2, alt_m: 30 }, battery_pct: 80, cpu_hz_available: 1e10 });
  const r = decode('TwinState', bytes);
  assert.ok(r.ok);
  assert.equal(r.value.header?.t_us, header.t_us);
  assert.equal(r.value.position?.alt_m, 30);
  assert.equal(r.value.battery_pct, 80);
  assert.equal(r.value.battery_remaining_j, undefined);
  assert.equal(r.value.velocity, undefined);
});

test('wrong contract version, missing header and out-of-range fields are refused with a reason', () => {
  const bad = decode('TwinState', encode('TwinState', { header: { ...header, version: 2 }, uav_id: 3 }));
  assert.deepEqual(bad.ok ? 'ok' : bad.reason, 'bad_version');
  const noHeader = decode('PlanAck', encode('PlanAck', { uav_id: 1, plan_seq: 1, accepted: true }));
  assert.equal(noHeader.ok ? 'ok' : noHeader.reason, 'bad_header');
  const pct = decode('TwinState', encode('TwinState', { header, uav_id: 3, battery_pct: 140 }));
  assert.ok(!pct.ok && pct.reason === 'invalid' && /battery_pct/.test(pct.detail ?? ''));
  const plan = decode('Plan', encode('Plan', { header, uav_id: 1, plan_seq: 1, valid_from_t_us: 10, expires_t_us: 20, flight: { mode: 1 } }));
  assert.ok(!plan.ok && /flight.target missing/.test(plan.detail ?? ''));
});

test('decode never throws on random bytes, for every message type on the bus', () => {
  const types = [...new Set(TOPICS.map((t) => t.type))] as MessageName[];
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 256 }), fc.constantFrom(...types), (bytes, type) => {
      const r = decode(type, bytes);
      assert.equal(typeof r.ok, 'boolean');
    }),
    { numRuns: 3000, seed: 42 },
  );
});

test('topic names, filters and matching agree with the table', () => {
  assert.equal(topicName('twin', { uav: 3 }), 'uavmec/v1/uav/3/twin');
  assert.equal(topicFilter('twin'), 'uavmec/v1/uav/+/twin');
  assert.throws(() => topicName('plan', {}), /needs a uav id/);
  const m = matchTopic('uavmec/v1/user/12/task');
  assert.equal(m?.spec.key, 'task');
  assert.equal(m?.params.user, 12);
  assert.equal(matchTopic('uavmec/v1/uav/0/twin'), undefined);
  assert.equal(matchTopic('uavmec/v1/uav/3/twin/extra'), undefined);
});

test('proto/gen/types.ts is up to date with the .proto files', () => {
  assert.equal(fs.readFileSync(new URL('../../proto/gen/types.ts', import.meta.url), 'utf8'), generateTypes());
});

test('protoc accepts the .proto files and decodes an encoded message', { skip: !hasProtoc() && 'protoc not installed' }, () => {
  const bytes = encode('PlanAck', { header, uav_id: 2, plan_seq: 5, accepted: false, reason: 3, detail: 'stale' });
  const text = execFileSync('protoc', ['-I', 'proto', '--decode=uavmec.v1.PlanAck', 'uavmec/v1/plan.proto'], { input: bytes }).toString();
  assert.match(text, /plan_seq: 5/);
  assert.match(text, /reason: NACK_REASON_STALE_SEQ/);
});

function hasProtoc(): boolean {
  try {
    execFileSync('protoc', ['--version']);
    return true;
  } catch {
    return false;
  }
}

test('docs/topics.md is rendered from the current topic table', async () => {
  const { topicsMarkdown } = await import('../../scripts/gen-topics-doc.ts');
  assert.equal(fs.readFileSync(new URL('../../docs/topics.md', import.meta.url), 'utf8'), topicsMarkdown());
});
