import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { exampleAcl, exampleConf } from './render-examples.ts';

const dir = path.dirname(fileURLToPath(import.meta.url));

void test('deploy/acl.example and deploy/mosquitto.conf match the generators (run deploy/render-examples.ts)', () => {
  assert.equal(fs.readFileSync(path.join(dir, 'acl.example'), 'utf8'), exampleAcl());
  assert.equal(fs.readFileSync(path.join(dir, 'mosquitto.conf'), 'utf8'), exampleConf());
});
