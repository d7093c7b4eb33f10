import assert from 'node:assert/strict';
import { test } from 'node:test';
import protobuf from 'protobufjs';
import { createRng, type Rng } from '../../core/rng.ts';
import { PROTO_PACKAGE, protoRoot } from '../../proto/schema.ts';
import { decodePlain } from '../../proto/plain.ts';
import { referencePlain } from '../../proto/reference-decode.ts';

const reference = referencePlain;

function scalar(rng: Rng, type: string): unknown {
  switch (type) {
    case 'double':
    case 'float':
      return rng.uniform(-1e6, 1e6);
    case 'bool':
      return rng.next() < 0.5;
    case 'string':
      return rng.next() < 0.3 ? '' : `s${rng.int(0, 1e6)}`;
    case 'bytes':
      return Uint8Array.from({ length: rng.int(0, 8) }, () => rng.int(0, 255));
    case 'int64':
    case 'sint64':
    case 'sfixed64':
      return rng.int(-(2 ** 40), 2 ** 52);
    case 'uint64':
    case 'fixed64':
      return rng.next() < 0.5 ? rng.int(0, 1000) : 1_700_000_000_000_000 + rng.int(0, 1e9);
    case 'int32':
    case 'sint32':
    case 'sfixed32':
      return rng.int(-(2 ** 31), 2 ** 31 - 1);
    default:
      return rng.int(0, 2 ** 32 - 1);
  }
}

/** A random object of `type`: each field set or left unset, nested messages to depth 3. */
function randomObject(rng: Rng, type: protobuf.Type, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of type.fieldsArray) {
    f.resolve();
    if (rng.next() < 0.3) continue;
    const one = (): unknown => {
      if (f.resolvedType instanceof protobuf.Type) return depth > 0 ? randomObject(rng, f.resolvedType, depth - 1) : {};
      if (f.resolvedType instanceof protobuf.Enum) return rng.pick(Object.values(f.resolvedType.values));
      return scalar(rng, f.type);
    };
    out[f.name] = f.repeated ? Array.from({ length: rng.int(0, 3) }, one) : one();
  }
  return out;
}

function allTypes(ns: protobuf.NamespaceBase, out: protobuf.Type[] = []): protobuf.Type[] {
  for (const n of ns.nestedArray) {
    if (n instanceof protobuf.Type) out.push(n);
    if (n instanceof protobuf.Namespace || n instanceof protobuf.Type) allTypes(n, out);
  }
  return out;
}

test('decodePlain gives what protobufjs decode + toObject + null-stripping gave, for every contract message type', () => {
  const types = allTypes(protoRoot().lookup(PROTO_PACKAGE) as protobuf.Namespace);
  assert.ok(types.length >= 15, `found ${types.length} message types`);
  const rng = createRng(20);
  for (const type of types) {
    for (let i = 0; i < 60; i++) {
      const obj = randomObject(rng, type, 3);
      const bytes = type.encode(type.fromObject(obj)).finish();
      const got = decodePlain(type, i % 2 ? Uint8Array.from(bytes) : bytes);
      assert.deepStrictEqual(normaliseBytes(got), normaliseBytes(reference(type, type.decode(bytes))), `${type.name} #${i}`);
    }
  }
});

test('unset message and optional fields are absent, not null; defaults are present', () => {
  const type = protoRoot().lookupType(`${PROTO_PACKAGE}.TwinState`);
  const got = decodePlain(type, type.encode(type.fromObject({ uav_id: 3, battery_pct: 50 })).finish());
  assert.equal('position' in got, false);
  assert.equal('battery_remaining_j' in got, false);
  assert.equal(got.battery_pct, 50);
  assert.equal(got.cpu_hz_available, 0);
  assert.equal(got.plan_seq, 0);
  assert.equal(got.autopilot_mode, '');
});

/** Buffer and Uint8Array with the same bytes count as equal (protobufjs hands out Buffers in Node). */
function normaliseBytes(v: unknown): unknown {
  if (v instanceof Uint8Array) return Array.from(v);
  if (Array.isArray(v)) return v.map(normaliseBytes);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normaliseBytes(x)]));
  return v;
}

test('truncated or malformed bytes throw (the codec turns that into undecodable), as protobufjs does', () => {
  const type = protoRoot().lookupType(`${PROTO_PACKAGE}.TwinState`);
  const bytes = type.encode(type.fromObject({ header: { t_us: 1_700_000_000_000_000, seq: 5 }, uav_id: 3, plan_seq: 2 ** 40 })).finish();
  for (let cut = 1; cut < bytes.length; cut++) {
    let ours: unknown;
    let theirs: unknown;
    try { ours = decodePlain(type, bytes.subarray(0, cut)); } catch (e) { ours = e instanceof Error ? 'threw' : e; }
    try { theirs = reference(type, type.decode(bytes.subarray(0, cut))); } catch (e) { theirs = e instanceof Error ? 'threw' : e; }
    assert.deepStrictEqual(ours, theirs, `cut at ${cut}`);
  }
  assert.throws(() => decodePlain(type, Uint8Array.from([0x78, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])));
});

test('bit-flipped bytes: decodePlain throws exactly when protobufjs does and otherwise agrees with it (wrong wire types are unknown fields, nested lengths are bounds)', () => {
  const types = allTypes(protoRoot().lookup(PROTO_PACKAGE) as protobuf.Namespace);
  const rng = createRng(21);
  let decoded = 0;
  let threw = 0;
  for (const type of types) {
    for (let i = 0; i < 40; i++) {
      const bytes = Uint8Array.from(type.encode(type.fromObject(randomObject(rng, type, 2))).finish());
      if (bytes.length === 0) continue;
      for (let m = 0; m < 10; m++) {
        const b = Uint8Array.from(bytes);
        for (let k = 1 + rng.int(0, 2); k > 0; k--) b[rng.int(0, b.length - 1)]! ^= 1 << rng.int(0, 7);
        let ours: unknown;
        let theirs: unknown;
        try { ours = normaliseBytes(decodePlain(type, b)); } catch { ours = 'threw'; }
        try { theirs = normaliseBytes(reference(type, type.decode(b))); } catch { theirs = 'threw'; }
        assert.deepStrictEqual(ours, theirs, `${type.name} #${i}.${m}: ${Buffer.from(b).toString('hex')}`);
        if (ours === 'threw') threw++;
        else decoded++;
      }
    }
  }
  assert.ok(decoded > 1000 && threw > 100, `mutants decoded ${decoded}, refused ${threw}`);
});

test('every contract .proto is proto3, whose strings decodePlain verifies as UTF-8 (as protobufjs does)', async () => {
  const fs = await import('node:fs');
  const path = await import('node:path');
  const dir = path.join(import.meta.dirname, '../../proto/uavmec/v1');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.proto'));
  assert.ok(files.length > 0);
  for (const f of files) assert.match(fs.readFileSync(path.join(dir, f), 'utf8'), /^syntax = "proto3";$/m, `${f} must be proto3`);
  const type = protoRoot().lookupType(`${PROTO_PACKAGE}.Header`);
  const good = type.encode(type.fromObject({ version: 1, sender: 'uav-ü' })).finish();
  // 'uav-ü' is 6 bytes; the last two (0xC3 0xBC) become a lone continuation byte (invalid UTF-8).
  const bad = Uint8Array.from(good);
  bad[bad.indexOf(0xc3)] = 0xbc;
  assert.equal(decodePlain(type, good).sender, 'uav-ü');
  assert.throws(() => type.decode(bad), 'protobufjs refuses invalid UTF-8 in a proto3 string');
  assert.throws(() => decodePlain(type, bad));
});
