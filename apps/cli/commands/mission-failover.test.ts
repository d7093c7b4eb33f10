/** `uavmec mission --cluster … --secure`: bad combinations are one clear line (UsageError), before anything starts. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { UsageError } from '../command.ts';
import { FAILOVER_HELP } from './mission-failover.ts';
import command from './mission.ts';

const refused = async (args: string[], why: RegExp) => {
  const e = await command.run(['--trajectory', 'planner', ...args]).then(() => undefined, (x: unknown) => x);
  assert.ok(e instanceof UsageError, `${args.join(' ')}: ${String(e)}`);
  assert.match(e.message, why);
  assert.ok(!e.message.includes('\n'), 'one line');
};

test('mission --cluster --secure: certificates, controller processes, an external broker and bad --secrets are refused with one line', async () => {
  const runs = fs.mkdtempSync(path.join(os.tmpdir(), 'uavmec-cli-failover-'));
  try {
    await refused(['--cluster', '3', '--secure', '--auth', 'certificate', '--runs', runs], /passwords only/);
    await refused(['--cluster', '3', '--secure', '--controller-processes', '--runs', runs], /leave out --controller-processes/);
    await refused(['--cluster', '3', '--secure', '--broker', 'mqtt://127.0.0.1:1', '--runs', runs], /--broker cannot be combined/);
    await refused(['--cluster', '3', '--secure', '--secrets', path.join(runs, 'none'), '--runs', runs], /--secrets: .*plan-signing\.key is missing/);
    await refused(['--cluster', '3', '--secure', '--mavlink-signing', 'maybe', '--runs', runs], /--mavlink-signing must be one of on, off/);
  } finally {
    fs.rmSync(runs, { recursive: true, force: true });
  }
});

test('mission --help documents --secure with --cluster (passwords only)', () => {
  assert.match(FAILOVER_HELP, /--secure {11}\(with --cluster\)/);
  assert.match(FAILOVER_HELP, /Passwords only/);
  assert.ok(command.help.includes(FAILOVER_HELP));
});
