import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import fc from 'fast-check';
import { decode, decodeRaw, encode, NackReason, CONTRACT_VERSION, type Plan } from '../../proto/index.ts';
import { createRng } from '../../core/rng.ts';
import {
  generatePlanSigningKeys,
  loadPlanSigningKey,
  loadPlanVerifyKey,
  nackReasonFor,
  planSigningBytes,
  PlanVerifier,
  publicKeyFingerprint,
  signedPlanBytes,
  signPlan,
  verifyPlan,
} from './plan-signing.ts';

const keys = generatePlanSigningKeys();
const priv = (loadPlanSigningKey(keys.privatePem) as { value: KeyObject }).value;
const pub = (loadPlanVerifyKey(keys.publicPem) as { value: KeyObject }).value;
const other = generatePlanSigningKeys();
const otherPriv = (loadPlanSigningKey(other.privatePem) as { value: KeyObject }).value;

const header = { version: CONTRACT_VERSION, sender: 'controller', t_us: 1_700_000_000_000_000, seq: 1 };

function planBytes(seq: number, over: Record<string, unknown> = {}): Uint8Array {
  return encode('Plan', {
    header, uav_id: 1, plan_seq: seq, slot: seq, valid_from_t_us: 1_000, expires_t_us: 2_000_000,
    flight: { mode: 1, target: { x_east_m: 10, y_north_m: -5, alt_m: 20 }, speed_m_s: 5 }, planner: 'cd-kkt', objective: 1.5,
    ...over,
  } as never);
}
const decoded = (b: Uint8Array): Plan => {
  const r = decode('Plan', b);
  assert.ok(r.ok, r.ok ? '' : `${r.reason} ${r.detail ?? ''}`);
  return r.value;
};

const posArb = fc.record({ x_east_m: fc.double({ min: -1e5, max: 1e5, noNaN: true }), y_north_m: fc.double({ min: -1e5, max: 1e5, noNaN: true }), alt_m: fc.double({ min: 0, max: 500, noNaN: true }) });
const planArb = fc.record({
  uav_id: fc.integer({ min: 1, max: 250 }),
  plan_seq: fc.integer({ min: 1, max: 2 ** 40 }),
  slot: fc.nat(10_000),
  valid_from_t_us: fc.integer({ min: 0, max: 2 ** 50 }),
  dt: fc.integer({ min: 1, max: 1e9 }),
  mode: fc.integer({ min: 1, max: 6 }),
  target: posArb,
  waypoints: fc.array(posArb, { minLength: 1, maxLength: 4 }),
  assignments: fc.array(fc.record({ task_id: fc.integer({ min: 1, max: 2 ** 40 }), user_id: fc.integer({ min: 1, max: 99 }), user_position: posArb, data_bits: fc.double({ min: 1, max: 1e8, noNaN: true }), cycles: fc.double({ min: 1, max: 1e12, noNaN: true }), access_uav_id: fc.integer({ min: 1, max: 9 }), exec_uav_id: fc.integer({ min: 1, max: 9 }), bandwidth_hz: fc.double({ min: 1, max: 1e8, noNaN: true }), cpu_hz: fc.double({ min: 1, max: 1e10, noNaN: true }), local_s: fc.double({ min: 1e-3, max: 100, noNaN: true }) }), { maxLength: 4 }),
  planner: fc.string({ maxLength: 12 }),
  objective: fc.double({ noNaN: true, noDefaultInfinity: true }),
});

void test('property: sign → wire → decode+validate → verify succeeds for random plans; canonical form is a fixed point', () => {
  fc.assert(
    fc.property(planArb, (p) => {
      const bytes = encode('Plan', {
        header, uav_id: p.uav_id, plan_seq: p.plan_seq, slot: p.slot, valid_from_t_us: p.valid_from_t_us, expires_t_us: p.valid_from_t_us + p.dt,
        flight: { mode: p.mode, target: p.target, waypoints: p.waypoints }, assignments: p.assignments, planner: p.planner, objective: p.objective,
      } as never);
      const wire = signedPlanBytes(bytes, priv);
      const got = decode('Plan', wire);
      if (!got.ok) return true; // validation refusals are proto's business, not signing's
      assert.ok(verifyPlan(got.value, pub).ok);
      const c1 = planSigningBytes(got.value);
      assert.deepEqual(planSigningBytes(decodeRaw('Plan', c1).ok ? (decodeRaw('Plan', c1) as { value: Plan }).value : got.value), c1);
      // signPlan over the unsigned bytes gives the same signature (Ed25519 is deterministic).
      assert.deepEqual(Buffer.from(signPlan(bytes, priv)), Buffer.from(got.value.signature));
      return true;
    }),
    { seed: 91, numRuns: 300 },
  );
});

