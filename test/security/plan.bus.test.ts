/**
 * Issue 9 evidence (agent side): forged plans delivered straight to an agent's plan topic — on a
 * broker without ACLs, i.e. as if the broker or a controller credential were compromised — are
 * refused by the agent's PlanVerifier and nacked; the controller's signed plans keep being
 * accepted in order. Real embedded broker, real Bus clients; the "agent" is the plan intake the
 * lead wires into apps/agent (verifier → gate → ack).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../core/clock.ts';
import { Bus } from '../../apps/common/bus.ts';
import { startEmbeddedBroker } from '../../apps/common/broker.ts';
import { silentLogger } from '../../apps/common/log.ts';
import { decodeRaw, encode, FlightMode, NackReason, topicName, type PlanAck } from '../../proto/index.ts';
import { generatePlanSigningKeys, loadPlanSigningKey, loadPlanVerifyKey, nackReasonFor, PlanVerifier, signedPlanBytes } from '../../apps/security/plan-signing.ts';
import { waitUntil } from './harness.ts';

const must = <T>(r: { ok: true; value: T } | { ok: false; reason: string }): T => {
  if (!r.ok) throw new Error(r.reason);
  return r.value;
};

void test('forged, unsigned and replayed plans sent straight to an agent are nacked; signed plans flow', async () => {
  const broker = await startEmbeddedBroker(); // no ACL: the worst case for the agent
  const clock = new ManualClock(1_700_000_000_000_000);
  const log = silentLogger();
  const ctlKeys = generatePlanSigningKeys();
  const rogueKeys = generatePlanSigningKeys();
  const ctlKey = must(loadPlanSigningKey(ctlKeys.privatePem));
  const rogueKey = must(loadPlanSigningKey(rogueKeys.privatePem));
  const pinned = must(loadPlanVerifyKey(ctlKeys.publicPem));

  const controller = await Bus.connect({ url: broker.url, clientId: 'ctl', sender: 'controller', clock, log });
  const rogue = await Bus.connect({ url: broker.url, clientId: 'rogue', sender: 'controller', clock, log });
  const agent = await Bus.connect({ url: broker.url, clientId: 'uav-1', sender: 'uav-1', clock, log });
  try {
    const verifier = new PlanVerifier(pinned);
    const acted: number[] = [];
    await agent.subscribe('plan', { uav: 1 }, (plan) => {
      const v = verifier.check(plan, clock.nowUs());
      if (v.ok) acted.push(plan.plan_seq);
      void agent.publish('ack', { uav: 1 }, v.ok
        ? { uav_id: 1, plan_seq: plan.plan_seq, accepted: true }
        : { uav_id: 1, plan_seq: plan.plan_seq, accepted: false, reason: nackReasonFor(v.reason), detail: v.detail ?? v.reason });
    });
    const acks: PlanAck[] = [];
    await controller.subscribe('ack', {}, (a) => acks.push(a));

    const topic = topicName('plan', { uav: 1 });
    const plan = (seq: number) => ({
      uav_id: 1, plan_seq: seq, slot: seq, valid_from_t_us: clock.nowUs(), expires_t_us: clock.nowUs() + 5_000_000,
      flight: { mode: FlightMode.FLIGHT_MODE_GOTO, target: { x_east_m: seq, y_north_m: 0, alt_m: 20 } },
    });
    const replayable: Uint8Array[] = [];
    for (let seq = 1; seq <= 5; seq++) {
      const signed = signedPlanBytes(controller.encodeWithHeader('plan', topic, plan(seq)), ctlKey);
      replayable.push(signed);
      await controller.publishBytes(topic, signed, 1);
      // Attacks between legitimate plans:
      await rogue.publishBytes(topic, signedPlanBytes(rogue.encodeWithHeader('plan', topic, { ...plan(100 + seq), flight: { mode: FlightMode.FLIGHT_MODE_RTL } }), rogueKey), 1); // wrong key, RTL
      await rogue.publish('plan', { uav: 1 }, { ...plan(200 + seq), flight: { mode: FlightMode.FLIGHT_MODE_LAND } }); // unsigned LAND
      await rogue.publishBytes(topic, replayable[0]!, 1); // replay of a genuine plan
      // A genuine plan with its flight target altered in transit (signature kept):
      const t = controller.encodeWithHeader('plan', topic, { ...plan(300 + seq) });
      const genuine = signedPlanBytes(t, ctlKey);
      const d = must(decodeRaw('Plan', genuine));
      await rogue.publishBytes(topic, encode('Plan', { ...d, flight: { ...d.flight!, target: { x_east_m: 9999, y_north_m: 0, alt_m: 20 } } } as never), 1);
      clock.advance(1000);
    }
    await waitUntil(() => acks.length === 25, `25 acks (got ${acks.length})`);
    assert.deepEqual(acted, [1, 2, 3, 4, 5], 'the agent acted on the controller\'s plans only, in order');
    const nacks = acks.filter((a) => !a.accepted);
    assert.equal(nacks.length, 20);
    const by = (r: number) => nacks.filter((a) => a.reason === r).length;
    assert.equal(by(NackReason.NACK_REASON_BAD_SIGNATURE), 15, 'wrong key + unsigned + tampered');
    assert.equal(by(NackReason.NACK_REASON_STALE_SEQ), 5, 'replays');
    assert.deepEqual(verifier.stats, { accepted: 5, unsigned: 5, bad_signature: 10, replay: 5, expired: 0 });
  } finally {
    await Promise.all([controller.close(), rogue.close(), agent.close()]);
    await broker.close();
  }
});
