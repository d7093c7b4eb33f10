import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TOPICS, matchTopic, topicName, type Role } from '../../proto/topics.ts';
import {
  aclForIdentity,
  aclForRole,
  filterCovers,
  filterMatches,
  fleetIdentities,
  identityName,
  mayPublish,
  maySubscribe,
  mosquittoAcl,
  parseIdentity,
  type Identity,
} from './acl.ts';

/** Independent reference: the topic table's rule for a concrete topic, via proto's own regex matcher. */
function expected(id: Identity, topic: string, access: 'read' | 'write'): boolean {
  const m = matchTopic(topic);
  if (id.role === 'recorder') return access === 'read' && topic.startsWith('uavmec/');
  if (!m) return false;
  const roleOk = access === 'write' ? m.spec.publisher === id.role : (m.spec.subscribers as readonly Role[]).includes(id.role);
  if (!roleOk) return false;
  if (id.role === 'agent') return m.params.user === undefined && (m.params.uav === undefined || m.params.uav === id.uavId);
  return true;
}

const IDS: Identity[] = fleetIdentities({ uavIds: [1, 2, 3], recorder: true });
const CONCRETE: string[] = [];
for (const t of TOPICS) for (const uav of [1, 2, 3, 17]) for (const user of [1, 5]) CONCRETE.push(topicName(t.key, { uav, user }));
CONCRETE.push('uavmec/v1/uav/0/twin', 'uavmec/v1/uav/1/twin/extra', 'uavmec/v2/fleet', 'other/topic', 'uavmec/v1/uav/+/plan', '#');

void test('publish and read grants equal the topic table for every identity × topic (vs proto matchTopic)', () => {
  let checked = 0;
  for (const id of IDS) {
    const rules = aclForIdentity(id);
    for (const topic of new Set(CONCRETE)) {
      if (!matchTopic(topic) && !topic.includes('+') && !topic.includes('#')) {
        // Off-contract names (uav id 0, extra levels, other versions): MQTT '+' cannot say
        // "decimal ≥ 1", so wildcard grants may cover some; agents (no wildcards) never do.
        if (id.role === 'agent') assert.ok(!mayPublish(rules, topic) && !maySubscribe(rules, topic), `${identityName(id)} ${topic}`);
        continue;
      }
      assert.equal(mayPublish(rules, topic), expected(id, topic, 'write') && !topic.includes('+') && !topic.includes('#'), `${identityName(id)} write ${topic}`);
      if (!topic.includes('+') && !topic.includes('#')) {
        assert.equal(maySubscribe(rules, topic), expected(id, topic, 'read'), `${identityName(id)} read ${topic}`);
      }
      checked++;
    }
  }
  assert.ok(checked >= 180, String(checked));
});

void test('agents: own-UAV topics only; wildcard subscriptions over other UAVs refused', () => {
  const r = aclForRole('agent', 2);
  assert.ok(r.every((x) => !x.filter.includes('+') && !x.filter.includes('#')), 'an agent has no wildcard grant');
  assert.ok(maySubscribe(r, 'uavmec/v1/uav/2/plan'));
  assert.ok(maySubscribe(r, 'uavmec/v1/fleet'));
  assert.ok(!maySubscribe(r, 'uavmec/v1/uav/+/plan'));
  assert.ok(!maySubscribe(r, 'uavmec/v1/uav/2/#'));
  assert.ok(!maySubscribe(r, '#'));
  assert.ok(mayPublish(r, 'uavmec/v1/uav/2/twin'));
  assert.ok(!mayPublish(r, 'uavmec/v1/uav/2/plan'), 'an agent never writes plans');
  assert.ok(!mayPublish(r, 'uavmec/v1/uav/3/twin'));
  assert.throws(() => aclForRole('agent'), RangeError);
  const c = aclForRole('controller');
  assert.ok(maySubscribe(c, 'uavmec/v1/uav/+/twin'));
  assert.ok(!maySubscribe(c, 'uavmec/v1/uav/#'), 'the controller does not read agents\' inbound plans back … nor everything');
});

void test('filterCovers agrees with brute force over a small topic universe', () => {
  const levels = ['a', 'b'];
  const universe: string[] = [];
  const build = (prefix: string[], depth: number) => {
    if (prefix.length > 0) universe.push(prefix.join('/'));
    if (depth === 0) return;
    for (const l of levels) build([...prefix, l], depth - 1);
  };
  build([], 3);
  const filterArb = fc
    .array(fc.constantFrom('a', 'b', '+'), { minLength: 0, maxLength: 3 })
    .chain((xs) => fc.boolean().map((hash) => (hash ? [...xs, '#'] : xs)))
    .filter((xs) => xs.length > 0)
    .map((xs) => xs.join('/'));
  fc.assert(
    fc.property(filterArb, filterArb, (g, s) => {
      // Brute force over topics up to depth 3 (filters are at most 4 levels; '#' reaches deeper,
      // so only compare when neither side can match beyond depth 3).
      if (g.split('/').length > 3 || s.split('/').length > 3) return true;
      const brute = universe.every((t) => !filterMatches(s, t) || filterMatches(g, t));
      if (s.endsWith('#') && !g.endsWith('#')) return filterCovers(g, s) === false;
      return filterCovers(g, s) === brute || (brute && s.endsWith('#'));
    }),
    { seed: 9, numRuns: 2000 },
  );
});

void test('identity names round-trip; junk usernames map to nothing', () => {
  for (const id of IDS) assert.deepEqual(parseIdentity(identityName(id)), id);
  for (const junk of ['', 'uav-0', 'uav-01', 'uav-', 'UAV-1', 'admin', 'uav-1 ', undefined]) assert.equal(parseIdentity(junk), undefined, String(junk));
});

void test('mosquitto ACL text: one user block per identity, nothing for anonymous', () => {
  const text = mosquittoAcl({ uavIds: [2, 1] });
  const firstUser = text.split('\n').findIndex((l) => l.startsWith('user '));
  assert.ok(text.split('\n').slice(0, firstUser).every((l) => l === '' || l.startsWith('#')), 'no anonymous grants');
  assert.deepEqual(text.split('\n').filter((l) => l.startsWith('user ')), ['user controller', 'user world', 'user uav-1', 'user uav-2']);
  assert.ok(text.includes('user uav-1\ntopic write uavmec/v1/uav/1/twin\ntopic read uavmec/v1/uav/1/plan'));
  assert.ok(!text.includes('recorder'));
});