void test('tampering with any signed field, a foreign key, no signature or a truncated one → refused', () => {
  const p = decoded(signedPlanBytes(planBytes(5), priv));
  assert.ok(verifyPlan(p, pub).ok);
  const tampered: Plan[] = [
    { ...p, plan_seq: 6 },
    { ...p, uav_id: 2 },
    { ...p, expires_t_us: p.expires_t_us + 1 },
    { ...p, flight: { ...p.flight!, target: { ...p.flight!.target!, x_east_m: 10.000001 } } },
    { ...p, header: { ...p.header!, sender: 'rogue' } },
    { ...p, planner: 'x' },
  ];
  for (const t of tampered) assert.equal(verifyPlan(t, pub).ok ? 'ok' : (verifyPlan(t, pub) as { reason: string }).reason, 'bad_signature');
  const foreign = decoded(signedPlanBytes(planBytes(5), otherPriv));
  assert.deepEqual(verifyPlan(foreign, pub), { ok: false, reason: 'bad_signature', detail: 'signature does not match the pinned controller key' });
  assert.equal((verifyPlan(decoded(planBytes(5)), pub) as { reason: string }).reason, 'unsigned');
  assert.equal((verifyPlan({ ...p, signature: p.signature.subarray(0, 63) }, pub) as { reason: string }).reason, 'bad_signature');
});

void test('property: random byte mutations of a signed plan never verify unless the decoded content is unchanged', () => {
  const wire = signedPlanBytes(planBytes(7), priv);
  const canonical = Buffer.from(planSigningBytes(decoded(wire)));
  const sig = Buffer.from(decoded(wire).signature);
  const rng = createRng(2024);
  let verifiedMutants = 0;
  let decodedMutants = 0;
  for (let i = 0; i < 3000; i++) {
    const m = Buffer.from(wire);
    const flips = 1 + Math.floor(rng.next() * 3);
    for (let k = 0; k < flips; k++) m[Math.floor(rng.next() * m.length)]! ^= 1 << Math.floor(rng.next() * 8);
    const d = decodeRaw('Plan', m);
    if (!d.ok) continue;
    decodedMutants++;
    const v = verifyPlan(d.value, pub);
    const same = Buffer.from(planSigningBytes(d.value)).equals(canonical) && Buffer.from(d.value.signature).equals(sig);
    assert.equal(v.ok, same, `mutant ${i}`);
    if (v.ok) verifiedMutants++;
  }
  assert.ok(decodedMutants > 500, `only ${decodedMutants} mutants decoded`);
  assert.equal(verifiedMutants, 0);
});

void test('PlanVerifier: accepts newer signed plans, refuses replays, expired, unsigned and forged — and counts each', () => {
  const v = new PlanVerifier(pub);
  const s1 = decoded(signedPlanBytes(planBytes(1), priv));
  const s2 = decoded(signedPlanBytes(planBytes(2), priv));
  const forgedHigh = decoded(signedPlanBytes(planBytes(1000), otherPriv));
  assert.ok(v.check(s1, 1_500).ok);
  assert.equal((v.check(s1, 1_500) as { reason: string }).reason, 'replay');
  assert.equal((v.check(forgedHigh, 1_500) as { reason: string }).reason, 'bad_signature');
  assert.equal(v.lastSeq, 1, 'a forged plan must not advance the sequence');
  assert.equal((v.check(decoded(planBytes(3)), 1_500) as { reason: string }).reason, 'unsigned');
  assert.equal((v.check(s2, 2_000_001) as { reason: string }).reason, 'expired');
  assert.ok(v.check(s2, 2_000_000).ok);
  assert.deepEqual(v.stats, { accepted: 2, unsigned: 1, bad_signature: 1, replay: 1, expired: 1 });
  assert.equal(nackReasonFor('bad_signature'), NackReason.NACK_REASON_BAD_SIGNATURE);
  assert.equal(nackReasonFor('unsigned'), NackReason.NACK_REASON_BAD_SIGNATURE);
  assert.equal(nackReasonFor('replay'), NackReason.NACK_REASON_STALE_SEQ);
  assert.equal(nackReasonFor('expired'), NackReason.NACK_REASON_EXPIRED);
});

void test('PlanVerifier: a newer leader\'s signed plan passes whatever its plan_seq; older epochs and older seqs within an epoch are replays', () => {
  const v = new PlanVerifier(pub);
  const at = (seq: number, epoch: number) => decoded(signedPlanBytes(planBytes(seq, { leader_epoch: epoch }), priv));
  assert.ok(v.check(at(1005, 2), 1_500).ok, 'the deposed leader\'s late-stamped plan, first to arrive');
  assert.ok(v.check(at(1000, 3), 1_500).ok, 'the new leader\'s plan supersedes it (ordered by epoch, then seq)');
  assert.equal((v.check(at(999, 3), 1_500) as { reason: string }).reason, 'replay');
  assert.equal((v.check(at(1000, 3), 1_500) as { reason: string }).reason, 'replay');
  // Not knowing an epoch (a fresh verifier, as after a restart with the persisted seq): seq alone.
  const restarted = new PlanVerifier(pub, 1005);
  assert.equal((restarted.check(at(1000, 3), 1_500) as { reason: string }).reason, 'replay');
});

void test('keys: only Ed25519 loads; fingerprint is the same from both halves', () => {
  const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  assert.equal(loadPlanSigningKey(ec.privateKey.export({ type: 'pkcs8', format: 'pem' })).ok, false);
  assert.equal(loadPlanVerifyKey(ec.publicKey.export({ type: 'spki', format: 'pem' })).ok, false);
  assert.equal(loadPlanVerifyKey('not a key').ok, false);
  assert.equal(publicKeyFingerprint(priv), publicKeyFingerprint(pub));
  assert.notEqual(publicKeyFingerprint(pub), publicKeyFingerprint(otherPriv));
  assert.match(publicKeyFingerprint(pub), /^[0-9a-f]{64}$/);
  assert.throws(() => new PlanVerifier(priv), TypeError);
});
