import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MavLinkPacketParser, MavLinkPacketSplitter, MavLinkProtocolV1, MavLinkProtocolV2, minimal, common } from 'node-mavlink';
import type { MavLinkData } from 'node-mavlink';
import { PassThrough } from 'node:stream';
import { createRng } from '../../core/rng.ts';
import type { Rng } from '../../core/rng.ts';
import { MavlinkEncoder } from './encoder.ts';
import { MavlinkDecoder } from './decoder.ts';
import { REGISTRY, ProtocolVersion, crcExtraOf } from './registry.ts';
import type { MessageClass } from './registry.ts';
import { computeCrcExtra } from './crc.ts';
import { MavlinkEncodeError } from './fields.ts';

function guidedHeartbeat(): MavLinkData {
  const hb = new minimal.Heartbeat();
  hb.type = minimal.MavType.QUADROTOR;
  hb.autopilot = minimal.MavAutopilot.ARDUPILOTMEGA;
  hb.baseMode = 0x99 as minimal.MavModeFlag;
  hb.customMode = 4;
  hb.systemStatus = minimal.MavState.ACTIVE;
  return hb;
}

void test('armed ArduCopter GUIDED heartbeat serialises to the verified bytes (MAVLINK.md §8)', () => {
  const enc = new MavlinkEncoder({ sysid: 1, compid: 1 });
  assert.equal(enc.encode(guidedHeartbeat()).toString('hex'), 'fd0900000001010000000400000002039904037a70');
});

void test('sequence numbers are per encoder and wrap at 256', () => {
  const a = new MavlinkEncoder({ sysid: 1, compid: 1 });
  const b = new MavlinkEncoder({ sysid: 2, compid: 1 });
  for (let i = 0; i < 300; i++) {
    const f = a.encode(guidedHeartbeat());
    assert.equal(f[4], i % 256);
  }
  assert.equal(b.encode(guidedHeartbeat())[4], 0);
});

void test('all-zero payload keeps its first byte (pitfall 4) and decodes', () => {
  const enc = new MavlinkEncoder({ sysid: 255, compid: 190 });
  const m = new common.ParamRequestList();
  m.targetSystem = 0;
  m.targetComponent = 0;
  const f = enc.encode(m);
  assert.equal(f[1], 1);
  assert.equal(f.length, 10 + 1 + 2);
  const [p] = new MavlinkDecoder().push(f);
  assert.equal(p?.name, 'PARAM_REQUEST_LIST');
});

void test('CRC_EXTRA recomputed from every registered definition equals the class MAGIC_NUMBER', () => {
  const classes = Object.values(REGISTRY) as MessageClass[];
  assert.ok(classes.length > 250);
  for (const c of classes) {
    const fields = c.FIELDS.filter((f) => !f.extension).map((f) => ({
      type: f.type.replace('_mavlink_version', '').replace('[]', ''),
      name: f.source,
      arrayLength: f.length || undefined,
    }));
    assert.equal(computeCrcExtra(c.MSG_NAME, fields), c.MAGIC_NUMBER, c.MSG_NAME);
  }
  assert.equal(crcExtraOf(0), 50);
  assert.equal(crcExtraOf(300), 217);
  assert.equal(ProtocolVersion.PAYLOAD_LENGTH, 22);
});

/** A random, exactly representable value for every field of `c`. */
function randomMessage(c: MessageClass, rng: Rng): MavLinkData {
  const m = new c() as unknown as Record<string, unknown>;
  const scalar = (t: string): unknown => {
    const u = rng.next();
    switch (t) {
      case 'int8_t':
        return Math.floor(u * 256) - 128;
      case 'uint8_t':
        return Math.floor(u * 256);
      case 'int16_t':
        return Math.floor(u * 65536) - 32768;
      case 'uint16_t':
        return Math.floor(u * 65536);
      case 'int32_t':
        return Math.floor(u * 2 ** 32) - 2 ** 31;
      case 'uint32_t':
        return Math.floor(u * 2 ** 32);
      case 'int64_t':
        return BigInt(Math.floor(u * 2 ** 52)) - (1n << 51n);
      case 'uint64_t':
        return BigInt(Math.floor(u * 2 ** 52)) << 10n;
      case 'float':
        return Math.fround((u - 0.5) * 1e4);
      case 'double':
        return (u - 0.5) * 1e9;
      case 'char':
        return String.fromCharCode(65 + Math.floor(u * 26));
      default:
        return 3;
    }
  };
  for (const f of c.FIELDS) {
    if (f.type === 'char[]') {
      const n = Math.floor(rng.next() * (f.length + 1));
      m[f.name] = Array.from({ length: n }, () => String.fromCharCode(33 + Math.floor(rng.next() * 90))).join('');
    } else if (f.type.endsWith('[]')) m[f.name] = Array.from({ length: f.length }, () => scalar(f.type.slice(0, -2)));
    else m[f.name] = f.type === 'uint8_t_mavlink_version' ? 3 : scalar(f.type);
  }
  return m as unknown as MavLinkData;
}

