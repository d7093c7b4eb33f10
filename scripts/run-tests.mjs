#!/usr/bin/env node
// Runs every *.test.ts in the repository (outside node_modules, runs/ and scratch folders) with
// node's test runner through tsx. Extra arguments are passed on (e.g. a file filter substring).
// A test without a timeout of its own gets 15 minutes (--test-timeout=… overrides): a hang fails
// with the test's name instead of stalling the suite. --test-force-exit ends a file's process once
// its tests are done: a handle leaked on a failing path (a wall-clock interval not cancelled after
// an assertion threw) otherwise keeps it alive for ever — the 17-minute "hang" of the PX4 bridge
// tests under load was that, after the first failure.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const SKIP = new Set(['node_modules', 'runs', '.git', '.tmp', 'models', 'docs']);
function find(dir, out) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(e.name)) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) find(p, out);
    else if (e.name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}
const filter = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const flags = process.argv.slice(2).filter((a) => a.startsWith('-'));
const files = find('.', []).sort().filter((f) => filter.length === 0 || filter.some((s) => f.includes(s)));
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const timeout = flags.some((f) => f.startsWith('--test-timeout')) ? [] : ['--test-timeout=900000'];
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-force-exit', ...timeout, ...flags, ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
