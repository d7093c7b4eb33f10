import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { MavLinkTLogPacketSplitter, common, minimal } from 'node-mavlink';
import { MavlinkEncoder } from '../mavlink/encoder.ts';
import { TlogWriter, MemoryTlog } from './writer.ts';
import { readTlogFile } from './reader.ts';
import { encodeTlogRecord } from './format.ts';
import { createRng } from '../../core/rng.ts';

const T0 = 1_700_000_000_000_000;

function frames(n: number): Buffer[] {
  const enc = new MavlinkEncoder({ sysid: 1, compid: 1 });
  const out: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    if (i % 2) {
      const gp = new common.GlobalPositionInt();
      gp.lat = 473977418 + i;
      gp.timeBootMs = i;
      out.push(enc.encode(gp));
    } else {
      const hb = new minimal.Heartbeat();
      hb.customMode = i;
      out.push(enc.encode(hb));
    }
  }
  return out;
}

async function* chunked(buf: Buffer, seed: number): AsyncGenerator<Buffer> {
  const rng = createRng(seed);
  for (let i = 0; i < buf.length; ) {
    const n = rng.int(1, 50);
    yield buf.subarray(i, i + n);
    i += n;
  }
}

void test('file round trip: writer → reader gives the same frames and timestamps', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tlog-'));
  try {
    const path = join(dir, 'a.tlog');
    const w = new TlogWriter(path);
    const fs = frames(100);
    fs.forEach((f, i) => w.write(T0 + i * 1000, f));
    await w.close();
    const { records, summary } = await readTlogFile(path);
    assert.equal(records.length, 100);
    assert.deepEqual(summary, { records: 100, unknownMsgid: 0, skippedBytes: 0, skipRuns: 0, truncatedTailBytes: 0 });
    records.forEach((r, i) => {
      assert.equal(r.tUs, T0 + i * 1000);
      assert.deepEqual(r.packet.raw, fs[i]);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('node-mavlink reads our tlog (independent reader)', async () => {
  const mem = new MemoryTlog();
  frames(10).forEach((f, i) => mem.write(T0 + i * 1000, f));
  const src = new PassThrough();
  const split = src.pipe(new MavLinkTLogPacketSplitter());
  const n = await new Promise<number>((res) => {
    let k = 0;
    split.on('data', () => k++);
    split.on('end', () => res(k));
    src.end(mem.toBuffer());
  });
  assert.equal(n, 10);
});

void test('unknown msgids, junk between records and a truncated tail are reported, not fatal', async () => {
  const fs = frames(6);
  // A frame with msgid 0xABCDE (no dialect defines it): CRC unknown, structure consistent.
  const unknown = Buffer.from([0xfd, 2, 0, 0, 5, 1, 1, 0xde, 0xbc, 0x0a, 7, 8, 0x34, 0x12]);
  const corrupted = Buffer.from(fs[3]!);
  corrupted[12]! ^= 0xff;
  const parts = [
    encodeTlogRecord(T0, fs[0]!),
    encodeTlogRecord(T0 + 1, unknown),
    encodeTlogRecord(T0 + 2, fs[1]!),
    Buffer.from('garbage!'),
    encodeTlogRecord(T0 + 3, fs[2]!),
    encodeTlogRecord(T0 + 4, corrupted),
    encodeTlogRecord(T0 + 5, fs[4]!),
    encodeTlogRecord(T0 + 6, unknown),
    encodeTlogRecord(T0 + 7, fs[5]!).subarray(0, 15),
  ];
  const all = Buffer.concat(parts);
  for (const seed of [1, 2, 3]) {
    const { records, summary } = await readTlogFile(chunked(all, seed));
    assert.deepEqual(
      records.map((r) => r.tUs - T0),
      [0, 1, 2, 3, 5, 6],
    );
    assert.equal(records[1]!.packet.message, undefined);
    assert.equal(summary.unknownMsgid, 2);
    assert.equal(summary.skipRuns, 2);
    assert.equal(summary.skippedBytes, 8 + 8 + corrupted.length);
    assert.equal(summary.truncatedTailBytes, 15);
  }
});

void test('an empty or all-junk file yields no records', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tlog-'));
  try {
    writeFileSync(join(dir, 'e.tlog'), Buffer.alloc(0));
    assert.equal((await readTlogFile(join(dir, 'e.tlog'))).records.length, 0);
    const junk = Buffer.alloc(500, 0xfd);
    const { records, summary } = await readTlogFile(chunked(junk, 9));
    assert.equal(records.length, 0);
    assert.equal(summary.skippedBytes + summary.truncatedTailBytes, 500);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
