/**
 * Issue 14 §4: every bad URL, unreachable port or taken port is one line saying what to do and a
 * non-zero exit, never a stack trace — for each command that connects or listens.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startEmbeddedBroker } from '../../apps/common/broker.ts';
import { explainStartError, withAdvice } from '../../apps/cli/start-errors.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function run(args: string[]): Promise<{ code: number | null; lines: string[]; out: string }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/uavmec.mjs'), ...args], { env: { ...process.env, LOG_LEVEL: 'silent' } });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  return { code, out, lines: out.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('{') && !l.startsWith('·')) };
}

function expectLine(r: { code: number | null; lines: string[]; out: string }, code: number, re: RegExp): void {
  assert.equal(r.code, code, r.out);
  assert.match(r.lines[0] ?? '', re);
  assert.doesNotMatch(r.out, /^\s+at .*\(.*:\d+:\d+\)$/m, `no stack trace:\n${r.out}`);
  assert.equal(r.lines.length, 1, `one line:\n${r.out}`);
  if (code === 2) assert.match(r.lines[0] ?? '', /\(see 'uavmec \w+ --help'\)$/, 'a usage error points at --help');
}

void test('bad URLs, refused and taken ports across the commands: one line, non-zero exit, no stack', { timeout: 120_000 }, async () => {
  const broker = await startEmbeddedBroker();
  const udp = dgram.createSocket('udp4');
  await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
  const udpPort = udp.address().port;
  try {
    expectLine(await run(['controller', '--broker', 'foo']), 2, /^uavmec controller: --broker: 'foo' is not a URL: give mqtt:\/\/host:port/);
    expectLine(await run(['controller', '--broker', 'mqtt://127.0.0.1:1']), 1, /^uavmec controller: cannot connect to the MQTT broker at mqtt:\/\/127\.0\.0\.1:1: connection refused at 127\.0\.0\.1:1: is the service running there/);
    expectLine(await run(['world', '--broker', 'http://x:1883']), 2, /^uavmec world: --broker: broker URL must start with mqtt:\/\/ or mqtts:\/\//);
    expectLine(await run(['world', '--broker', 'mqtt://no-such-host.invalid:1883']), 1, /^uavmec world: .*(cannot resolve host 'no-such-host\.invalid'|no-such-host\.invalid)/);
    expectLine(await run(['broker', '--port', String(broker.port)]), 1, new RegExp(`^uavmec broker: address 127\\.0\\.0\\.1:${broker.port} is already in use: stop the process holding it`));
    expectLine(await run(['sitl', '--base-port', String(udpPort)]), 1, new RegExp(`^uavmec sitl: vehicle 1: .*EADDRINUSE 127\\.0\\.0\\.1:${udpPort}: stop the process holding that port or choose another one`));
    expectLine(await run(['mission', '--broker', 'mqtt//x', '--slots', '2']), 2, /^uavmec mission: --broker: 'mqtt\/\/x' is not a URL/);
    expectLine(await run(['recorder', '--broker', 'mqtt://127.0.0.1:1', '--out', 'x', '--tasks', 'graph']), 2, /^uavmec recorder: --tasks must be one of independent, dag; got 'graph'/);
  } finally {
    udp.close();
    await broker.close();
  }
});

void test('what the lines say for each system error, and bugs keep their stack', () => {
  const sys = (code: string, extra: Record<string, unknown>) => Object.assign(new Error(code), { code, ...extra });
  assert.match(explainStartError(sys('EADDRINUSE', { address: '0.0.0.0', port: 1883, syscall: 'listen' }))!, /address 0\.0\.0\.0:1883 is already in use/);
  assert.match(explainStartError(sys('EACCES', { address: '0.0.0.0', port: 80, syscall: 'listen' }))!, /not allowed to listen on 0\.0\.0\.0:80: choose a port ≥ 1024/);
  assert.match(explainStartError(sys('EACCES', { path: '/dev/ttyAMA0', syscall: 'open' }))!, /permission denied: \/dev\/ttyAMA0: .*dialout group/);
  assert.match(explainStartError(new Error('cannot connect to the MQTT broker at mqtt://h:1: x', { cause: sys('ECONNREFUSED', { address: '10.0.0.2', port: 1 }) }))!, /^cannot connect to the MQTT broker at mqtt:\/\/h:1: connection refused at 10\.0\.0\.2:1/);
  assert.match(explainStartError(new AggregateError([sys('ECONNREFUSED', { address: '::1', port: 9 })]))!, /connection refused at ::1:9/);
  assert.match(explainStartError(sys('ENOTFOUND', { hostname: 'brokr' }))!, /cannot resolve host 'brokr'/);
  assert.equal(explainStartError(new TypeError('x is undefined')), undefined, 'a bug is not a start error');
  assert.equal(withAdvice('bind EADDRINUSE 1.2.3.4:5'), 'bind EADDRINUSE 1.2.3.4:5: stop the process holding that port or choose another one');
  assert.equal(withAdvice('plain'), 'plain');
});