void test('every registered message round-trips encoder → decoder with random field values', () => {
  const rng = createRng(42);
  const enc = new MavlinkEncoder({ sysid: 7, compid: 191 });
  const dec = new MavlinkDecoder();
  for (const c of Object.values(REGISTRY) as MessageClass[]) {
    for (let k = 0; k < 3; k++) {
      const m = randomMessage(c, rng);
      const pkts = dec.push(enc.encode(m));
      assert.equal(pkts.length, 1, c.MSG_NAME);
      const p = pkts[0]!;
      assert.equal(p.msgid, c.MSG_ID);
      assert.equal(p.sysid, 7);
      assert.equal(p.compid, 191);
      for (const f of c.FIELDS) {
        const got = (p.message as unknown as Record<string, unknown>)[f.name];
        assert.deepEqual(got, (m as unknown as Record<string, unknown>)[f.name], `${c.MSG_NAME}.${f.name}`);
      }
    }
  }
  assert.equal(dec.stats.badCrc, 0);
});

async function parseWithNodeMavlink(bytes: Buffer): Promise<Array<{ msgid: number; seq: number; payloadHex: string }>> {
  const src = new PassThrough();
  const out: Array<{ msgid: number; seq: number; payloadHex: string }> = [];
  const parser = src.pipe(new MavLinkPacketSplitter()).pipe(new MavLinkPacketParser());
  parser.on('data', (p: { header: { msgid: number; seq: number }; payload: Buffer }) =>
    out.push({ msgid: p.header.msgid, seq: p.header.seq, payloadHex: p.payload.toString('hex') }),
  );
  const done = new Promise((r) => parser.on('end', r));
  src.end(bytes);
  await done;
  return out;
}

void test('node-mavlink (independent parser) accepts our frames, including PROTOCOL_VERSION', async () => {
  const rng = createRng(7);
  const enc = new MavlinkEncoder({ sysid: 1, compid: 1 });
  const classes = [minimal.Heartbeat, common.GlobalPositionInt, common.SetPositionTargetLocalNed, common.CommandLong, ProtocolVersion] as unknown as MessageClass[];
  const frames = classes.map((c) => enc.encode(randomMessage(c, rng)));
  const parsed = await parseWithNodeMavlink(Buffer.concat(frames));
  assert.deepEqual(
    parsed.map((p) => p.msgid),
    classes.map((c) => c.MSG_ID),
  );
  assert.deepEqual(
    parsed.map((p) => p.seq),
    [0, 1, 2, 3, 4],
  );
});

void test('decodes node-mavlink v1 and v2 frames (independent serialiser)', () => {
  const hb = guidedHeartbeat();
  const v1 = new MavLinkProtocolV1(3, 1).serialize(hb, 9);
  const gp = new common.GlobalPositionInt();
  gp.lat = 473977418;
  gp.lon = 85455939;
  gp.relativeAlt = 12_345;
  gp.hdg = 9000;
  const v2 = new MavLinkProtocolV2(4, 1).serialize(gp, 200);
  const pkts = new MavlinkDecoder().push(Buffer.concat([v1, v2]));
  assert.equal(pkts.length, 2);
  assert.equal(pkts[0]!.protocol, 1);
  assert.equal(pkts[0]!.sysid, 3);
  assert.equal(pkts[0]!.seq, 9);
  assert.equal((pkts[0]!.message as minimal.Heartbeat).customMode, 4);
  assert.equal(pkts[1]!.protocol, 2);
  assert.equal((pkts[1]!.message as common.GlobalPositionInt).lat, 473977418);
  assert.equal((pkts[1]!.message as common.GlobalPositionInt).hdg, 9000);
});

