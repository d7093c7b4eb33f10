import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, appendFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openOutbox, type Outbox, type OutboxLimits } from './outbox.ts';
import { createRng } from '../../../core/rng.ts';

const te = new TextEncoder();
const td = new TextDecoder();
const tmp = () => mkdtempSync(join(tmpdir(), 'outbox-'));
async function open(dir: string, lim: OutboxLimits = { maxMessages: 1000, maxBytes: 1 << 20 }): Promise<Outbox> {
  const r = await openOutbox(dir, lim);
  assert.ok(r.ok, r.ok ? '' : r.detail);
  return r.value;
}
const texts = (o: Outbox) => o.peek().map((m) => td.decode(m.payload));

void test('invalid limits are refused', async () => {
  const r = await openOutbox(tmp(), { maxMessages: 0, maxBytes: 10 });
  assert.equal(r.ok, false);
});

void test('order preserved across restart; acks are durable', async () => {
  const dir = tmp();
  let o = await open(dir);
  for (let i = 0; i < 10; i++) assert.ok((await o.append(`t/${i}`, te.encode(`m${i}`))).ok);
  await o.ack(o.peek()[2]!.seq);
  assert.deepEqual(texts(o), ['m3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9']);
  await o.close();
  o = await open(dir);
  assert.deepEqual(texts(o), ['m3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9']);
  assert.equal(o.peek()[0]!.topic, 't/3');
  // New messages continue after the old ones with larger seqs.
  const r = await o.append('t/x', te.encode('m10'));
  assert.ok(r.ok && r.value.seq === 10);
  await o.close();
  rmSync(dir, { recursive: true });
});

void test('restart in the middle of a drain delivers the rest in order, each exactly once when acked', async () => {
  const dir = tmp();
  let o = await open(dir);
  for (let i = 0; i < 20; i++) await o.append('tele', te.encode(`m${i}`), i % 3 === 0 ? 'completion' : 'telemetry');
  const got: string[] = [];
  // Broker drops after 7 messages.
  const n = await o.drain(async (m) => {
    if (got.length === 7) return false;
    got.push(td.decode(m.payload));
    return true;
  });
  assert.equal(n, 7);
  // "Crash": abandon without close, reopen.
  o = await open(dir);
  await o.drain(async (m) => {
    got.push(td.decode(m.payload));
    return true;
  });
  assert.deepEqual(got, Array.from({ length: 20 }, (_, i) => `m${i}`));
  assert.equal(o.stats().messages, 0);
  await o.close();
  o = await open(dir);
  assert.equal(o.stats().messages, 0);
  await o.close();
  rmSync(dir, { recursive: true });
});

void test('bound: oldest telemetry dropped first, completions never, drops counted and durable', async () => {
  const dir = tmp();
  let o = await open(dir, { maxMessages: 5, maxBytes: 1 << 20 });
  await o.append('done', te.encode('c0'), 'completion');
  for (let i = 0; i < 8; i++) await o.append('tele', te.encode(`t${i}`));
  assert.deepEqual(texts(o), ['c0', 't4', 't5', 't6', 't7']);
  assert.equal(o.stats().dropped, 4);
  await o.append('done', te.encode('c1'), 'completion');
  assert.deepEqual(texts(o), ['c0', 't5', 't6', 't7', 'c1']);
  await o.close();
  o = await open(dir, { maxMessages: 5, maxBytes: 1 << 20 });
  assert.deepEqual(texts(o), ['c0', 't5', 't6', 't7', 'c1']);
  assert.equal(o.stats().dropped, 5);
  await o.close();
  rmSync(dir, { recursive: true });
});

void test('only completions left: new telemetry is dropped; completions accepted up to hardMaxBytes, then full', async () => {
  const dir = tmp();
  const o = await open(dir, { maxMessages: 100, maxBytes: 100, hardMaxBytes: 150 });
  for (let i = 0; i < 4; i++) assert.ok((await o.append('c', new Uint8Array(24), 'completion')).ok); // 25 B each
  const t = await o.append('t', new Uint8Array(10));
  assert.ok(t.ok && t.value.seq === -1);
  assert.equal(o.stats().dropped, 1);
  assert.ok((await o.append('c', new Uint8Array(24), 'completion')).ok); // 125 B > soft, ≤ hard
  assert.ok((await o.append('c', new Uint8Array(24), 'completion')).ok); // 150
  const full = await o.append('c', new Uint8Array(24), 'completion');
  assert.equal(full.ok, false);
  assert.equal(!full.ok && full.reason, 'full');
  assert.equal(o.stats().messages, 6);
  const big = await o.append('c', new Uint8Array(200), 'completion');
  assert.equal(!big.ok && big.reason, 'too_large');
  await o.close();
  rmSync(dir, { recursive: true });
});

