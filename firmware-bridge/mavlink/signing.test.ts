import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MavLinkPacketSignature, MavLinkProtocolV2, MavLinkPacketSplitter, MavLinkPacketParser, minimal, common } from 'node-mavlink';
import { PassThrough } from 'node:stream';
import { ManualClock } from '../../core/clock.ts';
import { MavlinkEncoder } from './encoder.ts';
import { MavlinkDecoder } from './decoder.ts';
import { signingTimestampFromUnixUs, NEW_STREAM_MAX_LAG } from './signing.ts';

const KEY = MavLinkPacketSignature.key('uavmec test passphrase');
const OTHER = MavLinkPacketSignature.key('wrong');

function hb(): minimal.Heartbeat {
  const m = new minimal.Heartbeat();
  m.type = minimal.MavType.QUADROTOR;
  m.autopilot = minimal.MavAutopilot.PX4;
  return m;
}

function signer(clock: ManualClock, linkId = 1, sysid = 1): MavlinkEncoder {
  return new MavlinkEncoder({ sysid, compid: 1, signing: { key: KEY, linkId, clock } });
}

void test('signed frame: 34-byte heartbeat, verified by node-mavlink with the same key only', async () => {
  const clock = new ManualClock();
  const f = signer(clock).encode(hb());
  assert.equal(f.length, 34);
  assert.equal(f[2], 1);
  const src = new PassThrough();
  const parser = src.pipe(new MavLinkPacketSplitter()).pipe(new MavLinkPacketParser());
  const got: Array<{ signature: MavLinkPacketSignature | null }> = [];
  parser.on('data', (p: { signature: MavLinkPacketSignature | null }) => got.push(p));
  const end = new Promise((r) => parser.on('end', r));
  src.end(f);
  await end;
  assert.equal(got.length, 1);
  assert.equal(got[0]!.signature?.matches(KEY), true);
  assert.equal(got[0]!.signature?.matches(OTHER), false);
  assert.equal(got[0]!.signature?.timestamp, signingTimestampFromUnixUs(clock.nowUs()));
});

void test('we verify frames signed by node-mavlink (independent signer)', () => {
  const unsigned = new MavLinkProtocolV2(9, 1, MavLinkProtocolV2.IFLAG_SIGNED).serialize(hb(), 0);
  const signed = new MavLinkProtocolV2(9, 1).sign(unsigned, 4, KEY, 1_700_000_000_000);
  const [p] = new MavlinkDecoder({ signing: { key: KEY } }).push(signed);
  assert.ok(p);
  assert.equal(p.signatureVerified, true);
  assert.equal(p.linkId, 4);
  assert.equal(p.signatureTimestamp, (1_700_000_000_000 - Date.UTC(2015, 0, 1)) * 100);
});

void test('right key accepted, wrong key rejected and counted', () => {
  const clock = new ManualClock();
  const enc = signer(clock);
  const good = new MavlinkDecoder({ signing: { key: KEY } });
  const bad = new MavlinkDecoder({ signing: { key: OTHER } });
  const f = enc.encode(hb());
  assert.equal(good.push(f).length, 1);
  assert.equal(bad.push(f).length, 0);
  assert.equal(bad.stats.badSignature, 1);
});

void test('timestamps strictly increase even when the clock does not move (pitfall 5)', () => {
  const clock = new ManualClock();
  const enc = signer(clock);
  const dec = new MavlinkDecoder({ signing: { key: KEY } });
  const ts: number[] = [];
  for (let i = 0; i < 50; i++) {
    const [p] = dec.push(enc.encode(hb()));
    assert.ok(p, `packet ${i} accepted`);
    ts.push(p.signatureTimestamp!);
  }
  for (let i = 1; i < ts.length; i++) assert.equal(ts[i], ts[i - 1]! + 1);
  assert.equal(dec.stats.replay, 0);
});

void test('replayed frame rejected; the same timestamp on another link id is a separate stream', () => {
  const clock = new ManualClock();
  const dec = new MavlinkDecoder({ signing: { key: KEY } });
  const a = signer(clock, 1);
  const b = signer(clock, 2);
  const f1 = a.encode(hb());
  clock.advance(10);
  const f2 = a.encode(hb());
  assert.equal(dec.push(f1).length, 1);
  assert.equal(dec.push(f2).length, 1);
  assert.equal(dec.push(f1).length, 0, 'older timestamp');
  assert.equal(dec.push(f2).length, 0, 'equal timestamp');
  assert.equal(dec.stats.replay, 2);
  assert.equal(dec.push(b.encode(hb())).length, 1);
});

void test('a new stream more than one minute behind the newest timestamp is rejected', () => {
  const early = new ManualClock(1_700_000_000_000_000);
  const late = new ManualClock(1_700_000_000_000_000 + (NEW_STREAM_MAX_LAG * 10 + 1000));
  const dec = new MavlinkDecoder({ signing: { key: KEY } });
  assert.equal(dec.push(signer(late, 1, 1).encode(hb())).length, 1);
  assert.equal(dec.push(signer(early, 1, 2).encode(hb())).length, 0);
  assert.equal(dec.stats.staleStream, 1);
  const within = new ManualClock(1_700_000_000_000_000 + 1000);
  assert.equal(dec.push(signer(within, 1, 3).encode(hb())).length, 1);
});

void test('unsigned policy: reject, accept, or accept listed msgids only', () => {
  const plain = new MavlinkEncoder({ sysid: 1, compid: 1 });
  const h = plain.encode(hb());
  const gp = plain.encode(new common.GlobalPositionInt());
  const reject = new MavlinkDecoder({ signing: { key: KEY, unsigned: 'reject' } });
  assert.equal(reject.push(Buffer.concat([h, gp])).length, 0);
  assert.equal(reject.stats.unsignedRejected, 2);
  assert.equal(new MavlinkDecoder({ signing: { key: KEY, unsigned: 'accept' } }).push(Buffer.concat([h, gp])).length, 2);
  const listed = new MavlinkDecoder({ signing: { key: KEY, unsigned: { acceptMsgids: [0, 109] } } });
  const out = listed.push(Buffer.concat([h, gp]));
  assert.deepEqual(
    out.map((p) => p.name),
    ['HEARTBEAT'],
  );
});

void test('without a key, signed frames pass unverified', () => {
  const [p] = new MavlinkDecoder().push(signer(new ManualClock()).encode(hb()));
  assert.equal(p?.signed, true);
  assert.equal(p?.signatureVerified, false);
});