void test('stream chunks split anywhere, with junk before and between frames', () => {
  const rng = createRng(3);
  const enc = new MavlinkEncoder({ sysid: 1, compid: 1 });
  const msgs = Array.from({ length: 200 }, () =>
    randomMessage((rng.next() < 0.5 ? common.Attitude : common.LocalPositionNed) as unknown as MessageClass, rng),
  );
  const parts: Buffer[] = [Buffer.from([0x00, 0xfd, 0x03, 0xfe, 0x55])];
  for (const m of msgs) {
    parts.push(enc.encode(m));
    if (rng.next() < 0.2) parts.push(Buffer.from([0x11, 0x22]));
  }
  const all = Buffer.concat(parts);
  for (const maxChunk of [1, 7, 64, 1000]) {
    const dec = new MavlinkDecoder();
    const got: number[] = [];
    for (let i = 0; i < all.length; ) {
      const n = 1 + Math.floor(rng.next() * maxChunk);
      for (const p of dec.push(all.subarray(i, i + n))) got.push(p.seq);
      i += n;
    }
    assert.equal(got.length, 200, `chunk ${maxChunk}`);
    assert.deepEqual(got, msgs.map((_, i) => i % 256));
  }
});

void test('pushDatagram discards an incomplete tail so the next datagram is not delayed', () => {
  const enc = new MavlinkEncoder({ sysid: 1, compid: 1 });
  const f = enc.encode(guidedHeartbeat());
  const dec = new MavlinkDecoder();
  assert.equal(dec.pushDatagram(f.subarray(0, 12)).length, 0);
  assert.equal(dec.pending, 0);
  assert.equal(dec.stats.truncated, 1);
  assert.equal(dec.pushDatagram(enc.encode(guidedHeartbeat())).length, 1);
});

void test('bad CRC dropped and counted; unknown msgid dropped unless emit', () => {
  const enc = new MavlinkEncoder({ sysid: 1, compid: 1 });
  const f = enc.encode(guidedHeartbeat());
  f[12] = f[12]! ^ 0x01;
  const dec = new MavlinkDecoder();
  assert.equal(dec.push(f).length, 0);
  assert.equal(dec.stats.badCrc, 1);
  // a frame with msgid 0xABCDE (in no dialect)
  const u = Buffer.from([0xfd, 2, 0, 0, 5, 1, 1, 0xde, 0xbc, 0x0a, 7, 8, 0x34, 0x12]);
  assert.equal(new MavlinkDecoder().push(u).length, 0);
  const emitted = new MavlinkDecoder({ unknownMessages: 'emit' }).push(u);
  assert.equal(emitted.length, 1);
  assert.equal(emitted[0]!.msgid, 0x0abcde);
  assert.equal(emitted[0]!.crcChecked, false);
  assert.equal(emitted[0]!.message, undefined);
});

void test('encoding a value that does not fit its type is a typed error, and tryEncode a Result', () => {
  const enc = new MavlinkEncoder({ sysid: 1, compid: 1 });
  const m = new common.GlobalPositionInt();
  m.lat = 1.5;
  assert.throws(() => enc.encode(m), MavlinkEncodeError);
  const r = enc.tryEncode(m);
  assert.equal(r.ok, false);
  assert.equal(enc.nextSeq, 0, 'a failed encode does not consume a sequence number');
});

void test('default-constructed messages encode byte-identically to node-mavlink when no truncation edge applies', () => {
  const enc = new MavlinkEncoder({ sysid: 1, compid: 1 });
  const sp = new common.SetPositionTargetLocalNed();
  sp.x = 12.5;
  sp.yawRate = 0.25;
  const cl = new common.CommandLong();
  cl.command = common.MavCmd.COMPONENT_ARM_DISARM;
  cl.targetSystem = 1;
  cl.targetComponent = 1;
  for (const [seq, m] of [[0, sp], [1, cl]] as const) {
    assert.equal(enc.encode(m).toString('hex'), new MavLinkProtocolV2(1, 1).serialize(m, seq).toString('hex'));
  }
});
