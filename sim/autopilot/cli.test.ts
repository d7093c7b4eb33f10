import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../../apps/cli/command.ts';
import command from './cli.ts';

test('sitl --help documents every option with defaults and an example', () => {
  for (const opt of ['--vehicles', '--flavour', '--numbering', '--base-port', '--gcs', '--speed', '--home', '--param', '--tlog-dir', 'default', 'Example']) {
    assert.ok(command.help.includes(opt), opt);
  }
});

test('sitl rejects bad options with UsageError', async () => {
  await assert.rejects(command.run(['--flavour', 'inav']), UsageError);
  await assert.rejects(command.run(['--home', '47,8']), UsageError);
  await assert.rejects(command.run(['--param', 'lower=1']), UsageError);
  await assert.rejects(command.run(['--vehicles', '0']), UsageError);
});

test('sitl reports an unknown parameter as exit code 1', async () => {
  assert.equal(await command.run(['--base-port', '0', '--param', 'NOT_A_PARAM=1']), 1);
});
