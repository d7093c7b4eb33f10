/**
 * A `--secure` run's plans carry the controller's Ed25519 signature; the replay (which has no key)
 * compares the re-made plan with the bytes that were signed — the recorded plan, signature left
 * out — so a signed run replays byte for byte, and a changed field still diverges.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { checkRounds } from '../../apps/replay/index.ts';
import type { RecordedPlan } from '../../apps/replay/recording.ts';
import { signedPlanBytes } from '../../apps/security/plan-signing.ts';
import { decodeRaw, encode, FlightMode, type Plan } from '../../proto/index.ts';
import type { PlanBody } from '../../apps/controller/slot/index.ts';

const header = { version: 1, sender: 'controller', t_us: 1_700_000_000_000_000, seq: 3 };
const body = { uav_id: 2, plan_seq: 7, slot: 1, valid_from_t_us: 1_700_000_000_000_000, expires_t_us: 1_700_000_004_000_000, planner: 'cd-kkt', flight: { mode: FlightMode.FLIGHT_MODE_GOTO, target: { x_east_m: 10, y_north_m: 20, alt_m: 25 }, speed_m_s: 8 } } as unknown as PlanBody;

function recorded(signed: boolean): RecordedPlan {
  const { privateKey } = generateKeyPairSync('ed25519');
  const plain = encode('Plan', { ...body, header } as never);
  const payload = signed ? signedPlanBytes(plain, privateKey) : plain;
  const msg = decodeRaw('Plan', payload);
  assert.ok(msg.ok);
  return { uavId: 2, recvUs: header.t_us, index: 0, msg: msg.value as Plan, payload };
}

test('a signed recorded plan is compared without its signature: identical when the body is, divergent when a field differs', () => {
  for (const signed of [false, true]) {
    const rec = recorded(signed);
    assert.equal(rec.msg.signature.length, signed ? 64 : 0);
    const same = checkRounds([{ slot: 1, recorded: new Map([[2, rec]]), replayed: new Map([[2, body]]) }], 'slot');
    assert.deepEqual([same.compared, same.identical], [1, 1], `${signed ? 'signed' : 'unsigned'} plan identical`);
    const other = checkRounds([{ slot: 1, recorded: new Map([[2, rec]]), replayed: new Map([[2, { ...body, plan_seq: 8 } as PlanBody]]) }], 'slot');
    assert.equal(other.identical, 0);
    assert.equal(other.first?.field, 'plan_seq');
  }
});
