import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { SerialPortMock } from 'serialport';
import { openTransport, openServerTransport } from './open.ts';
import { parseTransportUrl } from './url.ts';
import type { SerialPortLike } from './serial.ts';
import type { Transport } from './types.ts';

function nextData(t: Transport): Promise<Buffer> {
  return new Promise((resolve) => {
    const off = t.onData((b) => {
      off();
      resolve(b);
    });
  });
}

void test('URL parsing: accepted forms, and errors that list the schemes', () => {
  assert.deepEqual(parseTransportUrl('udp://:14550'), { ok: true, value: { scheme: 'udp', host: '0.0.0.0', port: 14550 } });
  assert.deepEqual(parseTransportUrl('udpout://127.0.0.1:14540'), { ok: true, value: { scheme: 'udpout', host: '127.0.0.1', port: 14540 } });
  assert.deepEqual(parseTransportUrl('tcp://[::1]:5760'), { ok: true, value: { scheme: 'tcp', host: '::1', port: 5760 } });
  assert.deepEqual(parseTransportUrl('serial:///dev/ttyUSB0:57600'), { ok: true, value: { scheme: 'serial', path: '/dev/ttyUSB0', baudRate: 57600 } });
  for (const bad of ['http://x:1', 'udp://host', 'udpout://:14550', 'tcp://h:99999', 'serial:///dev/ttyS0', '14550', 'udp://h:x']) {
    const r = parseTransportUrl(bad);
    assert.equal(r.ok, false, bad);
    if (!r.ok) assert.equal(r.reason, 'bad_url');
  }
  const r = parseTransportUrl('mqtt://broker:1883');
  assert.ok(!r.ok && /udp:\/\/.*tcp:\/\/.*serial:\/\//.test(r.detail ?? ''), 'lists accepted schemes');
});

void test('openTransport reports bind failures as open_failed', async () => {
  const a = await openTransport('udp://127.0.0.1:0');
  assert.ok(a.ok);
  const port = (a.value as unknown as { localPort: number }).localPort;
  const b = await openTransport(`udp://127.0.0.1:${port}`);
  assert.equal(b.ok, false);
  if (!b.ok) assert.equal(b.reason, 'open_failed');
  await a.value.close();
});

void test('udp:// answers the last peer; udpout:// sends to its fixed peer and gets replies', async () => {
  const srv = await openServerTransport('udp://127.0.0.1:0');
  assert.ok(srv.ok);
  const s = srv.value;
  const cli = await openTransport(`udpout://127.0.0.1:${s.localPort}`);
  assert.ok(cli.ok);
  const c = cli.value;
  s.send(Buffer.from('nobody yet'));
  assert.equal(s.stats().sendDropped, 1);
  const got = nextData(s);
  c.send(Buffer.from('ping'));
  assert.equal((await got).toString(), 'ping');
  const reply = nextData(c);
  s.send(Buffer.from('pong'));
  assert.equal((await reply).toString(), 'pong');
  assert.equal(s.peers().length, 1);
  await Promise.all([s.close(), c.close()]);
});

void test('udpserver:// sends to every peer heard plus fixed peers; sendTo addresses one', async () => {
  const srv = await openServerTransport('udpserver://127.0.0.1:0');
  assert.ok(srv.ok);
  const s = srv.value;
  const a = (await openTransport(`udpout://127.0.0.1:${s.localPort}`)) as { ok: true; value: Transport };
  const b = (await openTransport(`udpout://127.0.0.1:${s.localPort}`)) as { ok: true; value: Transport };
  const gcs = dgram.createSocket('udp4');
  await new Promise<void>((r) => gcs.bind(0, '127.0.0.1', r));
  s.addFixedPeer({ kind: 'udp', address: '127.0.0.1', port: gcs.address().port });
  const heardA = nextData(s);
  a.value.send(Buffer.from('a'));
  await heardA;
  const heardB = nextData(s);
  b.value.send(Buffer.from('b'));
  await heardB;
  assert.equal(s.peers().length, 3);
  const ra = nextData(a.value);
  const rb = nextData(b.value);
  const rg = new Promise<Buffer>((r) => gcs.once('message', r));
  s.send(Buffer.from('all'));
  assert.deepEqual([(await ra).toString(), (await rb).toString(), (await rg).toString()], ['all', 'all', 'all']);
  const only = nextData(b.value);
  s.sendTo(Buffer.from('just b'), s.peers()[2]!);
  assert.equal((await only).toString(), 'just b');
  gcs.close();
  await Promise.all([s.close(), a.value.close(), b.value.close()]);
});

void test('tcp:// client reconnects after the server drops it; sends while down are counted, not queued', async () => {
  const server = net.createServer();
  const sockets: net.Socket[] = [];
  server.on('connection', (s) => sockets.push(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const r = await openTransport(`tcp://127.0.0.1:${port}`, { reconnectMs: 50 });
  assert.ok(r.ok);
  const t = r.value as Transport & { waitConnected(ms: number): Promise<boolean> };
  assert.equal(await t.waitConnected(2000), true);
  const got = new Promise<Buffer>((res) => sockets[0]!.once('data', res));
  t.send(Buffer.from('hello'));
  assert.equal((await got).toString(), 'hello');
  sockets[0]!.destroy();
  await new Promise((res) => setTimeout(res, 10));
  t.send(Buffer.from('lost'));
  assert.ok(t.stats().sendDropped >= 1);
  assert.equal(await t.waitConnected(2000), true);
  assert.ok(t.stats().reconnects >= 1);
  const fromServer = nextData(t);
  sockets[1]!.write('back');
  assert.equal((await fromServer).toString(), 'back');
  await t.close();
  for (const s of sockets) s.destroy();
  await new Promise<void>((res) => server.close(() => res()));
});

void test('tcpin:// serves several clients and tells them apart', async () => {
  const r = await openServerTransport('tcpin://127.0.0.1:0');
  assert.ok(r.ok);
  const s = r.value;
  const c1 = (await openTransport(`tcp://127.0.0.1:${s.localPort}`)) as { ok: true; value: Transport & { waitConnected(ms: number): Promise<boolean> } };
  const c2 = (await openTransport(`tcp://127.0.0.1:${s.localPort}`)) as { ok: true; value: Transport & { waitConnected(ms: number): Promise<boolean> } };
  await c1.value.waitConnected(2000);
  await c2.value.waitConnected(2000);
  const from = new Promise<string>((res) => {
    const off = s.onDataFrom((b, p) => {
      off();
      res(`${b.toString()}@${p.kind}`);
    });
  });
  c2.value.send(Buffer.from('x'));
  assert.equal(await from, 'x@tcp');
  const a = nextData(c1.value);
  const b = nextData(c2.value);
  s.send(Buffer.from('both'));
  assert.deepEqual([(await a).toString(), (await b).toString()], ['both', 'both']);
  await Promise.all([c1.value.close(), c2.value.close()]);
  await s.close();
});

void test('serial:// over serialport (mock binding): open, echo round trip, missing device fails', async () => {
  SerialPortMock.binding.createPort('/dev/ttyMOCK0', { echo: true });
  const factory = (o: { path: string; baudRate: number; autoOpen: false }) => new SerialPortMock(o) as unknown as SerialPortLike;
  const r = await openTransport('serial:///dev/ttyMOCK0:57600', { serialPortFactory: factory });
  assert.ok(r.ok, r.ok ? '' : r.detail);
  const got = nextData(r.value);
  r.value.send(Buffer.from([0xfd, 1, 2]));
  assert.deepEqual([...(await got)], [0xfd, 1, 2]);
  await r.value.close();
  const missing = await openTransport('serial:///dev/ttyNOPE:57600', { serialPortFactory: factory });
  assert.equal(missing.ok, false);
  if (!missing.ok) assert.equal(missing.reason, 'open_failed');
});

/**
 * The plumbing every transport shares (base.ts), checked on each of them: counters in and out, a
 * throwing listener counted as an error without starving the others, unsubscribe, idempotent
 * close, and sends after close dropped and counted.
 */
void test('shared plumbing: counters, throwing listeners, unsubscribe, close twice, send after close', async () => {
  SerialPortMock.binding.createPort('/dev/ttyMOCK1', { echo: true });
  const serialFactory = (o: { path: string; baudRate: number; autoOpen: false }) => new SerialPortMock(o) as unknown as SerialPortLike;
  const udpS = await openServerTransport('udpserver://127.0.0.1:0');
  const tcpS = await openServerTransport('tcpin://127.0.0.1:0');
  assert.ok(udpS.ok && tcpS.ok);
  const udpC = await openTransport(`udpout://127.0.0.1:${udpS.value.localPort}`);
  const tcpC = await openTransport(`tcp://127.0.0.1:${tcpS.value.localPort}`);
  const serial = await openTransport('serial:///dev/ttyMOCK1:57600', { serialPortFactory: serialFactory });
  assert.ok(udpC.ok && tcpC.ok && serial.ok);
  assert.ok(await (tcpC.value as Transport & { waitConnected(ms: number): Promise<boolean> }).waitConnected(2000));
  // [sender, receiver] pairs; serial echoes to itself.
  const pairs: [string, Transport, Transport][] = [
    ['udp', udpC.value, udpS.value],
    ['tcp', tcpC.value, tcpS.value],
    ['serial', serial.value, serial.value],
  ];
  for (const [name, tx, rx] of pairs) {
    const errs: Error[] = [];
    const offErr = rx.onError((e) => errs.push(e));
    const offThrow = rx.onData(() => {
      throw new Error('listener bug');
    });
    const removed: Buffer[] = [];
    const offRemoved = rx.onData((b) => removed.push(b));
    offRemoved();
    const got = nextData(rx);
    const rxBefore = rx.stats();
    const txBefore = tx.stats();
    tx.send(Buffer.from([1, 2, 3, 4]));
    assert.deepEqual([...(await got)], [1, 2, 3, 4], name);
    assert.equal(removed.length, 0, `${name}: an unsubscribed listener hears nothing`);
    assert.equal(errs.length, 1, `${name}: the throwing listener is reported`);
    assert.equal(errs[0]!.message, 'listener bug');
    const rxAfter = rx.stats();
    const txAfter = tx.stats();
    assert.equal(rxAfter.errors - rxBefore.errors, 1, name);
    assert.equal(rxAfter.bytesIn - rxBefore.bytesIn, 4, name);
    assert.equal(rxAfter.chunksIn - rxBefore.chunksIn, 1, name);
    assert.equal(txAfter.bytesOut - txBefore.bytesOut, 4, name);
    assert.equal(txAfter.chunksOut - txBefore.chunksOut, 1, name);
    offThrow();
    offErr();
  }
  for (const t of [udpC.value, tcpC.value, serial.value, udpS.value, tcpS.value]) {
    await t.close();
    await t.close(); // idempotent
    const before = t.stats();
    t.send(Buffer.from([9]));
    const after = t.stats();
    assert.equal(after.sendDropped - before.sendDropped, 1, `${t.url}: a send after close is dropped and counted`);
    assert.equal(after.bytesOut, before.bytesOut, t.url);
  }
});