void test('bytes bound respected under a random workload (seeded)', async () => {
  const dir = tmp();
  const rng = createRng(66);
  const lim = { maxMessages: 50, maxBytes: 2000, hardMaxBytes: 4000, segmentBytes: 1024, fsync: false };
  const o = await open(dir, lim);
  const sent: number[] = [];
  for (let i = 0; i < 600; i++) {
    const cls = rng.next() < 0.1 ? 'completion' : 'telemetry';
    const r = await o.append('x', new Uint8Array(rng.int(1, 120)), cls);
    if (r.ok && r.value.seq >= 0) sent.push(r.value.seq);
    const s = o.stats();
    const completions = o.peek().filter((m) => m.cls === 'completion');
    assert.ok(s.messages <= lim.maxMessages || completions.length === s.messages);
    assert.ok(s.bytes <= lim.hardMaxBytes);
    if (completions.length === 0) assert.ok(s.bytes <= lim.maxBytes);
    if (rng.next() < 0.05) await o.drain(async () => rng.next() < 0.8);
    // Disk stays bounded by compaction even though telemetry is dropped continually.
    assert.ok(s.diskBytes <= 2 * lim.hardMaxBytes + 2 * lim.segmentBytes + 200, `disk ${s.diskBytes}`);
  }
  const seqs = o.peek().map((m) => m.seq);
  assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
  const before = o.peek().map((m) => m.seq);
  await o.close();
  const o2 = await open(dir, lim);
  assert.deepEqual(o2.peek().map((m) => m.seq), before);
  await o2.close();
  rmSync(dir, { recursive: true });
});

void test('corrupted tail tolerated: torn record cut, bit-flip detected, appends continue in order', async () => {
  const dir = tmp();
  let o = await open(dir);
  for (let i = 0; i < 5; i++) await o.append('t', te.encode(`m${i}`));
  await o.close();
  const seg = readdirSync(dir).filter((f) => f.startsWith('seg-')).sort().at(-1)!;
  const path = join(dir, seg);
  // Torn write: half a record at the end.
  appendFileSync(path, Buffer.from([0x58, 0x42, 1, 0, 9, 0, 0]));
  o = await open(dir);
  assert.deepEqual(texts(o), ['m0', 'm1', 'm2', 'm3', 'm4']);
  assert.equal(o.stats().corrupt, 1);
  await o.append('t', te.encode('m5'));
  await o.close();
  // Bit flip inside the last record's payload.
  const buf = readFileSync(path);
  buf[buf.length - 1]! ^= 0x01;
  writeFileSync(path, buf);
  o = await open(dir);
  assert.deepEqual(texts(o), ['m0', 'm1', 'm2', 'm3', 'm4']);
  await o.append('t', te.encode('m6'));
  await o.close();
  o = await open(dir);
  assert.deepEqual(texts(o), ['m0', 'm1', 'm2', 'm3', 'm4', 'm6']);
  assert.equal(o.stats().corrupt, 0);
  assert.ok(statSync(path).size > 0);
  await o.close();
  rmSync(dir, { recursive: true });
});

void test('segments rotate and delivered ones are deleted', async () => {
  const dir = tmp();
  const o = await open(dir, { maxMessages: 1000, maxBytes: 1 << 20, segmentBytes: 200, fsync: false });
  for (let i = 0; i < 40; i++) await o.append('t', new Uint8Array(30));
  const segs = () => readdirSync(dir).filter((f) => f.startsWith('seg-')).length;
  assert.ok(segs() > 5, `${segs()} segments`);
  await o.drain(async () => true);
  assert.equal(segs(), 1);
  await o.close();
  rmSync(dir, { recursive: true });
});
