/**
 * MAVLink 2 signing between the agent's bridge and the SITL (issue 9 §3), over real UDP loopback:
 * the key is provisioned by SETUP_SIGNING over the direct link, then the bridge flies the vehicle
 * signed; a bridge without the key, or with another, gets nowhere; SETUP_SIGNING from a link that
 * is not direct, or unsigned once signing is on, is refused. Assertions on vehicle state.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, type VirtualClock } from '../../core/clock.ts';
import { MavlinkEncoder, type DecodedPacket } from '../../firmware-bridge/mavlink/index.ts';
import { openTransport } from '../../firmware-bridge/transport/index.ts';
import { MavlinkVehicle } from '../../firmware-bridge/bridge/mavlink-vehicle.ts';
import { lockstepClock, untilClock } from '../../firmware-bridge/bridge/test-autopilot.ts';
import { provisionMavlinkSigning, setupSigningMessage } from '../../apps/security/mavlink-signing.ts';
import { startSitl } from './fleet.ts';
import { decideSetupSigning, isLoopback, SitlSigning } from './server/signing.ts';
import { GcsClient } from './server/gcs-client.ts';

const HOME = { latDeg: 47.397742, lonDeg: 8.545594, altAmslM: 488 };
const KEY = Buffer.alloc(32, 0x3c);
const OTHER = Buffer.alloc(32, 0x77);

async function vehicle(url: string, clock: VirtualClock, key?: Buffer): Promise<MavlinkVehicle> {
  const t = await clock.activity.during(openTransport(url, { clock }));
  assert.ok(t.ok);
  return new MavlinkVehicle(t.value, clock, { commandTimeoutMs: 500, commandAttempts: 2, ...(key ? { signing: { key } } : {}) });
}

void test('SETUP_SIGNING decisions: direct link only, own sysid, re-key only when signed, zero key disables', () => {
  const peer = { kind: 'udp' as const, address: '127.0.0.1', port: 5000 };
  const radio = { kind: 'udp' as const, address: '10.0.0.7', port: 5000 };
  const m = { targetSystem: 1, targetComponent: 1, secretKey: [...KEY], initialTimestamp: 5n };
  const base = { sysid: 1, peer, signedWithCurrentKey: false, signingOn: false };
  assert.deepEqual(decideSetupSigning(m, base), { action: 'enable', key: KEY, initialTimestamp: 5 });
  assert.equal(decideSetupSigning(m, { ...base, peer: radio }).action, 'refuse');
  assert.equal(decideSetupSigning(m, { ...base, peer: undefined }).action, 'refuse');
  assert.equal(decideSetupSigning(m, { ...base, peer: radio, allowSetup: () => true }).action, 'enable');
  assert.equal(decideSetupSigning({ ...m, targetSystem: 2 }, base).action, 'ignore');
  assert.equal(decideSetupSigning({ ...m, targetComponent: 191 }, base).action, 'ignore');
  assert.equal(decideSetupSigning(m, { ...base, signingOn: true }).action, 'refuse');
  assert.equal(decideSetupSigning(m, { ...base, signingOn: true, signedWithCurrentKey: true }).action, 'enable');
  const zero = { ...m, secretKey: new Array<number>(32).fill(0), initialTimestamp: 0n };
  assert.equal(decideSetupSigning(zero, base).action, 'disable');
  assert.equal(decideSetupSigning({ ...zero, initialTimestamp: 9n }, base).action, 'refuse');
  for (const a of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) assert.ok(isLoopback(a), a);
  for (const a of ['10.0.0.1', '0.0.0.0', '::', '128.0.0.1', '::ffff:10.0.0.1']) assert.ok(!isLoopback(a), a);
});

void test('SitlSigning: enable switches the encoder to signed frames and the decoder to signed-only', () => {
  const clock = new ManualClock(1_700_000_000_000_000);
  const enc = new MavlinkEncoder({ sysid: 1, compid: 1 });
  const said: string[] = [];
  const s = new SitlSigning(1, enc, clock, {}, (_sev, t) => said.push(t));
  const peerEnc = new MavlinkEncoder({ sysid: 255, compid: 190 });
  const setup = peerEnc.encode(setupSigningMessage(1, KEY, 100));
  const [pkt] = s.decoder.pushDatagram(setup);
  assert.equal(s.onSetupSigning(pkt as DecodedPacket, { kind: 'udp', address: '127.0.0.1', port: 1 }), 'enable');
  assert.ok(s.enabled);
  assert.deepEqual(said, ['Signing enabled']);
  assert.equal(enc.encode(setupSigningMessage(2, undefined, 0))[2]! & 1, 1, 'outgoing frames are signed');
  assert.equal(s.decoder.pushDatagram(peerEnc.encode(setupSigningMessage(1, OTHER, 0))).length, 0, 'unsigned re-key dropped');
  const signedPeer = new MavlinkEncoder({ sysid: 255, compid: 190, signing: { key: KEY, linkId: 1, clock } });
  const [off] = s.decoder.pushDatagram(signedPeer.encode(setupSigningMessage(1, undefined, 0)));
  assert.equal(s.onSetupSigning(off as DecodedPacket, { kind: 'udp', address: '127.0.0.1', port: 1 }), 'disable');
  assert.ok(!s.enabled);
});

void test('bridge ↔ SITL: key provisioned over the direct link, signed flight works, keyless and wrong-key bridges do not', async () => {
  const { clock, held, stop } = lockstepClock();
  const fleet = await held(startSitl({ vehicles: 1, flavour: 'ardupilot', clock, home: HOME, basePort: 0 }));
  const v = fleet.vehicles[0]!;
  const opened: MavlinkVehicle[] = [];
  try {
    const prov = await provisionMavlinkSigning({ url: v.url, targetSysid: 1, key: KEY, clock, timeoutMs: 20_000 });
    assert.ok(prov.ok, prov.ok ? '' : prov.detail);
    assert.equal(v.stats().signingEnabled, true);
    assert.equal(v.stats().signingSetups, 1);

    // Unsigned re-key from the same direct link: dropped (not signed with the current key).
    const again = await provisionMavlinkSigning({ url: v.url, targetSysid: 1, key: OTHER, clock, timeoutMs: 3000 });
    assert.equal(again.ok, false);

    const keyless = await vehicle(v.url, clock);
    const wrong = await vehicle(v.url, clock, OTHER);
    const good = await vehicle(v.url, clock, KEY);
    opened.push(keyless, wrong, good);
    const c = await good.waitConnected(10_000);
    assert.ok(c.ok, 'signed bridge connects');
    assert.equal((await keyless.waitConnected(1500)).ok, true, 'a keyless bridge still hears heartbeats (unsigned acceptance is its local policy)…');
    assert.equal((await keyless.arm()).ok, false, '…but its commands are dropped by the vehicle');
    assert.equal(v.truth().armed, false);
    assert.equal((await wrong.waitConnected(1500)).ok, false, 'a wrong-key bridge rejects every frame');

    assert.ok((await good.setGuided()).ok, 'GUIDED');
    assert.ok((await good.arm()).ok, 'arm');
    assert.ok((await good.takeoff(5)).ok, 'takeoff');
    await untilClock(clock, () => (good.state().global?.relAltM ?? 0) > 4.5, 'climb to 5 m', 30_000);
    assert.ok(v.truth().global.relAltM > 4.5);
  } finally {
    for (const x of opened) await x.close();
    await fleet.stop();
    await stop();
  }
});

void test('SETUP_SIGNING from a link that is not direct is refused and reported', async () => {
  const { clock, held, stop } = lockstepClock();
  const fleet = await held(startSitl({ vehicles: 1, flavour: 'px4', clock, home: HOME, basePort: 0, signing: { allowSetup: () => false } }));
  const v = fleet.vehicles[0]!;
  const gcs = await GcsClient.connect(v.port, { clock });
  try {
    const warn = gcs.waitMsg<{ text: string }>(253, (m) => m.text.includes('not a direct link'), 10_000);
    gcs.send(setupSigningMessage(1, KEY, 0));
    assert.ok(await warn, 'STATUSTEXT warning');
    assert.equal(v.stats().signingRefused, 1);
    assert.equal(v.stats().signingEnabled, false);
  } finally {
    await gcs.close();
    await fleet.stop();
    await stop();
  }
});
